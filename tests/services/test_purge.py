"""The retention purge: service records go after a year, customer data after two, never
anything tied to an open complaint; a dry run changes nothing; the purge is audited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import text

from cs_console.domain.enums import AttemptOutcome, CompensationKind, ContactType, Role
from cs_console.services.audit_checks import verify_audit
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import end_call, start_call
from cs_console.services.complaint_progress import mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.services.drafts import save_draft
from cs_console.services.purge import TABLES, purge
from cs_console.storage.tables import (
    AppliedWrite,
    AuditEntry,
    Callback,
    CallbackAttempt,
    Complaint,
    Contact,
    Customer,
    Draft,
    Event,
    Parcel,
)
from tests.conftest import START, FakeClock, add_person

from .helpers import count, delay_form, in_clear, one, phone, rows, tracking

YEAR, TWO_YEARS = timedelta(days=365), timedelta(days=730)
MINUTE = timedelta(minutes=1)
MODELS = {
    "customers": Customer,
    "parcels": Parcel,
    "contacts": Contact,
    "complaints": Complaint,
    "callbacks": Callback,
    "callback_attempts": CallbackAttempt,
    "events": Event,
    "drafts": Draft,
    "applied_writes": AppliedWrite,
}


@dataclass(frozen=True)
class World:
    closed: str  # reference of a complaint closed at START (customer 1, parcel 1)
    open: str  # reference of a complaint never closed (customer 2)
    closed_elsewhere: str  # closed at START; its customer (3) has another, open complaint
    open_elsewhere: str  # that open complaint (customer 3, parcel 4)
    repeated: str  # closed at START, but an open complaint repeats it (customer 5)


def _close(console: ServiceContext, agent: Actor, complaint_id: int) -> None:
    mark_verified(console, agent, complaint_id)
    record_resolution(
        console, agent, complaint_id, kind=CompensationKind.COUPON, amount_fen=1000, accepted=True
    )
    followup = one(console, Callback, Callback.complaint_id == complaint_id)
    record_attempt(console, agent, followup.id, AttemptOutcome.REACHED, satisfaction=5)


def _register(console: ServiceContext, agent: Actor, i: int, *, with_call: bool = False) -> int:
    contact = start_call(console, agent) if with_call else None
    form = delay_form(2, phone=phone(i), tracking_no=tracking(i), customer_name=f"客户{i}号")
    complaint = register_complaint(console, agent, form, contact_id=contact)
    if contact is not None:
        end_call(
            console, agent, contact, contact_type=ContactType.COMPLAINT, notes="", outcome="登记"
        )
    return complaint.id


def _reference(console: ServiceContext, complaint_id: int) -> str:
    return one(console, Complaint, Complaint.id == complaint_id).reference


@pytest.fixture
def admin(console: ServiceContext) -> Actor:
    return add_person(console, "root", Role.ADMIN, agent_no="0001")


@pytest.fixture
def world(console: ServiceContext, agent: Actor) -> World:
    """Everything happens at START (the fake clock does not move while it is built)."""
    closed = _register(console, agent, 1, with_call=True)
    _close(console, agent, closed)
    still_open = _register(console, agent, 2)
    closed_elsewhere = _register(console, agent, 3)
    _close(console, agent, closed_elsewhere)
    form = delay_form(2, phone=phone(3), tracking_no=tracking(4), customer_name="客户3号")
    open_elsewhere = register_complaint(console, agent, form).id
    repeated = _register(console, agent, 5)
    form = delay_form(2, phone=phone(5), tracking_no=tracking(6), customer_name="客户5号")
    repeat = register_complaint(console, agent, form)
    assert repeat.classification.severity.value == "major"  # a repeat of an unresolved one
    _close(console, agent, repeated)
    promise_reply(console, agent, phone=phone(7), name="回拨客户")
    save_draft(console, agent, "workspace", {"customer_name": "草稿客户"})
    return World(
        *(
            _reference(console, i)
            for i in (closed, still_open, closed_elsewhere, open_elsewhere, repeated)
        )
    )


def _snapshot(console: ServiceContext) -> dict[str, int]:
    return {name: count(console, model) for name, model in MODELS.items()}


def _references(console: ServiceContext) -> set[str]:
    return {c.reference for c in rows(console, Complaint)}


def _customer_phones(console: ServiceContext) -> set[str]:
    return {in_clear(c).phone for c in rows(console, Customer)}


def _at(clock: FakeClock, moment) -> None:  # type: ignore[no-untyped-def]
    clock.now = moment


# --- the one-year limit: service records ---------------------------------------------------


def test_service_records_just_inside_a_year_stay(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    before = _snapshot(console)
    _at(clock, START + YEAR - MINUTE)

    report = purge(console, admin, dry_run=False)

    assert report.total == 0
    assert _snapshot(console) == before


def test_service_records_just_outside_a_year_go(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    before = _snapshot(console)
    _at(clock, START + YEAR + MINUTE)

    report = purge(console, admin, dry_run=False)

    # The two closed complaints nothing open points at go, with everything of theirs.
    assert _references(console) == {world.open, world.open_elsewhere, world.repeated} | {
        c.reference for c in rows(console, Complaint, Complaint.repeat_of == world.repeated)
    }
    assert report.counts["complaints"] == 2
    assert (report.first_reference, report.last_reference) == (world.closed, world.closed_elsewhere)
    assert count(console, Draft) == 0
    # Both follow-ups of the purged complaints and the finished callbacks of none went;
    # the repeated complaint keeps its follow-up, the promised reply is still pending.
    assert {(c.kind, c.status) for c in rows(console, Callback)} == {
        ("followup", "done"),
        ("reply_promise", "pending"),
    }
    assert report.counts["callbacks"] == 2
    assert report.counts["callback_attempts"] == 2
    assert count(console, Event, Event.complaint_id.is_(None), Event.callback_id.is_(None)) == 0
    # Customer data is kept for two years.
    assert report.counts["customers"] == report.counts["parcels"] == 0
    assert _snapshot(console) == {name: before[name] - report.counts[name] for name in TABLES}


def test_an_open_complaint_keeps_everything_tied_to_it(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    _at(clock, START + TWO_YEARS + YEAR)

    purge(console, admin, dry_run=False)

    assert {world.open, world.open_elsewhere, world.repeated} <= _references(console)
    # Customers 2, 3 (whose other complaint was closed and purged) and 5 stay, with
    # the parcels of their open complaints; the closed complaint's own parcel went.
    # Customer 7 stays too: the reply promised to them is still pending (open work).
    assert _customer_phones(console) == {f"+86{phone(i)}" for i in (2, 3, 5, 7)}
    assert {p.tracking_no for p in rows(console, Parcel)} == {tracking(i) for i in (2, 4, 5, 6)}
    kept = one(console, Complaint, Complaint.reference == world.open)
    assert count(console, Event, Event.complaint_id == kept.id) == 1


# --- the two-year limit: customers and parcels ---------------------------------------------


def test_customer_data_just_inside_two_years_stays(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    _at(clock, START + YEAR + MINUTE)
    purge(console, admin, dry_run=False)
    _at(clock, START + TWO_YEARS - MINUTE)

    report = purge(console, admin, dry_run=False)

    assert report.total == 0
    assert f"+86{phone(1)}" in _customer_phones(console)
    assert tracking(1) in {p.tracking_no for p in rows(console, Parcel)}


def test_customer_data_just_outside_two_years_goes(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    _at(clock, START + YEAR + MINUTE)
    purge(console, admin, dry_run=False)
    _at(clock, START + TWO_YEARS + MINUTE)

    report = purge(console, admin, dry_run=False)

    # Customers 1 (closed complaint) and 7 (a reply promise still pending) differ: 7's
    # pending callback is open work and keeps them.
    assert f"+86{phone(1)}" not in _customer_phones(console)
    assert f"+86{phone(7)}" in _customer_phones(console)
    assert report.counts["customers"] == 1
    assert report.counts["parcels"] == 2  # customer 1's and customer 3's closed one
    assert tracking(1) not in {p.tracking_no for p in rows(console, Parcel)}


def test_a_first_purge_after_two_years_honours_activity_it_destroys(
    console: ServiceContext, clock: FakeClock, admin: Actor, agent: Actor, world: World
) -> None:
    """A customer who called again 13 months ago keeps their data: the call counts even
    though the same purge destroys it."""
    _at(clock, START + TWO_YEARS - YEAR - timedelta(days=30))
    call = start_call(console, agent)
    end_call(
        console,
        agent,
        call,
        contact_type=ContactType.TRACKING,
        notes="",
        outcome="已答复",
        phone=phone(1),
    )
    _at(clock, START + TWO_YEARS + MINUTE)

    purge(console, admin, dry_run=False)

    assert count(console, Contact) == 0
    assert f"+86{phone(1)}" in _customer_phones(console)


@pytest.mark.parametrize("stamped", [True, False], ids=["stamped", "from-before-0018"])
def test_customer_data_counts_from_the_last_contact_after_a_purge_destroyed_it(
    console: ServiceContext,
    clock: FakeClock,
    admin: Actor,
    agent: Actor,
    world: World,
    stamped: bool,
) -> None:
    """Customer 1 (first seen at START) calls again half a year later; a purge a year after
    that destroys the call. Their data stays two years from the call, not from START."""
    half_year = timedelta(days=182)
    _at(clock, START + half_year)
    call = start_call(console, agent)
    end_call(
        console, agent, call, contact_type=ContactType.TRACKING, notes="", outcome="已答复",
        phone=phone(1),
    )  # fmt: skip
    if not stamped:  # a customer row from before the column: only the purge can write it
        with console.engine.begin() as connection:
            connection.execute(text("UPDATE customers SET last_contact_at = NULL"))
    _at(clock, START + half_year + YEAR + MINUTE)
    purge(console, admin, dry_run=False)
    assert count(console, Contact) == 0  # the call is gone, with the date it carried

    _at(clock, START + TWO_YEARS + MINUTE)
    purge(console, admin, dry_run=False)
    assert f"+86{phone(1)}" in _customer_phones(console)

    _at(clock, START + half_year + TWO_YEARS + MINUTE)
    purge(console, admin, dry_run=False)
    assert f"+86{phone(1)}" not in _customer_phones(console)


# --- dry run, audit, permission --------------------------------------------------------------


def test_a_dry_run_changes_nothing_but_reports_the_same_counts(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    _at(clock, START + TWO_YEARS + MINUTE)
    before = _snapshot(console)
    audit_entries = count(console, AuditEntry)

    dry = purge(console, admin, dry_run=True)

    assert dry.dry_run and dry.total > 0
    assert _snapshot(console) == before
    assert count(console, AuditEntry) == audit_entries
    real = purge(console, admin, dry_run=False)
    assert not real.dry_run
    assert (real.counts, real.first_reference, real.last_reference) == (
        dry.counts,
        dry.first_reference,
        dry.last_reference,
    )


def test_the_purge_is_audited_with_counts_and_references_only(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    _at(clock, START + TWO_YEARS + MINUTE)

    report = purge(console, admin, dry_run=False)

    entry = rows(console, AuditEntry)[-1]
    detail = json.loads(entry.detail)
    assert (entry.action, entry.actor_id, entry.at) == ("purge", admin.id, clock.now)
    assert detail["counts"] == report.counts == {name: report.counts[name] for name in TABLES}
    assert (detail["first_reference"], detail["last_reference"]) == (
        world.closed,
        world.closed_elsewhere,
    )
    for personal in ("客户", "草稿", phone(1), tracking(1), "+86"):
        assert personal not in entry.detail + entry.target
    assert verify_audit(console, admin).ok


def test_an_empty_purge_is_audited_too(console: ServiceContext, admin: Actor) -> None:
    report = purge(console, admin, dry_run=False)

    assert report.total == 0 and report.first_reference is None
    entry = rows(console, AuditEntry)[-1]
    assert entry.action == "purge"
    assert json.loads(entry.detail)["counts"] == dict.fromkeys(TABLES, 0)


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.SPECIALIST])
def test_only_administrators_purge(
    console: ServiceContext, clock: FakeClock, world: World, role: Role
) -> None:
    someone = add_person(console, "someone", role, agent_no="7777")
    _at(clock, START + TWO_YEARS + MINUTE)
    before = _snapshot(console)

    for dry_run in (True, False):
        with pytest.raises(PermissionDenied):
            purge(console, someone, dry_run=dry_run)

    assert _snapshot(console) == before
    assert count(console, AuditEntry, AuditEntry.action == "purge") == 0


def test_progress_is_reported_step_by_step(console: ServiceContext, admin: Actor) -> None:
    seen: list[tuple[str, int, int]] = []

    purge(console, admin, dry_run=True, progress=lambda *step: seen.append(step))

    assert seen[-1][1:] == (8, 8)
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)


def test_an_interrupted_purge_leaves_everything_as_it_was(
    console: ServiceContext, clock: FakeClock, admin: Actor, world: World
) -> None:
    _at(clock, START + TWO_YEARS + MINUTE)
    before = _snapshot(console)

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "parcels":  # complaints, callbacks and contacts are gone by now
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        purge(console, admin, dry_run=False, progress=interrupt)

    assert _snapshot(console) == before
    assert count(console, AuditEntry, AuditEntry.action == "purge") == 0
