"""Engine and session setup: one engine per process, made by ``make_engine(url)``.

SQLite gets WAL, a busy timeout, foreign keys and FULL sync (complaints are must-keep), and
its transactions are begun by us: ``BEGIN IMMEDIATE`` for write sessions, so several
consoles writing one file never hit "database is locked" on a read-then-write upgrade
(the SQLAlchemy pysqlite recipe; see docs/pitfalls.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
    from sqlalchemy.pool import ConnectionPoolEntry

# How long a writer waits for another console's write to finish. A write holds the lock
# for a few milliseconds, but SQLite's busy handler is not fair: with 20 consoles on a
# loaded two-core machine, a waiter was measured starving past 15 s (tests/services/
# test_many_consoles.py). A worker thread waits; the screen never does.
BUSY_TIMEOUT_MS = 60_000
# A server that does not answer (host down, no refusal) fails a connection after this many
# seconds instead of hanging the worker: the outage journal then takes the write, and a
# console started meanwhile opens offline within this time (issue 14).
CONNECT_TIMEOUT_S = 2
_WRITE = "cs_console_write"
# A transaction the write sessions of this thread join instead of opening their own (the
# outage journal's replay: the write and its idempotency key commit together).
_JOINED: ContextVar[Session | None] = ContextVar("cs_console_joined", default=None)


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Created readable by its owner only: it holds customers' personal data.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def with_kept_password(url: str) -> URL:
    """A PostgreSQL ``url`` without a password, completed from the OS keyring if one was
    kept there (``cs-console db set-password``); any other URL as it is."""
    parsed = make_url(url)
    if parsed.password is None and parsed.get_backend_name() == "postgresql":
        from cs_console.config.db_password import keyring_entry, stored_db_password

        entry = keyring_entry(parsed.username, parsed.host, parsed.port, parsed.database or "")
        password = stored_db_password(entry)
        if password:
            parsed = parsed.set(password=password)
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (sqlite:///file or postgresql+psycopg://...), set up for us.

    A PostgreSQL URL without a password uses the one kept in the OS keyring, if any.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        # A URL object: its password is never rendered in a message, log or repr.
        return create_engine(
            with_kept_password(url),
            pool_pre_ping=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        )
    _prepare_sqlite_file(url)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def ping(engine: Engine) -> None:
    """Ask the database server for nothing; raises when it does not answer."""
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


# What a driver says when the server is away (psycopg: refused, reset, shut down by its
# administrator; SQLite: the file's share is gone), as opposed to a refused statement.
_AWAY = ("connection", "server", "terminating", "unable to open database file", "timeout")


def server_unreachable(error: BaseException) -> bool:
    """Whether ``error`` means the database could not be reached (the outage journal takes
    the write), not that the write was refused (a constraint, a lock wait)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if not isinstance(error, OperationalError | InterfaceError):
        return False
    if error.connection_invalidated:
        return True
    said = str(error.orig).lower()
    return any(words in said for words in _AWAY) and "database is locked" not in said


def conflict_insert(dialect: str, table: Table) -> PostgresInsert | SqliteInsert:
    """An INSERT into ``table`` that takes ON CONFLICT clauses, in ``dialect``'s flavour
    (PostgreSQL and SQLite spell ``on_conflict_do_nothing``/``_do_update`` alike)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgres_insert

        return postgres_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: committed on success, rolled back on any error.

    Inside ``joined_writes(session)`` it is that session's transaction instead, which the
    caller commits or rolls back as one.
    """
    joined = _JOINED.get()
    if joined is not None:
        yield joined
        return
    bind = engine.execution_options(**{_WRITE: True})
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def joined_writes(session: Session) -> Iterator[None]:
    """Run every ``write_session`` of this thread inside ``session``'s open transaction."""
    token = _JOINED.set(session)
    try:
        yield
    finally:
        _JOINED.reset(token)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
