"""A large import stages, then publishes, in short write transactions (issue 14), on both
engines: other consoles sign in and save meanwhile; a stopped import leaves nothing visible
while staging and is finished by the next import once publishing."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from cs_console.domain.enums import Role
from cs_console.domain.incidents import ParcelPlace
from cs_console.services import import_publish
from cs_console.services.accounts import authenticate
from cs_console.services.complaint_import import import_register
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.overview import overview
from cs_console.services.purge import purge
from cs_console.services.worklists import my_clocks
from cs_console.storage.engine import make_engine, read_session
from cs_console.storage.incidents import window_counts
from cs_console.storage.tables import Complaint, Customer
from cs_console.storage.tables.imports import ImportBatch, ImportStagedRow
from tests.conftest import FakeClock, add_person

from .helpers import count, distinct_form, rows
from .test_complaint_import import line, register

LATER = import_publish.ABANDONED_AFTER.total_seconds() / 60 + 1  # minutes: the batch is stale


def _stop_at(stage: str, at: int) -> Callable[[str, int, int], None]:
    def progress(seen: str, done: int, _total: int) -> None:
        if seen == stage and done >= at:
            raise KeyboardInterrupt

    return progress


def _crash_while_staging(
    console: ServiceContext, agent: Actor, monkeypatch: pytest.MonkeyPatch, *, size: int, at: int
) -> None:
    """The process dies while staging row ``at``: nothing cleans up behind it."""
    discard = import_publish.discard
    monkeypatch.setattr(import_publish, "discard", lambda _console, _batch: None)
    table = register(*(line(i) for i in range(size)))
    with pytest.raises(KeyboardInterrupt):
        import_register(console, agent, table, progress=_stop_at("store", at))
    monkeypatch.setattr(import_publish, "discard", discard)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few rows, so a small register crosses many transaction boundaries."""
    monkeypatch.setattr(import_publish, "_STAGE_ROWS", 5)
    monkeypatch.setattr(import_publish, "_PUBLISH_ROWS", 7)
    monkeypatch.setattr(import_publish, "_DISCARD_ROWS", 4)
    monkeypatch.setattr(import_publish, "_SQLITE_GAP_S", 0.0)


def test_references_and_repeats_follow_the_register_across_chunks(
    console: ServiceContext, agent: Actor, small_chunks: None
) -> None:
    register_complaint(console, agent, distinct_form(3))  # open: line 3 repeats it
    lines = [line(i) for i in range(30)]
    lines.append(line(40, **{"联系电话": "13900000005"}))  # the same caller as line(5)

    report = import_register(console, agent, register(*lines))

    assert report.imported == 31
    imported = rows(console, Complaint, Complaint.import_key.is_not(None))  # type: ignore[union-attr]
    by_time = sorted(imported, key=lambda c: c.registered_at)
    # 0001 is the complaint registered first.
    assert [c.reference for c in by_time] == [f"C-20261122-{n:04d}" for n in range(2, 33)]
    # line 3 repeats the stored complaint, line 5 the older line 40 (0002, the first imported)
    assert sorted(c.repeat_of for c in imported if c.repeat_of) == [
        "C-20261122-0001",
        "C-20261122-0002",
    ]
    assert count(console, ImportStagedRow) == count(console, ImportBatch) == 0


def test_the_planner_learns_the_tables_grew_while_publishing(
    console: ServiceContext, agent: Actor, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if console.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans without statistics")
    monkeypatch.setattr(import_publish, "_FIRST_ANALYZE", 5)

    def analyzed() -> int:
        with console.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'complaints'"
            )
            return int(found.scalar_one())

    before = analyzed()
    import_register(console, agent, register(*(line(i) for i in range(30))))

    assert analyzed() - before >= 2  # after 5 rows, then 10, 20 (the counter may lag)


def test_stopped_while_staging_nothing_is_visible_and_the_leftover_is_discarded(
    console: ServiceContext,
    agent: Actor,
    small_chunks: None,
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
) -> None:
    _crash_while_staging(console, agent, monkeypatch, size=30, at=23)

    assert count(console, Complaint) == count(console, Customer) == 0
    assert count(console, ImportStagedRow) == 20
    import_register(console, agent, register(line(100)))  # too soon: maybe still running
    assert count(console, ImportStagedRow) == 20

    clock.advance(minutes=LATER)
    report = import_register(console, agent, register(line(101)))

    assert report.imported == 1
    assert count(console, Complaint) == 2
    assert count(console, ImportStagedRow) == count(console, ImportBatch) == 0


def test_purge_discards_a_register_stopped_while_staging(
    console: ServiceContext,
    agent: Actor,
    small_chunks: None,
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
) -> None:
    admin = add_person(console, "root", Role.ADMIN, agent_no="9001")
    _crash_while_staging(console, agent, monkeypatch, size=9, at=7)
    assert count(console, ImportStagedRow) == 5

    clock.advance(minutes=LATER)
    purge(console, admin, dry_run=True)
    assert count(console, ImportStagedRow) == 5  # a dry run destroys nothing
    purge(console, admin, dry_run=False)

    assert count(console, ImportStagedRow) == count(console, ImportBatch) == 0


def test_stopped_while_publishing_the_next_import_finishes_it_as_the_importers(
    console: ServiceContext, agent: Actor, small_chunks: None, clock: FakeClock
) -> None:
    boss = add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")
    table = register(*(line(i) for i in range(30)))
    with pytest.raises(KeyboardInterrupt):  # the process stops while publishing
        import_register(console, agent, table, progress=_stop_at("publish", 1))
    assert 0 < _stored(console) < 30 and count(console, Complaint) == 0  # stored, not shown

    clock.advance(minutes=LATER)
    report = import_register(console, boss, register(line(100)))

    assert report.imported == 1
    theirs = rows(console, Complaint, Complaint.owner_id == agent.id)
    assert len(theirs) == 30 and len(rows(console, Complaint, Complaint.owner_id == boss.id)) == 1
    by_time = sorted(theirs, key=lambda c: c.registered_at)
    assert [c.reference for c in by_time] == [f"C-20261122-{n:04d}" for n in range(1, 31)]
    assert count(console, ImportStagedRow) == count(console, ImportBatch) == 0


def _stored(console: ServiceContext) -> int:
    """Complaints in the table, shown or not (a plain SQL count, as no read path makes)."""
    with console.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM complaints")).scalar_one())


def test_while_publishing_other_reads_see_none_of_the_register_then_all_of_it(
    console: ServiceContext, agent: Actor, small_chunks: None
) -> None:
    boss = add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")
    seen: list[tuple[int, int, int, int, int]] = []

    def look(stage: str, done: int, total: int) -> None:
        if stage == "publish" and done < total:  # between two of its transactions
            mine = len(my_clocks(console, agent))
            board = overview(console, boss)
            seen.append(
                (done, _stored(console), count(console, Complaint), mine, board.at_risk_total)
            )

    report = import_register(console, agent, register(*(line(i) for i in range(30))), progress=look)

    assert [done for done, *_ in seen] == [7, 14, 21, 28]
    assert all(stored == done for done, stored, *_ in seen)  # stored as it goes ...
    assert [shown for *_, shown in [(s[:2], s[2:]) for s in seen]] == [(0, 0, 0)] * 4  # unseen
    assert report.imported == count(console, Complaint) == len(my_clocks(console, agent)) == 30
    assert overview(console, boss).at_risk_total == 30


def test_mass_complaint_counts_of_other_consoles_leave_a_publishing_register_out(
    console: ServiceContext, agent: Actor, small_chunks: None
) -> None:
    """A complaint typed during an import is not counted with the register's hidden rows."""
    outlet = "杭州西湖网点"
    window = {"category": "delay", "place": ParcelPlace(outlet=outlet)}
    since, until = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)

    def counted() -> int:
        with console.engine.begin() as connection:  # the register's parcels: this outlet's
            connection.execute(text("UPDATE parcels SET outlet = :o"), {"o": outlet})
        with read_session(console.engine) as session:
            counts = window_counts(session=session, since=since, until=until, **window)
        return sum(counts.values())

    seen: list[int] = []

    def look(stage: str, done: int, total: int) -> None:
        if stage == "publish" and done < total:
            seen.append(counted())

    import_register(console, agent, register(*(line(i) for i in range(20))), progress=look)

    assert seen == [0, 0] and counted() == 20


def test_ctrl_c_while_publishing_is_ignored_until_the_register_is_in(
    console: ServiceContext, agent: Actor, small_chunks: None
) -> None:
    def press_ctrl_c(stage: str, done: int, _total: int) -> None:
        if stage == "publish" and done <= 7:
            os.kill(os.getpid(), signal.SIGINT)

    # As in a terminal: Ctrl-C raises KeyboardInterrupt (pytest-xdist's workers ignore SIGINT).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        report = import_register(
            console, agent, register(*(line(i) for i in range(20))), progress=press_ctrl_c
        )
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back after
    finally:
        signal.signal(signal.SIGINT, previous)

    assert report.imported == count(console, Complaint) == 20


def test_other_consoles_sign_in_and_save_while_a_large_import_runs(
    console: ServiceContext, agent: Actor
) -> None:
    add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")
    other = ServiceContext(
        make_engine(str(console.engine.url.render_as_string(hide_password=False))),
        console.policy,
        console.zone,
        console.clock,
    )
    publishing = threading.Event()
    finished: list[float] = []

    def progress(stage: str, _done: int, _total: int) -> None:
        if stage == "publish":
            publishing.set()

    def run() -> None:
        table = register(*(line(i) for i in range(2000)))
        import_register(console, agent, table, progress=progress)
        finished.append(time.perf_counter())

    importer = threading.Thread(target=run)
    importer.start()
    try:
        assert publishing.wait(120)
        waits: list[float] = []
        for i in range(3):
            start = time.perf_counter()
            login = authenticate(other, "zhoumin", "secret-pass-1")
            waits.append(time.perf_counter() - start)
            start = time.perf_counter()
            register_complaint(other, login.actor, distinct_form(10_000 + i))
            waits.append(time.perf_counter() - start)
        done_at = time.perf_counter()
    finally:
        importer.join()
        other.engine.dispose()

    assert finished and done_at < finished[0], "the other console waited for the whole import"
    assert max(waits) < 5, waits  # a guard against waiting on the import, not a benchmark
    assert count(console, Complaint) == 2003
