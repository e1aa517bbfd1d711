from cs_console.cli.main import run

run()
