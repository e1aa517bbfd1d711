"""Compensation above the policy's suggestion: a reason, then a supervisor's approval before
it counts as agreed (on both engines)."""

from __future__ import annotations

import json

import pytest

from cs_console.domain.enums import CallbackKind, CompensationKind, Role
from cs_console.services.complaint_progress import record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import (
    Actor,
    InvalidInput,
    PermissionDenied,
    ServiceContext,
    ServiceError,
)
from cs_console.services.resolutions import ResolutionOutcome, decide_compensation
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import AuditEntry, Callback, Complaint, Event
from tests.conftest import FakeClock, add_person

from .helpers import delay_form, one, rows

REASON = "客户第三次延误投诉，经理同意加赔"
NINE_THOUSAND = 999_900  # ¥9,999 on a 3-day delay, whose coupon is ¥15


def _complaint(console: ServiceContext, complaint_id: int) -> Complaint:
    return one(console, Complaint, Complaint.id == complaint_id)


def _kinds(console: ServiceContext, complaint_id: int) -> list[str]:
    return [e.kind for e in rows(console, Event, Event.complaint_id == complaint_id)]


def _offer(
    console: ServiceContext,
    actor: Actor,
    complaint_id: int,
    reason: str = REASON,
    **changes: object,
) -> ResolutionOutcome:
    values: dict = {"kind": CompensationKind.COUPON, "amount_fen": NINE_THOUSAND, "accepted": True}
    values.update(changes)
    return record_resolution(console, actor, complaint_id, reason=reason, **values)


@pytest.fixture
def people(console: ServiceContext) -> tuple[Actor, Actor]:
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    boss = add_person(console, "zhaolei", Role.SUPERVISOR, agent_no="9001", display_name="赵雷")
    return agent, boss


@pytest.fixture
def three_days_late(console: ServiceContext, people: tuple[Actor, Actor]) -> int:
    return register_complaint(console, people[0], delay_form(3)).id


def test_above_the_suggestion_without_a_real_reason_is_refused(
    console: ServiceContext, people: tuple[Actor, Actor], three_days_late: int
) -> None:
    agent, _ = people
    for reason, code in (
        ("", "required"),
        ("x", "reason_too_vague"),
        ("[b][/b]", "reason_too_vague"),
    ):
        with pytest.raises(InvalidInput) as refused:
            _offer(console, agent, three_days_late, reason)
        assert refused.value.fields == {"reason": code}
    with pytest.raises(InvalidInput):  # a refused offer above the table needs one too
        _offer(console, agent, three_days_late, "", accepted=False)
    assert _kinds(console, three_days_late) == ["registered"]
    assert _complaint(console, three_days_late).approval_status == ""


def test_within_the_suggestion_no_reason_and_agreed_at_once(
    console: ServiceContext, people: tuple[Actor, Actor], three_days_late: int
) -> None:
    outcome = _offer(console, people[0], three_days_late, "", amount_fen=1500)
    assert outcome is ResolutionOutcome.RESOLVED
    complaint = _complaint(console, three_days_late)
    assert complaint.status == "resolved" and complaint.approval_status == ""


def test_above_the_suggestion_waits_and_the_resolve_clock_runs_on(
    console: ServiceContext, clock: FakeClock, people: tuple[Actor, Actor], three_days_late: int
) -> None:
    agent, _ = people
    clock.advance(hours=1)
    assert _offer(console, agent, three_days_late) is ResolutionOutcome.AWAITING_APPROVAL
    complaint = _complaint(console, three_days_late)
    assert complaint.status == "registered" and complaint.resolved_at is None
    assert (complaint.approval_status, complaint.approval_reason) == ("pending", REASON)
    assert (complaint.proposed_kind, complaint.proposed_fen) == ("coupon", NINE_THOUSAND)
    assert complaint.proposed_by == agent.id
    assert complaint.compensation_fen == 1500  # still the suggestion: nothing agreed
    assert rows(console, Callback) == []  # no follow-up before it is agreed
    view = complaint_view(console, agent, three_days_late)
    resolve = [c for c in view.clocks if c.kind.value == "resolve"][0]
    assert resolve.done_at is None
    assert view.approval is not None and view.approval.status == "pending"
    proposed = rows(console, Event, Event.kind == "resolution_proposed")[0]
    detail = json.loads(proposed.detail)
    assert detail["reason"] == REASON and detail["suggested_fen"] == 1500
    assert detail["amount_fen"] == NINE_THOUSAND


def test_only_a_supervisor_approves_and_never_their_own(
    console: ServiceContext, people: tuple[Actor, Actor], three_days_late: int
) -> None:
    agent, boss = people
    _offer(console, agent, three_days_late)
    with pytest.raises(PermissionDenied) as refused:
        decide_compensation(console, agent, three_days_late, approve=True)
    assert refused.value.code == "own_proposal"  # and above an agent's ¥100 (test_claims.py)
    # The supervisor proposes on a complaint of their own: someone else must approve it.
    theirs = register_complaint(console, boss, delay_form(3, phone="13900000077")).id
    _offer(console, boss, theirs)
    with pytest.raises(PermissionDenied) as refused:
        decide_compensation(console, boss, theirs, approve=True)
    assert refused.value.code == "own_proposal"
    assert _complaint(console, theirs).approval_status == "pending"
    with pytest.raises(ServiceError) as nothing:
        decide_compensation(
            console,
            boss,
            register_complaint(console, agent, delay_form(1, phone="13900000078")).id,
            approve=True,
        )
    assert nothing.value.code == "nothing_to_approve"


def test_approved_it_counts_as_agreed_recorded_and_audited(
    console: ServiceContext, clock: FakeClock, people: tuple[Actor, Actor], three_days_late: int
) -> None:
    agent, boss = people
    _offer(console, agent, three_days_late)
    clock.advance(hours=2)
    decide_compensation(console, boss, three_days_late, approve=True, note="老客户")
    complaint = _complaint(console, three_days_late)
    assert complaint.status == "resolved" and complaint.resolved_at == clock.now
    assert (complaint.compensation_kind, complaint.compensation_fen) == ("coupon", NINE_THOUSAND)
    assert complaint.approval_status == "approved"
    [followup] = rows(console, Callback)
    assert followup.kind == CallbackKind.FOLLOWUP.value
    assert _kinds(console, three_days_late)[-2:] == ["resolution_proposed", "compensation_approved"]
    [entry] = rows(console, AuditEntry, AuditEntry.action == "approval")
    assert entry.actor_id == boss.id
    assert entry.target == f"complaint:{complaint.reference}"
    detail = json.loads(entry.detail)
    assert detail["decision"] == "approved" and detail["amount_fen"] == NINE_THOUSAND
    assert detail["proposed_by"] == agent.id
    assert REASON not in entry.detail and "老客户" not in entry.detail  # free text stays out


def test_rejected_negotiation_goes_on_and_a_new_round_replaces_it(
    console: ServiceContext, people: tuple[Actor, Actor], three_days_late: int
) -> None:
    agent, boss = people
    _offer(console, agent, three_days_late)
    decide_compensation(console, boss, three_days_late, approve=False, note="超出太多")
    complaint = _complaint(console, three_days_late)
    assert complaint.status == "registered" and complaint.approval_status == "rejected"
    assert rows(console, Callback) == []
    [entry] = rows(console, AuditEntry, AuditEntry.action == "approval")
    assert json.loads(entry.detail)["decision"] == "rejected"
    with pytest.raises(ServiceError):  # decided already
        decide_compensation(console, boss, three_days_late, approve=True)
    assert (
        _offer(console, agent, three_days_late, "", amount_fen=1500) is ResolutionOutcome.RESOLVED
    )
    complaint = _complaint(console, three_days_late)
    assert complaint.status == "resolved" and complaint.approval_status == ""
    assert complaint.compensation_fen == 1500
