"""Work orders (工单) to outlets: what the call desk asks the delivering outlet to do.

The call desk cannot check facts or move a parcel itself: it sends the outlet that delivers
it an order of one of five kinds, each due within the policy's time (``[work_orders]``). A
verify order is due before the complaint's own verify clock runs out, by the policy's
margin, so the agent has time to act on the answer. Intercepting or changing the address
is possible only before the parcel is signed for. The outlet answers once: done, cannot
(with a reason) or the facts it found. Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from cs_console.domain.policy import WorkOrderPolicy


class OrderKind(StrEnum):
    VERIFY = "verify"  # 核实
    URGE = "urge"  # 催件
    INTERCEPT = "intercept"  # 拦截
    READDRESS = "readdress"  # 改址
    REDELIVER = "redeliver"  # 再投


class OrderResult(StrEnum):
    DONE = "done"  # 已办妥
    CANNOT = "cannot"  # 无法办理 (with a reason)
    FACTS = "facts"  # 核实情况 (what was found)


class OrderStatus(StrEnum):
    """What is stored: waiting for the outlet, or answered."""

    OPEN = "open"
    ANSWERED = "answered"


class OrderState(StrEnum):
    """What is shown: an open order past its due time is overdue."""

    OPEN = "open"
    OVERDUE = "overdue"
    ANSWERED = "answered"


# Only a parcel not yet signed for can be stopped or sent elsewhere.
BEFORE_SIGNING = frozenset({OrderKind.INTERCEPT, OrderKind.READDRESS})
# The customer is called back with the outlet's answer to these.
TELL_THE_CUSTOMER = BEFORE_SIGNING


def allowed_time(kind: OrderKind, policy: WorkOrderPolicy) -> timedelta:
    """How long the outlet has for an order of ``kind`` (the policy's ``<kind>_hours``)."""
    times = {
        OrderKind.VERIFY: policy.verify,
        OrderKind.URGE: policy.urge,
        OrderKind.INTERCEPT: policy.intercept,
        OrderKind.READDRESS: policy.readdress,
        OrderKind.REDELIVER: policy.redeliver,
    }
    return times[kind]


def order_due(
    kind: OrderKind,
    created_at: datetime,
    policy: WorkOrderPolicy,
    verify_due: datetime | None = None,
) -> datetime:
    """When an order of ``kind`` sent at ``created_at`` is due.

    ``verify_due`` is the complaint's verify clock while it runs (None once verified). A
    verify order is due ``verify_margin`` before it, or after the policy's ``verify_hours``
    if that is sooner; when the margin is already used up (the clock ends within it), the
    order gets the policy's ``verify_hours``: an order due the moment it is sent helps no one.
    """
    due = created_at + allowed_time(kind, policy)
    if kind is OrderKind.VERIFY and verify_due is not None:
        before_clock = verify_due - policy.verify_margin
        if before_clock > created_at:
            due = min(due, before_clock)
    return due


def refused_for_signed_parcel(kind: OrderKind, signed: bool) -> bool:
    """Whether an order of ``kind`` is refused because the parcel is signed for."""
    return signed and kind in BEFORE_SIGNING


def order_state(status: OrderStatus, due_at: datetime, now: datetime) -> OrderState:
    """The state shown for an order: answered, else overdue once ``now`` is past due."""
    if status is OrderStatus.ANSWERED:
        return OrderState.ANSWERED
    return OrderState.OVERDUE if now > due_at else OrderState.OPEN


def answer_problems(result: OrderResult, text: str) -> dict[str, str]:
    """What is wrong with an outlet's answer (field -> error code): "cannot" needs the
    reason and "facts" the facts found; "done" may say nothing more."""
    if result is not OrderResult.DONE and not text.strip():
        return {"text": "required"}
    return {}
