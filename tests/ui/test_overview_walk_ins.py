"""The overview's walk-ins waiting for an owner: a walk-in an outlet registered shows at once;
the supervisor gives it to an agent with the reassign key, and it leaves the section."""

from __future__ import annotations

from datetime import timedelta

from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.overview import OverviewScreen
from cs_console.ui.widgets.walk_in_list import WalkInList
from tests.conftest import START, FakeClock, add_person
from tests.services.helpers import distinct_form
from tests.ui.screen_text import widget_text
from tests.ui.supervisor import floor, opened, signed_in, until
from tests.ui.support import rows, settle, shown, type_text

OUTLET = "浦东[/b][TODO]网点"  # an outlet's name is data: shown as typed


async def test_a_walk_in_waits_on_the_overview_until_given_to_an_agent(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agents_own = floor(sqlite_console, clock)
    counter = add_person(sqlite_console, "pudong", Role.OUTLET, agent_no="7001", outlet=OUTLET)
    clock.now = START - timedelta(minutes=10)
    walk_in = register_complaint(
        sqlite_console, counter, distinct_form(5, customer_name="赵[@click=app.quit]x[/]")
    ).reference
    clock.now = START
    async with signed_in(sqlite_console) as (app, pilot):
        screen = await opened(pilot)
        section = widget_text(app, "#walk-ins")
        assert walk_in in section and agents_own not in section
        assert OUTLET in section and "赵****" in section and "核实" in section
        assert "待分派的网点投诉（1）" in shown(app)

        await pilot.press("tab")  # from the at-risk list to the walk-ins
        assert screen.query_one(WalkInList).has_focus
        await pilot.press("a")
        await until(pilot, lambda: f"分派 {walk_in} 给坐席" in shown(app) and "李强" in shown(app))
        await settle(pilot)
        options = app.screen.query_one("#reassign-people")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]  # type: ignore[attr-defined]
        assert not any("7001" in label for label in labels)  # outlets hold no complaints
        await pilot.press(*["down"] * next(i for i, s in enumerate(labels) if "李强" in s))
        await pilot.press("enter")
        await type_text(pilot, "网点投诉转坐席")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await until(pilot, lambda: walk_in not in widget_text(app, "#walk-ins"))
        assert "待分派的网点投诉（0）" in shown(app)
        assert "没有待分派的网点投诉" in widget_text(app, "#walk-ins")
    owner = rows(
        sqlite_console,
        "SELECT u.username FROM complaints c JOIN users u ON u.id = c.owner_id"
        " WHERE c.reference = :r",
        r=walk_in,
    )
    assert owner == [("liqiang",)]
    events = rows(
        sqlite_console,
        "SELECT e.detail FROM events e JOIN complaints c ON c.id = e.complaint_id"
        " JOIN users u ON u.id = e.actor_id"
        " WHERE e.kind = 'handed_over' AND u.username = 'boss' AND c.reference = :r",
        r=walk_in,
    )
    assert len(events) == 1 and "网点投诉转坐席" in events[0][0]
