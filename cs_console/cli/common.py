"""What every command shares: options, output, database URLs and the console handle.

The contract (DESIGN.md, "Command line"): machine-readable output is JSON on stdout,
messages go to stderr in the chosen language, exit codes are 0 ok, 1 refused or invalid
input, 2 usage. Nothing here imports sqlalchemy, sqlmodel or textual at module level:
``cs-console --help`` must stay fast, so the storage layer is imported inside functions.
The parts that need no typer live in ``basics`` and ``failures`` and are re-exported here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.basics import (
    CliState,
    hide_password,
    require_database_file,
    resolve_db_url,
    sqlite_file,
    stderr_is_terminal,
    stdin_is_terminal,
)
from cs_console.cli.failures import CliFailure, fail
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext

__all__ = [
    "CliFailure",
    "CliState",
    "Lang",
    "OutputFormat",
    "emit_json",
    "fail",
    "hide_password",
    "log_in",
    "open_console",
    "parse_db_url",
    "require_database_file",
    "resolve_db_url",
    "say",
    "sqlite_file",
    "state",
    "stderr_is_terminal",
    "stdin_is_terminal",
    "table",
]


class Lang(StrEnum):
    """The interface languages (--lang)."""

    ZH_CN = "zh-CN"
    EN = "en"


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def state(ctx: typer.Context) -> CliState:
    """The root options of this invocation."""
    obj = ctx.find_object(CliState)
    return obj if obj is not None else CliState()


# Output ----------------------------------------------------------------------------------


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


def parse_db_url(url: str) -> None:
    """Refuse a URL SQLAlchemy cannot parse (imports SQLAlchemy: only inside commands)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        fail("cli.bad_db_url", url=hide_password(url))


# The console handle --------------------------------------------------------------------------


def open_console(url: str, *, initialised: bool = True) -> ServiceContext:
    """A service context on ``url``: policy, settings' time zone, the real clock.

    With ``initialised`` the database must exist and be at the newest revision, else the
    person is told to run ``cs-console init``.
    """
    from cs_console.config.policy_file import read_policy
    from cs_console.config.settings import load_settings
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine

    policy = read_policy()
    zone = load_settings().zone
    parse_db_url(url)
    if initialised:
        require_database_file(url)
    engine = make_engine(url)
    console = ServiceContext(engine, policy, zone)
    if initialised:
        from cs_console.storage.migrate import current_revision, head_revision

        revision, head = current_revision(engine), head_revision()
        if revision is None:
            engine.dispose()
            fail("cli.not_initialised", url=hide_password(url))
        if revision != head:
            engine.dispose()
            fail("cli.needs_upgrade", revision=revision, head=head)
    return console


def log_in(console: ServiceContext, username: str | None) -> Actor:
    """The person a command acts for (--user), signed in (remembered login, else password),
    with the data key they unlocked; refuses without one."""
    if not username:
        fail("cli.user_required")
    from cs_console.cli.passwords import acting_login

    login = acting_login(console, username)
    if login.must_change_password:
        fail("cli.password_change_due", user=username)
    from cs_console.services.audit_anchors import daily_anchor

    daily_anchor(console)  # this machine's copy of the audit trail's head, once a day
    return login.actor


@contextmanager
def signed_in(
    ctx: typer.Context, db: str | None, user: str | None
) -> Iterator[tuple[ServiceContext, Actor]]:
    """The console and the signed-in person (``--user``) for one command; the engine is
    closed when the command ends."""
    options = state(ctx)
    console = open_console(resolve_db_url(db or options.db))
    try:
        yield console, log_in(console, user or options.user)
    finally:
        console.engine.dispose()


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


# The --db option every command that opens the database takes.
DbOption = Annotated[str | None, typer.Option("--db", metavar="URL", help=t("cli.help.db"))]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help=t("cli.help.format"))]
