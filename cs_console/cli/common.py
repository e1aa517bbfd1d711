"""What every command shares: options, output, passwords, the console handle, errors.

The contract (DESIGN.md, "Command line"): machine-readable output is JSON on stdout,
messages go to stderr in the chosen language, exit codes are 0 ok, 1 refused or invalid
input, 2 usage. Nothing here imports sqlalchemy, sqlmodel or textual at module level:
``cs-console --help`` must stay fast, so the storage layer is imported inside functions.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

from cs_console.config.language import t
from cs_console.config.paths import database_url

if TYPE_CHECKING:
    from cs_console.services.context import Actor, Console

KEYRING_SERVICE = "cs-console"
KEYRING_TIMEOUT_S = 2.0
PASSWORD_ENV = "CS_CONSOLE_PASSWORD"
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


# Passwords -----------------------------------------------------------------------------------


def keyring_password(username: str, timeout: float | None = None) -> str | None:
    """The remembered password of ``username``, or None (no backend, error, or no answer).

    keyring can hang on a broken D-Bus, so it is asked in a daemon thread that is abandoned
    after ``timeout`` seconds (PITFALLS.md).
    """
    found: list[str | None] = []

    def ask() -> None:
        try:
            import keyring

            found.append(keyring.get_password(KEYRING_SERVICE, username))
        except Exception:  # KeyringError, a broken backend, D-Bus errors: no password
            found.append(None)

    thread = threading.Thread(target=ask, name="cs-console-keyring", daemon=True)
    thread.start()
    thread.join(KEYRING_TIMEOUT_S if timeout is None else timeout)
    return found[0] if found else None


def acting_password(username: str) -> str:
    """The password of the person a command acts for.

    The remembered login in the OS keyring, else CS_CONSOLE_PASSWORD, else a prompt when
    stdin is a terminal; otherwise the command refuses (it never prompts a pipe).
    """
    remembered = keyring_password(username)
    if remembered:
        return remembered
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if stdin_is_terminal():
        import getpass

        return getpass.getpass(t("cli.password_prompt", user=username))
    fail("cli.password_unavailable", user=username, env=PASSWORD_ENV)


def new_password(password_stdin: bool) -> str:
    """A new account's password: the first line of stdin, or typed twice on a terminal."""
    if password_stdin:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        password = line.rstrip("\r\n")
        if not password:
            fail("cli.password_stdin_empty")
        return password
    if not stdin_is_terminal():
        fail("cli.password_stdin_required")
    import getpass

    first = getpass.getpass(t("cli.new_password_prompt"))
    if getpass.getpass(t("cli.repeat_password_prompt")) != first:
        fail("cli.passwords_differ")
    return first


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
    from cs_console.services.accounts import authenticate

    login = authenticate(console, username, acting_password(username))
    if login.must_change_password:
        say("cli.password_change_due", user=username)
    return login.actor


# Errors -> messages and exit codes -------------------------------------------------------------


def _field_lines(fields: dict[str, str]) -> str:
    return "\n".join(f"  {name}: {t(f'error.{code}')}" for name, code in fields.items())


def describe_failure(exc: BaseException) -> str | None:
    """The one-line (or few-line) message for an expected failure; None for a bug."""
    from cs_console.config.settings import SettingsError
    from cs_console.domain.policy import PolicyError
    from cs_console.domain.scripts import ScriptError

    if isinstance(exc, CliFailure):
        return exc.message
    if isinstance(exc, PolicyError | ScriptError | SettingsError):
        return str(exc)
    if "cs_console.services.context" in sys.modules:
        from cs_console.services.context import InvalidInput, ServiceError

        if isinstance(exc, InvalidInput):
            return t("error.invalid_input") + "\n" + _field_lines(exc.fields)
        if isinstance(exc, ServiceError):
            return t(f"error.{exc.code}", **exc.details)
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import exc as sa

        if isinstance(exc, sa.ArgumentError | sa.NoSuchModuleError):
            return t("cli.bad_db_url", url=str(exc).splitlines()[0])
        if isinstance(exc, sa.DBAPIError):
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            return t("cli.db_unreachable", detail=detail)
    if isinstance(exc, ModuleNotFoundError) and exc.name in ("psycopg", "psycopg2"):
        return t("cli.db_driver_missing", driver=exc.name)
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        return t("cli.os_error", detail=str(exc))
    return None


class ConsoleGroup(TyperGroup):
    """The command group that turns expected failures into a message and exit code 1.

    Everything a person can cause (a bad --db URL, an unreachable server, a broken policy
    file, a refused service call) ends in one clear line on stderr, never a traceback.
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = describe_failure(exc)
            if message is None:
                raise
            typer.echo(message, err=True)
            raise typer.Exit(1) from None


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
