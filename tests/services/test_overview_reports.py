"""The overview and the monthly report against a small data set computed by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest

from cs_console.domain.enums import (
    AttemptOutcome,
    AuditAction,
    ClockState,
    CompensationKind,
    ContactType,
    Responsibility,
    Role,
)
from cs_console.domain.measures import MeasureKind
from cs_console.domain.scorecard import Band, Rating
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import end_call, mark_answered, start_call
from cs_console.services.complaint_progress import hand_over, mark_verified, record_resolution
from cs_console.services.complaints import register_complaint as register
from cs_console.services.context import Actor, InvalidInput, PermissionDenied, ServiceContext
from cs_console.services.overview import overview, sla_clocks
from cs_console.services.reassign import reassign_callback
from cs_console.services.reports import monthly_report
from cs_console.services.scoring import agent_card, attribute_complaint, rate_agent, scored_staff
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import AuditEntry, Callback, Complaint, Event
from tests.conftest import START, FakeClock, add_person
from tests.injections import NO_VISIBLE_WORDS

from .helpers import count, distinct_form, one, rows


@dataclass
class Floor:
    boss: Actor
    wang: Actor
    li: Actor
    first: int  # wang's complaint: verified, resolved and closed within the hour
    second: int  # li's complaint: never verified
    promise: int  # wang's reply promise (from his late call)


def _call(console: ServiceContext, clock: FakeClock, agent: Actor, wait: int, **kw: object) -> int:
    contact = start_call(console, agent, **kw)  # type: ignore[arg-type]
    mark_answered(console, agent, contact, console.now() + timedelta(seconds=wait))
    return contact


def _end(console: ServiceContext, agent: Actor, contact: int) -> None:
    end_call(console, agent, contact, contact_type=ContactType.TRACKING, notes="", outcome="")


@pytest.fixture
def floor(console: ServiceContext, clock: FakeClock) -> Floor:
    """14:00-16:00 in Shanghai on 2026-11-22 (see the test texts for the sums)."""
    from cs_console.domain.enums import Channel

    boss = add_person(console, "boss", Role.SUPERVISOR, agent_no="9001", display_name="主管")
    wang = add_person(console, "wang", agent_no="1024", display_name="王芳")
    li = add_person(console, "li", agent_no="1031", display_name="李强")
    one_call = _call(console, clock, wang, 5)  # answered in 5 s: in time
    _end(console, wang, one_call)
    late = _call(console, clock, wang, 20)  # answered in 20 s: late, and a reply promised
    promise_reply(console, wang, phone="13900000001", contact_id=late)
    _end(console, wang, late)
    online = _call(console, clock, li, 8, channel=Channel.ONLINE)  # online in 8 s: in time
    _end(console, li, online)
    start_call(console, li)  # still ringing: li is on a call, nothing counted yet
    first = register(console, wang, distinct_form(1)).id
    second = register(console, li, distinct_form(2)).id
    clock.advance(minutes=30)
    mark_verified(console, wang, first)
    clock.advance(minutes=10)
    record_resolution(
        console, wang, first, kind=CompensationKind.COUPON, amount_fen=1000, accepted=True
    )
    followup = one(console, Callback, Callback.complaint_id == first).id
    # Reached and satisfied (4): closes the complaint, and the call back is a contact too.
    record_attempt(console, wang, followup, AttemptOutcome.REACHED, satisfaction=4)
    clock.now = START + timedelta(hours=2)
    promise = one(console, Callback, Callback.complaint_id.is_(None)).id  # type: ignore[union-attr]
    return Floor(boss, wang, li, first, second, promise)


def test_todays_measures_by_hand(console: ServiceContext, floor: Floor) -> None:
    # Contacts: wang 5 s, 20 s (promise), the follow-up call (0 s); li 8 s online; li's
    # ringing call is not counted. In time 3 of 4; resolved at first contact 3 of 4 (the
    # promise is left to follow up). One score: 4. Responded: the first complaint within
    # 24 h; the second is undecided (2 h old, not verified). Closed: the first, in 40 min.
    seen = {m.kind: m for m in overview(console, floor.boss).measures}
    assert seen[MeasureKind.ANSWERED_IN_TIME].value == pytest.approx(0.75)
    assert seen[MeasureKind.ANSWERED_IN_TIME].met is False
    assert seen[MeasureKind.FIRST_CONTACT_RESOLUTION].value == pytest.approx(0.75)
    assert seen[MeasureKind.SATISFACTION].value == pytest.approx(4.0)
    assert seen[MeasureKind.SATISFACTION].met is False
    assert (
        seen[MeasureKind.RESPONDED_IN_TIME].value,
        seen[MeasureKind.RESPONDED_IN_TIME].counted,
    ) == (1.0, 1)
    assert seen[MeasureKind.CLOSED_IN_TIME].value == 1.0


def test_queue_agents_and_clocks_at_risk(console: ServiceContext, floor: Floor) -> None:
    view = overview(console, floor.boss)
    assert view.queue.open_total == 1 and view.queue.by_severity("general") == 1
    assert (view.queue.callbacks_pending, view.queue.callbacks_overdue) == (1, 1)
    agents = {a.agent_no: a for a in view.agents}
    wang, li = agents["1024"], agents["1031"]
    assert (wang.on_call, wang.open_complaints, wang.breaches, wang.contacts_today) == (
        False, 0, 0, 3,
    )  # fmt: skip
    assert (wang.answered_today.hits, wang.answered_today.total) == (2, 3)
    assert (li.on_call, li.open_complaints, li.breaches, li.contacts_today) == (True, 1, 1, 2)
    risky = [(r.kind, r.id, r.clock, r.state, r.owner) for r in view.at_risk]
    assert ("complaint", floor.second, "verify", ClockState.BREACHED, "李强") in risky
    assert ("callback", floor.promise, "reply_promise", ClockState.BREACHED, "王芳") in risky
    assert len(risky) == 2
    assert [r.id for r in sla_clocks(console, floor.boss)] == [r.id for r in view.at_risk]
    hours = dict(view.per_hour)
    assert len(hours) == 24 and sum(hours.values()) == 2
    assert hours[max(hours)] == 0 and hours[max(hours) - timedelta(hours=2)] == 2  # at 14:00


def test_the_report_agrees_with_the_overview_and_scores_by_hand(
    console: ServiceContext, floor: Floor
) -> None:
    report = monthly_report(console, floor.boss, "2026-11")
    today = overview(console, floor.boss).measures
    assert [(m.value, m.counted) for m in report.measures] == [(m.value, m.counted) for m in today]
    rate_agent(console, floor.boss, "wang", "2026-11", Rating(80, 90))
    rate_agent(console, floor.boss, "li", "2026-11", Rating(50, 70))
    attribute_complaint(console, floor.boss, floor.second, Responsibility.AGENT, "li")
    cards = {c.username: c for c in monthly_report(console, floor.boss, "2026-11").agents}
    # wang: speed 2/3, first contact 2/3, satisfaction 4 (75 points): measured
    # 0.4 x 66.67 + 0.3 x 66.67 + 0.3 x 75 = 69.17; rated 85; 41.5 + 34 = 75.5.
    wang = cards["wang"].card
    assert wang.measured == pytest.approx(69.1667, abs=1e-3)
    assert (wang.score, wang.band, wang.deductions) == (75.5, Band.PASS, 0)
    # li: speed 1/1, first contact 1/1, no score (its weight shared): 100; rated 60;
    # 60 + 24 - 8 (verify ran out while li owned it) - 5 (li's breach of the standard).
    li = cards["li"].card
    assert (li.measured, li.deductions, li.score, li.band) == (100, 13, 71.0, Band.PASS)
    assert agent_card(console, floor.boss, "li", "2026-11").card == li
    assert monthly_report(console, floor.boss, "2026-10").agents[0].card.score is None


def test_late_handling_counts_against_whoever_owned_it_when_the_clock_ran_out(
    console: ServiceContext, floor: Floor, clock: FakeClock
) -> None:
    hand_over(console, floor.li, floor.second, "wang", "换班")  # after verify ran out (15:00)
    late = {c.username: c.month.late_complaints for c in monthly_report(console, floor.boss).agents}
    assert late == {"wang": 0, "li": 1}


def test_late_handling_counts_against_whoever_was_handed_it_before_the_clock_ran_out(
    console: ServiceContext, floor: Floor, clock: FakeClock
) -> None:
    clock.now = START + timedelta(minutes=5)
    handed = register(console, floor.wang, distinct_form(20)).id  # verify due at 15:05
    clock.now = START + timedelta(minutes=30)
    hand_over(console, floor.wang, handed, "li", "换班")  # li holds it when it runs out
    clock.now = START + timedelta(hours=2)
    hand_over(console, floor.li, floor.second, "wang", "换班")  # li's own, late since 15:00
    late = {c.username: c.month.late_complaints for c in monthly_report(console, floor.boss).agents}
    assert late == {"wang": 0, "li": 2}


def test_three_attitude_complaints_flag_retraining(console: ServiceContext, floor: Floor) -> None:
    for i in range(3):
        attitude = register(
            console, floor.wang, distinct_form(10 + i, category="attitude", days_late="")
        )
        attribute_complaint(console, floor.boss, attitude.id, Responsibility.AGENT, "li")
    card = agent_card(console, floor.boss, "li", "2026-11")
    assert card.month.attitude_complaints == 3 and card.card.retraining
    assert one(console, Complaint, Complaint.id == attitude.id).responsible_agent_id == floor.li.id
    assert rows(console, Event, Event.kind == "responsibility_recorded")


def test_an_attribution_shows_on_the_complaint_with_its_reason(
    console: ServiceContext, floor: Floor
) -> None:
    assert [p.username for p in scored_staff(console, floor.boss)] == ["wang", "li"]
    with pytest.raises(PermissionDenied):
        scored_staff(console, floor.wang)
    reason = " 未按时核实\x1b]52;c;aGk=\x07 "
    attribute_complaint(console, floor.boss, floor.second, Responsibility.AGENT, "li", reason)
    view = complaint_view(console, floor.boss, floor.second)
    assert (view.responsibility, view.responsible_agent_id) == ("agent", floor.li.id)
    assert view.responsible_agent == "1031 李强"
    detail = json.loads(one(console, Event, Event.kind == "responsibility_recorded").detail)
    assert detail == {"responsibility": "agent", "agent": "li", "reason": "未按时核实"}
    attribute_complaint(console, floor.boss, floor.second, Responsibility.COURIER, "li")
    view = complaint_view(console, floor.boss, floor.second)
    assert (view.responsibility, view.responsible_agent_id, view.responsible_agent) == (
        "courier",
        None,
        "",
    )


@pytest.mark.parametrize("reason", [*NO_VISIBLE_WORDS, "迟到"])  # or one word
def test_an_attribution_reason_needs_visible_words(
    console: ServiceContext, floor: Floor, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        attribute_complaint(console, floor.boss, floor.second, Responsibility.AGENT, "li", reason)

    assert caught.value.fields == {"reason": "reason_too_vague"}
    assert complaint_view(console, floor.boss, floor.second).responsibility == ""
    assert count(console, Event, Event.kind == "responsibility_recorded") == 0


def test_reassigning_a_callback_is_recorded(console: ServiceContext, floor: Floor) -> None:
    reassign_callback(console, floor.boss, floor.promise, "li", "王芳下班")
    assert one(console, Callback, Callback.id == floor.promise).owner_id == floor.li.id
    event = one(console, Event, Event.kind == "callback_reassigned")
    assert (event.actor_id, event.callback_id) == (floor.boss.id, floor.promise)
    assert "王芳下班" in event.detail
    audit = rows(console, AuditEntry, AuditEntry.action == AuditAction.HAND_OVER.value)
    assert audit[-1].target == f"callback:{floor.promise}"
    with pytest.raises(InvalidInput):
        reassign_callback(console, floor.boss, floor.promise, "li", "  ")
    for typed in NO_VISIBLE_WORDS:  # zero-width, bidi, markup: no reason
        with pytest.raises(InvalidInput) as caught:
            reassign_callback(console, floor.boss, floor.promise, "wang", typed)
        assert caught.value.fields == {"reason": "reason_too_vague"}
    assert one(console, Callback, Callback.id == floor.promise).owner_id == floor.li.id
    with pytest.raises(PermissionDenied):
        reassign_callback(console, floor.wang, floor.promise, "wang", "自己来")


def test_only_supervisors_see_the_overview_rate_or_report(
    console: ServiceContext, floor: Floor
) -> None:
    for use in (
        lambda: overview(console, floor.wang),
        lambda: monthly_report(console, floor.wang),
        lambda: sla_clocks(console, floor.wang),
        lambda: rate_agent(console, floor.wang, "li", "2026-11", Rating(1, 1)),
    ):
        with pytest.raises(PermissionDenied):
            use()
    with pytest.raises(InvalidInput):
        rate_agent(console, floor.boss, "li", "2026-11", Rating(101, 50))
    with pytest.raises(InvalidInput):
        monthly_report(console, floor.boss, "2026-13")


@pytest.mark.parametrize("started_at_ms", [0, 123, 999])
def test_an_answer_right_on_the_limit_is_in_time_and_a_millisecond_later_is_not(
    console: ServiceContext, clock: FakeClock, started_at_ms: int
) -> None:
    from cs_console.domain.enums import Channel

    boss = add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")
    wang = add_person(console, "wang", agent_no="1024")
    limits = {Channel.PHONE: console.policy.call.answer_phone_seconds,
              Channel.ONLINE: console.policy.call.answer_online_seconds}  # fmt: skip
    for channel, limit in limits.items():
        for wait in (timedelta(seconds=limit), timedelta(seconds=limit, milliseconds=1)):
            clock.now = START + timedelta(
                minutes=len(rows(console, Event)), milliseconds=started_at_ms
            )
            contact = start_call(console, wang, channel=channel)
            mark_answered(console, wang, contact, clock.now + wait)
    seen = {m.kind: m for m in overview(console, boss).measures}
    answered = seen[MeasureKind.ANSWERED_IN_TIME]
    assert (answered.value, answered.counted) == (pytest.approx(0.5), 4)
