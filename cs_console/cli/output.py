"""What a command writes: its result as JSON (or a table) on stdout, messages on stderr.

The contract (DESIGN.md, "Command line"): machine-readable output is JSON on stdout,
messages go to stderr in the chosen language.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cs_console.cli.terminals import stderr_is_terminal
from cs_console.i18n import t


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help=t("cli.help.format"))]


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def emit_json(data: object) -> None:
    """The machine-readable result of a command, on stdout."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def say(key: str, /, **values: object) -> None:
    """A message for the person, on stderr, in the chosen language."""
    typer.echo(t(key, **values), err=True)


def table(title: str, columns: list[str], rows: list[list[str]], *, err: bool = False) -> None:
    """A Rich table on stdout (or stderr); cells are plain text, never markup."""
    from rich.console import Console as RichConsole
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, title_justify="left")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))
    terminal = stderr_is_terminal() if err else sys.stdout.isatty()
    # Piped output is not cut to 80 columns: a password must never be ellipsised.
    RichConsole(stderr=err, highlight=False, width=None if terminal else 200).print(grid)
