"""Incidents on screen, key by key: the banner, the incident script, the supervisor's keys."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot

from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.incidents import open_incident
from cs_console.storage.engine import write_session
from cs_console.storage.tables import Parcel, ParcelHub
from cs_console.ui.factory import make_app
from cs_console.ui.screens.incidents import IncidentsScreen
from cs_console.ui.screens.overview import OverviewScreen
from tests.conftest import FakeClock, add_person
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form, tracking
from tests.ui.support import (
    PASSWORD,
    Keyboard,
    debounced,
    fill_in,
    people,
    ready,
    rows,
    script,
    settle,
    shown,
    shown_compact,
    the_agent,
    until,
    workspace,
)

HUB = "杭州转运中心"


def mass_complaints(console: ServiceContext, n: int = 21, hub: str = HUB) -> None:
    """``n`` delay complaints about parcels of ``hub`` (by 王芳, a minute apart)."""
    now = console.now()
    with write_session(console.engine) as session:
        for i in range(n + 1):  # one more parcel, for the next caller
            parcel = Parcel(tracking_no=tracking(i), created_at=now, hub=hub)
            session.add(parcel)
            session.flush()
            assert parcel.id is not None
            session.add(ParcelHub(parcel_id=parcel.id, hub=hub))
    agent = the_agent(console)
    for i in range(n):
        register_complaint(console, agent, distinct_form(i))


def supervisor(console: ServiceContext) -> Actor:
    return add_person(console, "zhuguan", Role.SUPERVISOR, agent_no="9001", display_name="主管")


async def test_the_banner_appears_when_another_console_raises_an_alert(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        assert "群体投诉预警" not in shown(app)

        mass_complaints(sqlite_console, 20)  # written by "another console"
        # Nothing may show: wait out the workspace's look at the change marker (every 1 s).
        await settle(pilot, 2.2)
        assert "群体投诉预警" not in shown(app)
        register_complaint(sqlite_console, the_agent(sqlite_console), distinct_form(20))
        # The workspace polls the change marker every second:
        await until(pilot, lambda: "群体投诉预警" in shown(app), 2.2)
        await settle(pilot)

        assert "⚠群体投诉预警：延误·杭州转运中心·60分钟内21件" in shown_compact(app)


async def test_an_agent_sees_the_incident_apology_for_a_matching_parcel(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    boss = supervisor(sqlite_console)
    mass_complaints(sqlite_console)
    alert = rows(sqlite_console, "SELECT id FROM mass_alerts")[0][0]
    open_incident(sqlite_console, boss, alert)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await keys.type("13900000099")
        await pilot.press("tab")
        await keys.type(tracking(21))  # a parcel through 杭州转运中心
        await debounced(pilot, 0.5)

        assert "2小时内给出具体的解决方案" in script(app).replace("\n", "")
        assert "群体事件致歉" in script(app)

        await pilot.press("ctrl+g")  # said: the call's own line is back
        await settle(pilot)
        assert "解决方案" not in script(app)


async def _supervisor_ready(pilot: Pilot) -> None:
    await ready(pilot)
    await settle(pilot)


async def test_the_supervisor_opens_the_incident_and_calls_everyone_back_with_keys(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    supervisor(sqlite_console)
    mass_complaints(sqlite_console)
    app = make_app(console=sqlite_console, username="zhuguan", password=PASSWORD)
    async with app.run_test(size=(120, 35)) as pilot:
        await _supervisor_ready(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert "⚠预警延误·转运中心杭州转运中心·60分钟内21件" in shown_compact(app)

        await pilot.press("o")
        await settle(pilot)
        assert "已开立事件I0001" in shown_compact(app)
        assert "I0001群体投诉延误·转运中心杭州转运中心·未结21/21" in shown_compact(app)
        assert rows(sqlite_console, "SELECT count(*) FROM incident_complaints") == [(21,)]

        await pilot.press("down", "c")  # the incident's line: call every linked customer
        await settle(pilot)
        assert "已安排21个回拨" in shown_compact(app)
        assert rows(sqlite_console, "SELECT count(*), min(due_at) FROM callbacks")[0][0] == 21


async def test_agents_cannot_open_the_incidents_screen(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f9")
        await settle(pilot)

        assert type(app.screen).__name__ == "WorkspaceScreen"


async def test_the_supervisor_declares_a_disaster_and_agents_get_the_delay_script(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    supervisor(sqlite_console)
    with write_session(sqlite_console.engine) as session:
        session.add(Parcel(tracking_no=tracking(1), created_at=clock.now, route="上海-成都"))
    app = make_app(console=sqlite_console, username="zhuguan", password=PASSWORD)
    async with app.run_test(size=(120, 35)) as pilot:
        await _supervisor_ready(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        keys = Keyboard(pilot)
        await keys.type("成都、雅安")
        await pilot.press("tab")  # the default delay is selected: typing replaces it
        await keys.type("3")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert "已发布事件I0001" in shown_compact(app)
        assert "I0001自然灾害成都、雅安·预计延误3天" in shown_compact(app)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("tab")
        await keys.type(tracking(1))
        await debounced(pilot, 0.5)

        assert "受成都自然灾害影响" in script(app)
        assert "延误3天左右" in script(app).replace("\n", "")


async def test_place_names_show_literally(sqlite_console: ServiceContext, clock: FakeClock) -> None:
    people(sqlite_console)
    supervisor(sqlite_console)
    hub = "".join(FEW_INJECTIONS)
    mass_complaints(sqlite_console, hub=hub)
    app = make_app(console=sqlite_console, username="zhuguan", password=PASSWORD)
    async with app.run_test(size=(160, 35)) as pilot:
        await _supervisor_ready(pilot)
        assert "[/b][@click=app.quit]x[/][TODO]" in shown(app)  # the banner
        await pilot.press("f9")
        await settle(pilot)

        assert "[/b][@click=app.quit]x[/][TODO]" in shown(app)


async def test_the_overview_shows_the_alert_and_i_opens_the_incidents_screen(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    supervisor(sqlite_console)
    app = make_app(console=sqlite_console, username="zhuguan", password=PASSWORD)
    async with app.run_test(size=(120, 35)) as pilot:
        await _supervisor_ready(pilot)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.view)
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert "群体投诉预警" not in shown(app)

        mass_complaints(sqlite_console)  # 21 within the hour, by another console
        # The overview polls the change marker every second:
        await until(pilot, lambda: "群体投诉预警" in shown(app), 2.5)
        await settle(pilot)
        assert "⚠群体投诉预警：延误·杭州转运中心·60分钟内21件" in shown_compact(app)

        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
        await pilot.press("o")  # open the incident from the alert
        await settle(pilot)
        assert rows(sqlite_console, "SELECT count(*) FROM incident_complaints") == [(21,)]


async def test_the_disaster_delay_takes_only_a_few_digits(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    # Textual's integer check froze this field for more than 4 minutes on a long number.
    people(sqlite_console)
    supervisor(sqlite_console)
    app = make_app(console=sqlite_console, username="zhuguan", password=PASSWORD)
    async with app.run_test(size=(120, 35)) as pilot:
        await _supervisor_ready(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("tab")
        await Keyboard(pilot).type("7" * 40 + "x")

        assert app.screen.query_one("#disaster-delay").value == "777"


def told(app: App) -> list[str]:
    return [str(n.message) for n in app._notifications]


RAISED = "⚠ 您登记的投诉触发了群体投诉预警：延误 · 转运中心 杭州转运中心 · 60 分钟内 21 件"


async def test_the_agent_whose_save_raises_the_alert_is_told_at_once(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    mass_complaints(sqlite_console, 20)  # the 21st parcel through the hub is left
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f3")
        await fill_in(pilot, "李娜", "13900000099", tracking(20))
        await pilot.press("tab", "1")  # category: delay, on to the days late
        await fill_in(pilot, "2", "两天了还没到", "尽快派送")
        await debounced(pilot)
        assert RAISED not in told(app)

        await pilot.press("ctrl+s")
        await until(pilot, lambda: RAISED in told(app))

        assert rows(sqlite_console, "SELECT count FROM mass_alerts") == [(21,)]


async def test_the_outlet_whose_walk_in_raises_the_alert_is_told_at_once(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    from tests.ui.test_outlet import counter, outlet_app, outlet_ready

    people(sqlite_console)
    counter(sqlite_console)
    mass_complaints(sqlite_console, 20)
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        await outlet_ready(pilot)
        await fill_in(pilot, "李娜", "13900000099", tracking(20))
        await pilot.press("tab", "1")  # 延误
        await fill_in(pilot, "2", "两天了还没到", "尽快派送")
        await debounced(pilot)

        await pilot.press("ctrl+s")
        await until(pilot, lambda: RAISED in told(app))

        assert rows(sqlite_console, "SELECT channel FROM complaints ORDER BY id DESC")[0] == (
            "walk_in",
        )
