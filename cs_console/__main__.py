from cs_console.cli.entry import run

run()
