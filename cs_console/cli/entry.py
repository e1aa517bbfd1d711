"""The ``cs-console`` entry point: the console straight away, or the typer application.

Both are below this module: ``cli.launch`` opens the console from the root options alone
(no typer loaded), ``cli.commands`` is the typer application for every other command line
(commands, --help, --version, anything unusual), imported only then.
"""

from __future__ import annotations

import sys

from cs_console.cli.launch import console_options, open_console_app
from cs_console.cli.refusals import REFUSED_EXIT, describe_failure
from cs_console.cli.root_options import apply_root_options


def run() -> None:
    """The ``cs-console`` entry point."""
    options = console_options(sys.argv[1:])
    if options is None:
        from cs_console.cli.commands import app

        app()
        return
    try:
        state = apply_root_options(
            options.get("db"), options.get("lang"), options.get("user"), console=True
        )
        open_console_app(state)
    except (KeyboardInterrupt, EOFError):
        print("\nAborted!", file=sys.stderr)  # as typer says it
        sys.exit(1)
    except Exception as exc:
        message = describe_failure(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        sys.exit(REFUSED_EXIT)
