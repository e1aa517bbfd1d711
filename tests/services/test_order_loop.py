"""The loop back from the outlet: its answer flags the complaint in its owner's clocks until
the owner acts, verifying takes the outlet's finding as its record; overdue orders are in
the overview with their outlet; the month report counts each outlet's orders and replies;
next year's unknown calendar is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs_console.domain.enums import Role
from cs_console.domain.work_orders import OrderKind, OrderResult
from cs_console.services.calendar_check import unknown_calendar_year
from cs_console.services.complaint_progress import mark_verified
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.overview import overview
from cs_console.services.reports import monthly_report
from cs_console.services.work_orders import answer_work_order, send_work_order
from cs_console.services.worklists import complaint_view, my_clocks
from cs_console.storage.tables import Complaint
from tests.conftest import START, FakeClock, add_person

from .helpers import distinct_form, one

PUDONG, XUHUI = "浦东网点", "徐汇网点"
FOUND = "[bold]签收人是门卫[/] 快递员下午三点放在门卫室"


@pytest.fixture
def desk(console: ServiceContext, agent: Actor) -> dict[str, Actor]:
    return {
        "agent": agent,
        "boss": add_person(console, "boss", Role.SUPERVISOR, agent_no="9001"),
        "pudong": add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet=PUDONG),
        "xuhui": add_person(console, "xuhui", Role.OUTLET, agent_no="7002", outlet=XUHUI),
    }


def _complaint(console: ServiceContext, actor: Actor, i: int, outlet: str = PUDONG) -> int:
    reference = register_complaint(console, actor, distinct_form(i, outlet=outlet)).reference
    found: int = one(console, Complaint, Complaint.reference == reference).id
    return found


def _reference(console: ServiceContext, complaint_id: int) -> str:
    found: str = one(console, Complaint, Complaint.id == complaint_id).reference
    return found


def test_the_outlets_finding_flags_my_clocks_and_becomes_the_verify_record(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    agent = desk["agent"]
    first, second = _complaint(console, agent, 1), _complaint(console, agent, 2)
    order = send_work_order(
        console, agent, _reference(console, first), OrderKind.VERIFY, "客户说没收到"
    )
    clock.advance(minutes=20)
    assert not any(row.outlet_replied for row in my_clocks(console, agent))

    answer_work_order(console, desk["pudong"], order.id, OrderResult.FACTS, FOUND)
    replied = {row.complaint_id: row.outlet_replied for row in my_clocks(console, agent)}
    assert replied == {first: True, second: False}
    history = complaint_view(console, agent, first).events
    assert history[-1].kind == "order_answered" and history[-1].detail["answer"] == FOUND

    clock.advance(minutes=1)
    mark_verified(console, agent, first)  # no note of the agent's own
    verified = complaint_view(console, agent, first).events[-1]
    assert verified.kind == "verified"
    assert verified.detail["note"] == FOUND
    assert (verified.detail["order"], verified.detail["outlet"]) == (order.id, PUDONG)
    assert not any(row.outlet_replied for row in my_clocks(console, agent))


def test_a_cannot_answer_is_no_finding_and_an_own_note_wins(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    agent = desk["agent"]
    first, second = _complaint(console, agent, 1), _complaint(console, agent, 2)
    for complaint, result, text in (
        (first, OrderResult.CANNOT, "快递员休假"),
        (second, OrderResult.FACTS, FOUND),
    ):
        order = send_work_order(
            console, agent, _reference(console, complaint), OrderKind.VERIFY, "请核实"
        )
        answer_work_order(console, desk["pudong"], order.id, result, text)
    clock.advance(minutes=1)
    mark_verified(console, agent, first)
    mark_verified(console, agent, second, "客户自己找到了")
    assert complaint_view(console, agent, first).events[-1].detail["note"] == ""
    assert "order" not in complaint_view(console, agent, first).events[-1].detail
    assert complaint_view(console, agent, second).events[-1].detail["note"] == "客户自己找到了"


def test_overdue_orders_show_in_the_overview_with_their_outlet(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    agent = desk["agent"]
    late = send_work_order(
        console, agent, _reference(console, _complaint(console, agent, 1)), OrderKind.URGE, "催"
    )
    send_work_order(
        console,
        agent,
        _reference(console, _complaint(console, agent, 2, XUHUI)),
        OrderKind.REDELIVER,
        "再投",
    )
    assert overview(console, desk["boss"]).overdue_orders_total == 0
    clock.advance(hours=5)  # urge: 4 h; deliver again: 24 h
    seen = overview(console, desk["boss"])
    assert seen.overdue_orders_total == 1
    assert [(o.id, o.outlet) for o in seen.overdue_orders] == [(late.id, PUDONG)]


def test_the_month_report_has_each_outlets_orders_replies_in_time_and_median(
    console: ServiceContext, desk: dict[str, Actor], clock: FakeClock
) -> None:
    agent = desk["agent"]
    sent = []
    for i, outlet in enumerate((PUDONG, PUDONG, PUDONG, XUHUI), start=1):
        reference = _reference(console, _complaint(console, agent, i, outlet))
        sent.append(send_work_order(console, agent, reference, OrderKind.URGE, "催一下"))
    clock.advance(hours=1)
    answer_work_order(console, desk["pudong"], sent[0].id, OrderResult.DONE)
    clock.advance(hours=2)
    answer_work_order(console, desk["pudong"], sent[1].id, OrderResult.DONE)
    clock.advance(hours=3)  # 6 h after sending: late (urge is due in 4 h)
    answer_work_order(console, desk["pudong"], sent[2].id, OrderResult.CANNOT, "地址不存在")

    month = START.astimezone(console.zone).strftime("%Y-%m")
    outlets = {o.outlet: o for o in monthly_report(console, desk["boss"], month).outlets}
    assert set(outlets) == {PUDONG, XUHUI}
    pudong, xuhui = outlets[PUDONG], outlets[XUHUI]
    assert (pudong.orders, pudong.replied_in_time, pudong.median_reply) == (
        3,
        2,
        timedelta(hours=3),
    )
    assert (xuhui.orders, xuhui.replied_in_time, xuhui.median_reply) == (1, 0, None)


def test_next_years_calendar_unknown_is_told(console: ServiceContext) -> None:
    zone = ZoneInfo("Asia/Shanghai")
    policy = console.policy
    assert unknown_calendar_year(policy, zone, datetime(2025, 12, 1, tzinfo=UTC)) is None  # 2026
    assert unknown_calendar_year(policy, zone, datetime(2098, 6, 1, tzinfo=UTC)) == 2099
    # Shanghai is already in 2098 at 17:00 UTC on 31 December 2097.
    assert unknown_calendar_year(policy, zone, datetime(2097, 12, 31, 17, tzinfo=UTC)) == 2099
    calendar = replace(policy.calendar, extra_holidays=frozenset({date(2099, 1, 1)}))
    told = replace(policy, calendar=calendar)
    assert unknown_calendar_year(told, zone, datetime(2098, 6, 1, tzinfo=UTC)) is None


def test_a_new_order_starts_from_the_complaints_outlet_and_what_the_customer_said(
    console: ServiceContext, desk: dict[str, Actor]
) -> None:
    from cs_console.services.context import NotFound, PermissionDenied
    from cs_console.services.work_orders import order_start

    agent = desk["agent"]
    reference = _reference(console, _complaint(console, agent, 1))
    start = order_start(console, agent, reference.lower().replace("-", ""))
    assert (start.reference, start.outlet) == (reference, PUDONG)
    assert start.said == "包裹比承诺晚到两天"  # the complaint's description
    with pytest.raises(PermissionDenied):
        order_start(console, desk["pudong"], reference)  # outlets answer, never send
    stranger = add_person(console, "stranger", Role.AGENT, agent_no="1099", team="B")
    with pytest.raises(PermissionDenied):
        order_start(console, stranger, reference)  # not theirs, nor their team's
    with pytest.raises(NotFound):
        order_start(console, agent, "C-20261122-9999")
