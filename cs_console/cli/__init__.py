"""The command line (typer).

Help texts are written when the command modules are imported, so the language is chosen
here first: --lang on the command line, else the settings, else LANG.
"""

from cs_console.cli.language import choose_help_language

choose_help_language()
