from cs_console.cli.launch import run

run()
