"""Clocks at risk, found in SQL: the same states as the domain's clocks at every boundary,
and the overview's list capped with the rest counted."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

import cs_console.services.overview as overview_module
from cs_console.domain.clocks import clock_state
from cs_console.domain.complaint_clocks import URGENCY, pending_clocks
from cs_console.domain.enums import (
    AttemptOutcome,
    CallbackStatus,
    ClockState,
    CompensationKind,
    Role,
)
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.complaint_progress import mark_verified, record_resolution
from cs_console.services.complaints import register_complaint as register
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.overview import CALLBACK_SOON, overview, sla_clocks
from cs_console.storage.complaints import times_of
from cs_console.storage.engine import read_session
from cs_console.storage.tables import Callback, Complaint
from tests.conftest import START, FakeClock, add_person

from .helpers import distinct_form, one

AT_RISK = (ClockState.BREACHED, ClockState.RED, ClockState.AMBER)
Seen = tuple[str, int, str, ClockState, datetime, datetime]


def _by_the_domain(console: ServiceContext, now: datetime) -> set[Seen]:
    """The at-risk clocks and callbacks at ``now`` computed in Python, from stored times."""
    policy = console.policy.clocks
    found: set[Seen] = set()
    with read_session(console.engine) as session:
        for c in session.exec(select(Complaint).where(Complaint.status != "closed")):
            for clock in pending_clocks(times_of(c), policy):
                state = clock_state(clock, now, policy)
                if state in AT_RISK:
                    found.add(("complaint", c.id, clock.kind.value, state, clock.start, clock.due))  # type: ignore[arg-type]
        for cb in session.exec(
            select(Callback).where(Callback.status == CallbackStatus.PENDING.value)
        ):
            if cb.due_at < now + CALLBACK_SOON:
                state = ClockState.BREACHED if cb.due_at < now else ClockState.AMBER
                found.add(("callback", cb.id, cb.kind, state, cb.created_at, cb.due_at))  # type: ignore[arg-type]
    return found


def _boundaries(console: ServiceContext) -> list[datetime]:
    """Where each running clock turns amber, red and breached."""
    policy = console.policy.clocks
    moments = []
    with read_session(console.engine) as session:
        for c in session.exec(select(Complaint)):
            for clock in pending_clocks(times_of(c), policy):
                length = clock.due - clock.start
                moments += [
                    clock.due - length * policy.amber_fraction,
                    clock.due - length * policy.red_fraction,
                    clock.due,
                ]
    return moments


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "boss", Role.SUPERVISOR, agent_no="9001", display_name="主管")


def test_states_agree_with_the_domain_at_every_boundary(
    console: ServiceContext, clock: FakeClock, boss: Actor
) -> None:
    wang = add_person(console, "wang", agent_no="1024", display_name="王芳")
    register(console, wang, distinct_form(1))  # verify 1 h and resolve 24 h running
    resolved = register(console, wang, distinct_form(2)).id
    reopened = register(console, wang, distinct_form(3)).id
    clock.advance(minutes=10)
    for complaint in (resolved, reopened):
        mark_verified(console, wang, complaint)
        record_resolution(
            console, wang, complaint, kind=CompensationKind.COUPON, amount_fen=500, accepted=True
        )  # the follow-up clock runs from the resolution
    clock.advance(minutes=10)
    followup = one(console, Callback, Callback.complaint_id == reopened).id
    # Not satisfied: the second follow-up runs, its start not stored (12 h before it is due).
    record_attempt(console, wang, followup, AttemptOutcome.REACHED, satisfaction=2)
    steps = (timedelta(0), timedelta(milliseconds=1), timedelta(seconds=1))
    moments = sorted(
        {m + sign * s for m in _boundaries(console) for s in steps for sign in (1, -1)}
    )
    states, clocks = set(), set()
    for now in moments:
        clock.now = now
        listed = sla_clocks(console, boss)
        seen = {(r.kind, r.id, r.clock, r.state, r.start, r.due) for r in listed}
        assert seen == _by_the_domain(console, now), now
        order = [(URGENCY[r.state], r.due) for r in listed]
        assert order == sorted(order)
        assert {r.owner for r in listed} <= {"王芳"}
        states |= {r.state for r in listed}
        clocks |= {r.clock for r in listed}
    assert states == set(AT_RISK)
    assert clocks == {"verify", "resolve", "followup", "second_followup"}


def test_the_overview_lists_the_most_urgent_and_counts_the_rest(
    console: ServiceContext, clock: FakeClock, boss: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overview_module, "AT_RISK_SHOWN", 1)
    wang = add_person(console, "wang", agent_no="1024", display_name="王芳")
    li = add_person(console, "li", agent_no="1031", display_name="李强")
    clock.now = START - timedelta(hours=3)
    oldest = register(console, wang, distinct_form(1)).id
    clock.now = START - timedelta(hours=2)
    register(console, wang, distinct_form(2))
    clock.now = START - timedelta(minutes=50)  # 10 minutes left of 60: amber
    register(console, li, distinct_form(3))
    clock.now = START
    view = overview(console, boss)
    assert [(r.id, r.clock, r.state) for r in view.at_risk] == [
        (oldest, "verify", ClockState.BREACHED)
    ]
    assert view.at_risk_total == 3
    breaches = {a.agent_no: a.breaches for a in view.agents}
    assert breaches == {"1024": 2, "1031": 0}  # counted though not listed
    assert len(sla_clocks(console, boss)) == 3
