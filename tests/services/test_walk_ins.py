"""Walk-ins waiting for an owner: listed on the overview until a supervisor hands them to the
call desk; an agent's own complaints never are; supervisors only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cs_console.domain.clocks import clock_state
from cs_console.domain.enums import ClockKind, ClockState, Role
from cs_console.services.complaint_progress import hand_over
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.services.overview import overview
from cs_console.services.walk_ins import WALK_INS_SHOWN, WalkInsWaiting, walk_ins_in
from cs_console.services.worklists import my_clocks
from cs_console.storage.engine import read_session
from tests.conftest import START, FakeClock, add_person

from .helpers import distinct_form

OUTLET = "浦东网点[/b][TODO]"


def waiting_walk_ins(
    console: ServiceContext, actor: Actor, limit: int = WALK_INS_SHOWN
) -> WalkInsWaiting:
    """The overview's walk-ins section on its own: the oldest ``limit`` open walk-ins still
    held by an outlet, and how many in all (supervisors only)."""
    with read_session(console.engine) as session:
        return walk_ins_in(console, actor, session, console.now(), limit)


def test_a_walk_in_waits_on_the_overview_until_handed_to_the_call_desk(
    console: ServiceContext, clock: FakeClock
) -> None:
    boss = add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")
    wang = add_person(console, "wangfang", agent_no="1024")
    counter = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet=OUTLET)
    clock.now = START - timedelta(minutes=50)  # its 1 h verify clock is amber by START
    walk_in = register_complaint(console, counter, distinct_form(1, customer_name="张伟"))
    clock.now = START
    own = register_complaint(console, wang, distinct_form(2))

    waiting = waiting_walk_ins(console, boss)
    assert waiting.total == 1
    [row] = waiting.shown
    assert (row.reference, row.outlet, row.customer) == (walk_in.reference, OUTLET, "张*")
    assert (row.category, row.severity, row.owner_id) == ("delay", "general", counter.id)
    assert row.clock is not None and row.clock.kind is ClockKind.VERIFY
    assert own.reference not in {r.reference for r in waiting.shown}
    view = overview(console, boss)
    assert [r.reference for r in view.walk_ins] == [walk_in.reference]
    assert view.walk_ins_total == 1
    assert view.queue.open_total == 2  # still counted as an open complaint

    hand_over(console, boss, row.id, "wangfang", "网点无法核实，转坐席")
    assert waiting_walk_ins(console, boss).total == 0
    assert overview(console, boss).walk_ins == ()
    mine = {r.reference for r in my_clocks(console, wang)}
    assert walk_in.reference in mine


def test_oldest_first_capped_and_counted(console: ServiceContext, clock: FakeClock) -> None:
    boss = add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")
    pudong = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")
    xuhui = add_person(console, "xuhui", Role.OUTLET, agent_no="7002", outlet="徐汇网点")
    references = []
    for i, counter in enumerate((xuhui, pudong, xuhui)):
        clock.now = START - timedelta(hours=3 - i)
        references.append(register_complaint(console, counter, distinct_form(i + 1)).reference)
    clock.now = START
    waiting = waiting_walk_ins(console, boss, limit=2)
    assert [r.reference for r in waiting.shown] == references[:2]
    assert waiting.total == 3
    # The oldest's verify clock (1 h) ran out 2 h ago: its most urgent clock is breached.
    first = waiting.shown[0].clock
    assert first is not None
    assert clock_state(first, START, console.policy.clocks) is ClockState.BREACHED


@pytest.mark.parametrize("role", [Role.AGENT, Role.SPECIALIST, Role.OUTLET, Role.ADMIN])
def test_only_supervisors_see_the_walk_ins_waiting(console: ServiceContext, role: Role) -> None:
    someone = add_person(console, "someone", role, agent_no="5001", outlet="浦东网点")
    with pytest.raises(PermissionDenied):
        waiting_walk_ins(console, someone)
