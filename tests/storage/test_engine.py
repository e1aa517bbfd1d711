"""Engine set-up: the SQLite file is private, and every connection has the pragmas we need."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from cs_console.storage.engine import (
    BUSY_TIMEOUT_MS,
    make_engine,
    read_session,
    write_session,
)
from cs_console.storage.migrate import upgrade_to_head


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_file_is_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "cs.db"
    old_umask = os.umask(0o022)  # the usual default would give 0644
    try:
        engine = make_engine(f"sqlite:///{path}")
        upgrade_to_head(engine)
        engine.dispose()
    finally:
        os.umask(old_umask)

    assert path.exists()
    assert _mode(path) == 0o600


def test_sqlite_side_files_are_owner_only_too(tmp_path: Path) -> None:
    path = tmp_path / "cs.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.connect() as conn:  # keep the WAL and shared-memory files open
        conn.execute(text("SELECT count(*) FROM users")).scalar_one()
        side_files = [p for p in tmp_path.iterdir() if p.name != "cs.db"]
        modes = {p.name: _mode(p) for p in side_files}
    engine.dispose()

    assert side_files, "WAL mode keeps cs.db-wal and cs.db-shm beside the file"
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "cs.db"
    path.touch(mode=0o640)
    path.chmod(0o640)

    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()

    assert _mode(path) == 0o640


def test_sqlite_pragmas_are_in_force_on_every_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cs.db'}")
    assert is_sqlite(engine)
    pragmas = ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")

    for _ in range(2):  # a second, separate connection gets them too
        with engine.connect() as conn:
            conn.invalidate()  # next checkout opens a new DB-API connection
        with engine.connect() as conn:
            values = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar_one() for p in pragmas}
        assert values == {
            "journal_mode": "wal",
            "busy_timeout": BUSY_TIMEOUT_MS,
            "foreign_keys": 1,
            "synchronous": 2,  # FULL
        }
    engine.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cs.db'}")
    upgrade_to_head(engine)
    insert = text(
        "INSERT INTO parcels (tracking_no, customer_id, route, hub, outlet, batch, created_at)"
        " VALUES ('SF1311234567890', 999, '', '', '', '', '2026-11-22')"
    )
    try:
        with pytest.raises(IntegrityError, match="FOREIGN KEY"), write_session(engine) as session:
            session.execute(insert)
    finally:
        engine.dispose()


def _try_write_lock(path: Path) -> bool:
    """Whether another connection can take the write lock right now (without waiting)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        conn.close()  # rolls back
    return True


def test_write_sessions_begin_immediate_and_read_sessions_do_not(tmp_path: Path) -> None:
    """A write transaction holds the write lock from its start (no read-then-write upgrade)."""
    path = tmp_path / "cs.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    try:
        with write_session(engine) as session:
            session.execute(text("SELECT 1"))  # begins the transaction
            assert not _try_write_lock(path)
        with read_session(engine) as session:
            session.execute(text("SELECT count(*) FROM users"))
            assert _try_write_lock(path)  # a reader does not block a writer
        assert _try_write_lock(path)  # and the write session released its lock
    finally:
        engine.dispose()


def test_postgresql_url_gets_the_psycopg_driver() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:1/none")
    assert engine.dialect.driver == "psycopg"
    assert not is_sqlite(engine)
    engine.dispose()


def test_a_waiting_writer_queues_for_its_turn_not_in_sqlite_s_busy_handler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Write sessions wait for each other in the writers' queue (FILE-writers), woken when
    the one before commits: a writer whose SQLite busy timeout is far shorter than the other
    console's transaction still writes, after it, instead of failing "database is locked"
    (the busy handler sleeps up to 100 ms between looks and left the lock idle meanwhile)."""
    path = tmp_path / "cs.db"
    upgrade_to_head(make_engine(f"sqlite:///{path}"))
    first = make_engine(f"sqlite:///{path}")
    monkeypatch.setattr("cs_console.storage.engine.BUSY_TIMEOUT_MS", 20)
    second = make_engine(f"sqlite:///{path}")  # gives up on a busy lock after 20 ms
    holding, order, errors = threading.Event(), [], []

    def other_console() -> None:
        holding.wait()
        try:
            with write_session(second) as session:
                session.execute(text("UPDATE users SET display_name = display_name"))
                order.append("second wrote")
        except Exception as exc:  # noqa: BLE001  (reported by the assertion)
            errors.append(exc)

    worker = threading.Thread(target=other_console)
    worker.start()
    try:
        with write_session(first) as session:
            session.execute(text("SELECT 1"))  # the lock and the turn are taken here
            holding.set()
            worker.join(timeout=0.3)  # the other console waits all this while
            assert worker.is_alive()
            order.append("first committed")
        worker.join(timeout=30)
        assert errors == [] and order == ["first committed", "second wrote"]
        assert (tmp_path / "cs.db-writers").exists()
    finally:
        first.dispose()
        second.dispose()
