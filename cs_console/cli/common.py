"""What every command shares: options, output, database URLs and the console handle.

The contract (DESIGN.md, "Command line"): machine-readable output is JSON on stdout,
messages go to stderr in the chosen language, exit codes are 0 ok, 1 refused or invalid
input, 2 usage. Nothing here imports sqlalchemy, sqlmodel or textual at module level:
``cs-console --help`` must stay fast, so the storage layer is imported inside functions.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from cs_console.config.language import t
from cs_console.config.paths import database_url

if TYPE_CHECKING:
    from cs_console.services.context import Actor, Console

_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


class Lang(StrEnum):
    """The interface languages (--lang)."""

    ZH_CN = "zh-CN"
    EN = "en"


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@dataclass
class CliState:
    """The root options, handed down to every command through ``ctx.obj``."""

    db: str | None = None
    user: str | None = None
    lang: str = "zh-CN"


class CliFailure(Exception):
    """A refusal or invalid input, already worded for the person: exit code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(key: str, /, **values: object) -> NoReturn:
    """Stop the command with the message ``key`` (exit 1)."""
    raise CliFailure(t(key, **values))


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


def hide_password(url: str) -> str:
    """``url`` with any password replaced by ***, for messages and JSON."""
    return _URL_PASSWORD.sub(r"\1***@", url)


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):
        return False


# Database URLs -----------------------------------------------------------------------------


def resolve_db_url(explicit: str | None) -> str:
    """--db, else CS_CONSOLE_DB, else the default file; refuses engines we do not support."""
    url = database_url(explicit).strip()
    if not url.startswith(("sqlite:", "sqlite+pysqlite:", "postgresql:", "postgresql+psycopg:")):
        fail("cli.bad_db_url", url=hide_password(url))
    return url


def parse_db_url(url: str) -> None:
    """Refuse a URL SQLAlchemy cannot parse (imports SQLAlchemy: only inside commands)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        fail("cli.bad_db_url", url=hide_password(url))


def sqlite_file(url: str) -> Path | None:
    """The file behind a ``sqlite:///path`` URL; None for other engines and memory."""
    scheme, _, rest = url.partition("://")
    if not scheme.startswith("sqlite") or not rest.startswith("/"):
        return None
    path = rest[1:].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def require_database_file(url: str) -> None:
    """A SQLite file that does not exist yet is not initialised: say so, create nothing."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        fail("cli.not_initialised_file", path=str(path))


# The console handle --------------------------------------------------------------------------


def open_console(url: str, *, initialised: bool = True) -> Console:
    """A services Console on ``url``: policy, settings' time zone, the real clock.

    With ``initialised`` the database must exist and be at the newest revision, else the
    person is told to run ``cs-console init``.
    """
    from cs_console.config.policy_file import read_policy
    from cs_console.config.settings import load_settings
    from cs_console.services.context import Console
    from cs_console.storage.engine import make_engine

    policy = read_policy()
    zone = load_settings().zone
    parse_db_url(url)
    if initialised:
        require_database_file(url)
    engine = make_engine(url)
    console = Console(engine, policy, zone)
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


def log_in(console: Console, username: str | None) -> Actor:
    """The person a command acts for (--user), authenticated; refuses without one."""
    if not username:
        fail("cli.user_required")
    from cs_console.cli.passwords import acting_password
    from cs_console.services.accounts import authenticate

    login = authenticate(console, username, acting_password(username))
    if login.must_change_password:
        say("cli.password_change_due", user=username)
    return login.actor


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
