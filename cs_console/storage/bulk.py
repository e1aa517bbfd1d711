"""Bulk loading of generated rows (the demo database): fast, and all-or-nothing.

Rows are positional tuples written with the driver's executemany inside one transaction,
so a million complaints load in minutes, not hours. Two ways to stay all-or-nothing:

* a new SQLite file is built beside its final name with journalling and syncing off and
  secondary indexes dropped until the end (a crash just leaves a temporary file to delete),
  then moved into place; ``fresh_sqlite_file`` does this;
* an existing database (or PostgreSQL) gets one ordinary write transaction: rolled back
  on any error or Ctrl-C, so the database is left as it was.

Timestamps are passed as whole UTC seconds and converted by ``timestamp_writer`` to what
the column type would have stored (the UTC text SQLAlchemy writes on SQLite).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Table, create_engine, event, text

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.pool import ConnectionPoolEntry

# The text SQLAlchemy's SQLite DATETIME stores: "2026-11-22 06:00:00.000000" (UTC).
_DAY = 86_400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CLOCK_TEXT: list[str] = []


def _clock_text() -> list[str]:
    if not _CLOCK_TEXT:
        _CLOCK_TEXT.extend(
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(_DAY)
        )
    return _CLOCK_TEXT


class _DayText(dict[int, str]):
    """Day number since the epoch -> "YYYY-MM-DD ", computed once per day."""

    def __missing__(self, day: int) -> str:
        text = self[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d ")
        return text


def timestamp_writer(connection: Connection) -> Callable[[int], object]:
    """A function turning whole UTC epoch seconds into a value for a datetime column.

    On SQLite the text SQLAlchemy itself would store, built from two lookup tables (a
    million rows carry some fifteen million timestamps); elsewhere an aware datetime.
    """
    if connection.dialect.name != "sqlite":
        return lambda seconds: _EPOCH + timedelta(seconds=seconds)
    clock, days = _clock_text(), _DayText()

    def sqlite_text(seconds: int) -> str:
        return days[seconds // _DAY] + clock[seconds % _DAY]

    return sqlite_text


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple]
) -> None:
    """executemany ``rows`` (tuples in the order of ``columns``) into ``table``.

    Every NOT NULL column must be given: this bypasses the ORM and its Python defaults.
    """
    if not rows:
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    connection.exec_driver_sql(sql, rows)


def next_id(connection: Connection, table: Table) -> int:
    """The first free id of ``table`` (rows are loaded with explicit ids)."""
    found = connection.execute(text(f"SELECT max(id) FROM {table.name}")).scalar()
    return (found or 0) + 1


def reset_sequences(connection: Connection, tables: Sequence[Table]) -> None:
    """After loading explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce(max(id), 0) + 1, false) FROM {table.name}"
            )
        )


def has_rows(connection: Connection, table: Table) -> bool:
    return connection.execute(text(f"SELECT 1 FROM {table.name} LIMIT 1")).first() is not None


# A new SQLite file, built aside and moved into place -------------------------------------


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def fresh_sqlite_file(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` to build a database in; moved there on success.

    On any error or Ctrl-C the temporary file is deleted and ``target`` never appears.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    _remove_sqlite_files(building)
    try:
        yield building
        os.replace(building, target)
    finally:
        _remove_sqlite_files(building)


def loading_engine(path: Path) -> Engine:
    """An engine for filling a brand-new file: no journal, no fsync, one exclusive writer.

    Safe only because the file is thrown away if loading fails (``fresh_sqlite_file``).
    """
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "locking_mode = EXCLUSIVE",
            "temp_store = MEMORY",
            "cache_size = -1000000",
            "threads = 2",  # CREATE INDEX sorts with a helper thread
            # The loader assigns ids and enum values itself (tests check both); checking
            # them per row would cost a third of the load.
            "foreign_keys = OFF",
            "ignore_check_constraints = ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def drop_secondary_indexes(connection: Connection, tables: Sequence[Table]) -> list[str]:
    """Drop the named indexes of ``tables`` (SQLite) and return the SQL to recreate them.

    Building an index once over sorted data is several times faster than updating it for
    every row; UNIQUE constraints stay, as they guard the data being loaded.
    """
    names = ", ".join(f"'{table.name}'" for table in tables)
    found = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({names})"
        )
    ).all()
    for name, _sql in found:
        connection.execute(text(f'DROP INDEX "{name}"'))
    return [sql for _name, sql in found]


def finish_sqlite_file(engine: Engine, index_sql: Sequence[str]) -> None:
    """Rebuild the dropped indexes, gather statistics and switch the file to WAL."""
    with engine.begin() as connection:
        for sql in index_sql:
            connection.execute(text(sql))
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.exec_driver_sql("PRAGMA journal_mode = WAL")
    engine.dispose()


def save_reference_counters(connection: Connection, table: Table, counters: dict[str, int]) -> None:
    """Store each day's last complaint number, so new references continue after them."""
    if not counters:
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} (day, last) VALUES ({marker}, {marker}) "
        "ON CONFLICT (day) DO UPDATE SET last = excluded.last",
        sorted(counters.items()),
    )
