"""What the commands share that needs no typer: root options, terminals, database URLs.

Opening the console (``cli.launch``) uses only these, so it starts without loading typer.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from cs_console.cli.failures import fail
from cs_console.config.paths import database_url

_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


@dataclass
class CliState:
    """The root options, handed down to every command through ``ctx.obj``."""

    db: str | None = None
    user: str | None = None
    lang: str = "zh-CN"


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


def hide_password(url: str) -> str:
    """``url`` with any password replaced by ***, for messages and JSON."""
    return _URL_PASSWORD.sub(r"\1***@", url)


def resolve_db_url(explicit: str | None) -> str:
    """--db, else CS_CONSOLE_DB, else the default file; refuses engines we do not support."""
    url = database_url(explicit).strip()
    if not url.startswith(("sqlite:", "sqlite+pysqlite:", "postgresql:", "postgresql+psycopg:")):
        fail("cli.bad_db_url", url=hide_password(url))
    return url


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
