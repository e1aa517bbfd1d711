"""The command line (typer).

``entry.run`` is the ``cs-console`` entry point: the console straight away (``launch``,
no typer loaded) or the typer application (``commands``, with one module per command or
group: ``*_command.py``, ``*_commands.py``, ``doctor``). What they share: ``root_options``
(--db, --lang, --user and what they set up), ``command_context`` (--db, the console a
command opens through ``services.opening``, the person it acts for), ``database_urls``,
``output`` (JSON on stdout, messages and tables), ``refusals`` (expected failures, exit 1),
``passwords``, ``progress``, ``terminals`` and ``language``.

Help texts are written when the command modules are imported, so the language is chosen
here first: --lang on the command line, else the settings, else LANG.
"""

from cs_console.cli.language import choose_help_language

choose_help_language()
