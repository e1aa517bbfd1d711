"""Work orders' rules: due times per kind, the verify order before the complaint's verify
clock, signed parcels, the shown state and the outlet's answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.work_orders import (
    OrderKind,
    OrderResult,
    OrderState,
    OrderStatus,
    answer_problems,
    order_due,
    order_state,
    refused_for_signed_parcel,
)

POLICY = default_policy().work_orders
SENT = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "hours"),
    [
        (OrderKind.VERIFY, 4),
        (OrderKind.URGE, 4),
        (OrderKind.INTERCEPT, 2),
        (OrderKind.READDRESS, 2),
        (OrderKind.REDELIVER, 24),
    ],
)
def test_each_kind_is_due_after_the_policy_hours(kind: OrderKind, hours: int) -> None:
    assert order_due(kind, SENT, POLICY) == SENT + timedelta(hours=hours)


def test_a_verify_order_is_due_the_margin_before_the_complaint_clock() -> None:
    verify_due = SENT + timedelta(hours=1)  # a general complaint's 1 h clock
    assert order_due(OrderKind.VERIFY, SENT, POLICY, verify_due) == SENT + timedelta(minutes=45)


def test_a_long_verify_clock_leaves_the_policy_hours() -> None:
    verify_due = SENT + timedelta(hours=6)  # a major complaint's 6 h clock
    assert order_due(OrderKind.VERIFY, SENT, POLICY, verify_due) == SENT + timedelta(hours=4)


def test_a_used_up_margin_gives_the_policy_hours_not_an_order_due_at_once() -> None:
    verify_due = SENT + timedelta(minutes=10)
    assert order_due(OrderKind.VERIFY, SENT, POLICY, verify_due) == SENT + timedelta(hours=4)


def test_other_kinds_ignore_the_verify_clock() -> None:
    verify_due = SENT + timedelta(hours=1)
    assert order_due(OrderKind.URGE, SENT, POLICY, verify_due) == SENT + timedelta(hours=4)


@given(st.sampled_from(OrderKind), st.integers(-600, 600))
def test_an_order_is_never_due_before_it_is_sent(kind: OrderKind, minutes: int) -> None:
    verify_due = SENT + timedelta(minutes=minutes)
    assert order_due(kind, SENT, POLICY, verify_due) > SENT


def test_only_intercept_and_readdress_are_refused_once_signed() -> None:
    refused = {k for k in OrderKind if refused_for_signed_parcel(k, signed=True)}
    assert refused == {OrderKind.INTERCEPT, OrderKind.READDRESS}
    assert not any(refused_for_signed_parcel(k, signed=False) for k in OrderKind)


def test_the_state_shown() -> None:
    due = SENT + timedelta(hours=2)
    assert order_state(OrderStatus.OPEN, due, due) is OrderState.OPEN
    assert order_state(OrderStatus.OPEN, due, due + timedelta(seconds=1)) is OrderState.OVERDUE
    assert order_state(OrderStatus.ANSWERED, due, due + timedelta(days=1)) is OrderState.ANSWERED


def test_cannot_and_facts_need_words_done_does_not() -> None:
    assert answer_problems(OrderResult.DONE, "") == {}
    assert answer_problems(OrderResult.CANNOT, "  ") == {"text": "required"}
    assert answer_problems(OrderResult.FACTS, "") == {"text": "required"}
    assert answer_problems(OrderResult.FACTS, "快递员已于昨日投递到驿站") == {}
