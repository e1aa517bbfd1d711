"""Engine and session setup: one engine per process, made by ``make_engine(url)``.

SQLite gets WAL, a busy timeout, foreign keys and FULL sync (complaints are must-keep), and
its transactions are begun by us: ``BEGIN IMMEDIATE`` for write sessions, so several
consoles writing one file never hit "database is locked" on a read-then-write upgrade
(the SQLAlchemy pysqlite recipe; see docs/pitfalls.md).

SQLite's own wait for the write lock is a busy handler that sleeps (1, 2, 5 … 100 ms) and
looks again: with 20 consoles the lock sat free while every waiter slept (20 consoles
registered at 87/s where one alone did 701/s), and a writer that takes the lock again at
once (an import's chunks) starved the others. So write sessions on a SQLite file first
queue on an OS lock of a file beside it (``FILE-writers``, ``flock``) before BEGIN
IMMEDIATE: a waiter sleeps in the kernel and is woken the moment the writer before it is
done (``writers_turn``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
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
WRITERS_SUFFIX = "-writers"  # the queue's lock file: FILE-writers beside the database FILE


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

    A PostgreSQL URL without a password uses the one kept in the OS keyring, if any. Reads
    of complaints leave out those of an import still publishing (storage/unpublished.py).
    """
    from cs_console.storage.unpublished import hide_unpublished_everywhere

    hide_unpublished_everywhere()
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
        turn = _TURN.get()
        if write and turn is not None:
            turn.take()  # before BEGIN IMMEDIATE: wait in the queue, not in the busy handler
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
    with (
        writers_turn(engine),
        Session(bind, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


def _writers_file(engine: Engine) -> str | None:
    """The queue's lock file of a SQLite file database; None for any other database."""
    if engine.dialect.name != "sqlite" or _flock is None:
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + WRITERS_SUFFIX


class _Turn:
    """A write session's place in the writers' queue, taken at its first statement."""

    def __init__(self, path: str, lock: Callable[[int], None]) -> None:
        self.path, self.lock = path, lock
        self.descriptor: int | None = None

    def take(self) -> None:
        if self.descriptor is None:
            # Owner-only like the database; it holds nothing but the lock.
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                self.lock(descriptor)
            except BaseException:
                os.close(descriptor)
                raise
            self.descriptor = descriptor

    def give_back(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)  # the next writer in the queue wakes
            self.descriptor = None


_TURN: ContextVar[_Turn | None] = ContextVar("cs_console_turn", default=None)


@contextmanager
def writers_turn(engine: Engine) -> Iterator[None]:
    """Queue for the write lock at this thread's first write statement (SQLite files; no
    queue elsewhere), and leave the queue on the way out, after the commit or rollback.

    Taken at the first statement, not here: what a use case checks and seals before it
    writes is done outside the lock. The wait has no timeout of its own: a turn is held
    only around one write transaction, which SQLite's busy timeout still bounds against
    writers outside the queue (the ``sqlite3`` shell), and a process that dies loses its
    turn with its file descriptor.
    """
    path, lock = _writers_file(engine), _flock
    if path is None or lock is None or _TURN.get() is not None:
        yield
        return
    turn = _Turn(path, lock)
    token = _TURN.set(turn)
    try:
        yield
    finally:
        _TURN.reset(token)
        turn.give_back()


def _load_flock() -> Callable[[int], None] | None:
    try:
        import fcntl
    except ImportError:  # not on Windows: SQLite's busy handler alone
        return None

    def lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)

    return lock


_flock = _load_flock()


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
