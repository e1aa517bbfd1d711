"""Complaint references C-YYYYMMDD-NNNN: sequential per Shanghai day, unique under load."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from cs_console.domain.complaint_entry import ComplaintForm
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, ServiceContext
from cs_console.storage.complaints import next_reference_number
from cs_console.storage.engine import make_engine, write_session
from cs_console.storage.tables import Complaint, Customer, Parcel, ReferenceCounter
from tests.conftest import FakeClock, add_person

from .helpers import complaint_form, count, delay_form, distinct_form, one, rows

THREADS, EACH = 8, 10


def test_twenty_complaints_a_day_get_sequential_references(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    references = []
    for i in range(20):
        references.append(register_complaint(console, agent, distinct_form(i)).reference)
        clock.advance(minutes=7)

    assert references == [f"C-20261122-{n:04d}" for n in range(1, 21)]
    stored = [c.reference for c in rows(console, Complaint)]
    assert stored == references
    assert one(console, ReferenceCounter).last == 20


def test_counter_restarts_on_the_next_shanghai_day(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    clock.now = datetime(2026, 11, 22, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai
    late = [register_complaint(console, agent, distinct_form(i)).reference for i in range(2)]
    clock.now = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    next_day = [register_complaint(console, agent, distinct_form(i)).reference for i in (2, 3)]
    clock.now = datetime(2026, 11, 23, 15, 59, tzinfo=UTC)  # still the 23rd in Shanghai
    same_day = register_complaint(console, agent, distinct_form(4)).reference

    assert late == ["C-20261122-0001", "C-20261122-0002"]
    assert next_day == ["C-20261123-0001", "C-20261123-0002"]
    assert same_day == "C-20261123-0003"
    counters = {c.day: c.last for c in rows(console, ReferenceCounter)}
    assert counters == {"20261122": 2, "20261123": 3}


def test_reference_uses_the_shanghai_date_not_the_utc_date(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    clock.now = datetime(2026, 12, 31, 20, 30, tzinfo=UTC)  # 04:30 on New Year's Day there

    result = register_complaint(console, agent, delay_form(2))

    assert result.reference == "C-20270101-0001"
    assert one(console, Complaint, Complaint.id == result.id).registered_at == clock.now


def test_refused_registration_uses_no_reference(console: ServiceContext, agent: Actor) -> None:
    with pytest.raises(InvalidInput):
        register_complaint(console, agent, complaint_form(phone="1"))

    assert register_complaint(console, agent, delay_form(2)).reference == "C-20261122-0001"


def test_counter_allocates_within_the_transaction(console: ServiceContext) -> None:
    with write_session(console.engine) as session:
        numbers = [next_reference_number(session=session, day="20261122") for _ in range(3)]
    with pytest.raises(RuntimeError), write_session(console.engine) as session:
        next_reference_number(session=session, day="20261122")
        raise RuntimeError("rolled back")  # an allocation in a failed transaction is undone

    with write_session(console.engine) as session:
        assert next_reference_number(session=session, day="20261122") == 4
    assert numbers == [1, 2, 3]


# --- many consoles at once ---------------------------------------------------------------


def _register_in_threads(
    console: ServiceContext,
    db_url: str,
    actors: list[Actor],
    form_of: Callable[[int], ComplaintForm],
) -> list[BaseException]:
    """Each thread, with an engine of its own, registers EACH complaints as soon as all start."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        engine = make_engine(db_url)
        own = ServiceContext(engine, console.policy, console.zone, console.clock)
        try:
            barrier.wait()
            for i in range(EACH):
                register_complaint(own, actors[t], form_of(t * EACH + i))
        except BaseException as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def _agents(console: ServiceContext) -> list[Actor]:
    return [add_person(console, f"agent{t}", agent_no=f"30{t:02d}") for t in range(THREADS)]


def test_concurrent_consoles_get_distinct_references(console: ServiceContext, db_url: str) -> None:
    errors = _register_in_threads(console, db_url, _agents(console), distinct_form)

    assert errors == []  # in particular no "database is locked" on SQLite
    references = [c.reference for c in rows(console, Complaint)]
    assert len(references) == THREADS * EACH
    assert sorted(references) == [f"C-20261122-{n:04d}" for n in range(1, THREADS * EACH + 1)]
    assert one(console, ReferenceCounter).last == THREADS * EACH


def test_concurrent_complaints_from_one_caller(console: ServiceContext, db_url: str) -> None:
    """One new caller on every line at once: one customer, one parcel, the rest repeats."""
    errors = _register_in_threads(console, db_url, _agents(console), lambda _: delay_form(1))

    assert errors == []
    assert count(console, Customer) == count(console, Parcel) == 1
    complaints = rows(console, Complaint)
    assert len({c.reference for c in complaints}) == THREADS * EACH
    first, *later = complaints
    assert (first.severity, first.repeat_of) == ("general", None)
    assert {(c.severity, c.repeat_of) for c in later} == {("major", first.reference)}
