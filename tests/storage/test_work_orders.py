"""The work orders' queries on both engines: states at the due time, one answer only, the
inbox's count and order, and orders going with their complaint."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, text
from sqlmodel import col

from cs_console.domain.enums import Role
from cs_console.domain.work_orders import OrderState
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.tables import Callback, Complaint, Event
from cs_console.storage.work_orders import (
    add_work_order,
    list_work_orders,
    open_orders_of_outlet,
    outlet_has_account,
    overdue_orders,
    record_answer,
    work_order,
)
from tests.conftest import START, add_person
from tests.services.helpers import distinct_form

OUTLET = "浦东网点"


def _orders(console: ServiceContext, due_hours: list[float]) -> tuple[int, list[int]]:
    agent = add_person(console, "wangfang", agent_no="1024")
    complaint = register_complaint(console, agent, distinct_form(1, outlet=OUTLET)).id
    with write_session(console.engine) as session:
        ids = [
            add_work_order(
                session=session,
                complaint_id=complaint,
                kind="urge",
                outlet=OUTLET,
                instructions="请催派",
                created_by=agent.id,
                created_at=START,
                due_at=START + timedelta(hours=hours),
            )
            for hours in due_hours
        ]
    return complaint, ids


def test_states_split_at_the_due_time(console: ServiceContext) -> None:
    _, (due_now, later, answered) = _orders(console, [0, 2, 1])
    with write_session(console.engine) as session:
        assert record_answer(session=session, order_id=answered, result="done", answer="",
                             answered_by=1, answered_at=START)  # fmt: skip
        assert not record_answer(session=session, order_id=answered, result="done", answer="",
                                 answered_by=1, answered_at=START)  # fmt: skip
    with read_session(console.engine) as session:

        def ids(state: OrderState, now: timedelta) -> list[int]:
            found = list_work_orders(session=session, now=START + now, state=state)
            return [row.id for row in found]

        assert ids(OrderState.OPEN, timedelta()) == [due_now, later]  # due now: not yet late
        assert ids(OrderState.OVERDUE, timedelta(seconds=1)) == [due_now]
        assert ids(OrderState.ANSWERED, timedelta()) == [answered]
        row = work_order(session=session, order_id=answered)
        assert row is not None and (row.status, row.result) == ("answered", "done")
        rows, total = overdue_orders(session=session, now=START + timedelta(hours=3), limit=1)
        assert total == 2 and [r.id for r in rows] == [due_now]


def test_the_inbox_counts_all_and_shows_the_most_urgent(console: ServiceContext) -> None:
    _, ids = _orders(console, [5, 1, 3])
    with read_session(console.engine) as session:
        rows, total = open_orders_of_outlet(session=session, outlet=OUTLET, limit=2)
        assert total == 3 and [r.id for r in rows] == [ids[1], ids[2]]
        assert open_orders_of_outlet(session=session, outlet="徐汇网点", limit=2) == ([], 0)


def test_an_outlet_is_served_by_an_active_outlet_account(console: ServiceContext) -> None:
    add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet=OUTLET)
    with read_session(console.engine) as session:
        assert outlet_has_account(session=session, outlet=OUTLET)
        assert not outlet_has_account(session=session, outlet="徐汇网点")


def test_orders_go_with_their_complaint(console: ServiceContext) -> None:
    complaint, _ = _orders(console, [1, 2])
    with write_session(console.engine) as session:  # what the retention purge deletes
        session.execute(delete(Event).where(col(Event.complaint_id) == complaint))
        session.execute(delete(Callback).where(col(Callback.complaint_id) == complaint))
        session.execute(delete(Complaint).where(col(Complaint.id) == complaint))
    with read_session(console.engine) as session:
        assert session.execute(text("SELECT count(*) FROM work_orders")).scalar() == 0
