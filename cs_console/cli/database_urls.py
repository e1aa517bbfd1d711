"""The database a command or the console works on: --db, else CS_CONSOLE_DB, else the
default file; refused when it names an engine we do not support or cannot be parsed.

No typer and no SQLAlchemy at import: opening the console (``cli.launch``) uses these.
"""

from __future__ import annotations

import re
from pathlib import Path

from cs_console.cli.refusals import fail
from cs_console.config.paths import database_url

_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
_SUPPORTED = ("sqlite:", "sqlite+pysqlite:", "postgresql:", "postgresql+psycopg:")


def hide_password(url: str) -> str:
    """``url`` with any password replaced by ***, for messages and JSON."""
    return _URL_PASSWORD.sub(r"\1***@", url)


def resolve_db_url(explicit: str | None) -> str:
    """--db, else CS_CONSOLE_DB, else the default file; refuses engines we do not support."""
    url = database_url(explicit).strip()
    if not url.startswith(_SUPPORTED):
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
