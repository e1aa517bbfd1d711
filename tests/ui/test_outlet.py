"""The outlet counter: an outlet account signs in to the walk-in form, saves a complaint with
ctrl+s, reads the reference off the screen, and sees only its own outlet's complaints."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Digits

from cs_console.domain.complaint_entry import to_payload
from cs_console.domain.enums import Role
from cs_console.i18n import set_language
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.drafts import save_draft
from cs_console.storage.customers import open_name
from cs_console.ui.factory import make_app
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.draft_restore import DraftRestoreScreen
from cs_console.ui.screens.outlet import OutletScreen
from cs_console.ui.screens.outlet_reference import ReferenceScreen
from tests.conftest import TEST_DATA_KEY, FakeClock, add_person
from tests.injections import INJECTIONS, MARKUP_LIKE
from tests.services.helpers import distinct_form, stored_drafts
from tests.ui.screen_text import compact, screen_text, widget_text
from tests.ui.supervisor import until
from tests.ui.support import PASSWORD, rows, settle, type_text
from tests.ui.test_change_watcher import another_console

PUDONG, MINHANG = "浦东网点", "闵行网点"


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh-CN")


def counter(console: ServiceContext) -> Actor:
    """The counter clerk of 浦东网点, and people elsewhere with complaints of their own."""
    return add_person(
        console, "pudong", Role.OUTLET, agent_no="7001", display_name="柜台小李", outlet=PUDONG
    )


def outlet_app(console: ServiceContext):  # type: ignore[no-untyped-def]
    app = make_app(console=console, username="pudong", password=PASSWORD)
    app.cursor_blink = False  # type: ignore[attr-defined]
    return app


async def outlet_ready(pilot: Pilot) -> OutletScreen:
    """Until the outlet screen is up, its list loaded and its draft looked for."""
    for _ in range(100):
        await settle(pilot, 0.02)
        screens = [s for s in pilot.app.screen_stack if isinstance(s, OutletScreen)]
        offered = screens and (screens[0].drafts.ready or pilot.app.screen is not screens[0])
        if offered and screens[0].list_loaded:
            return screens[0]
    raise AssertionError("the outlet screen never became ready")


def list_references(screen: OutletScreen) -> list[str]:
    return [row.reference for row in screen.outlet_list.rows]


async def test_a_walk_in_delay_complaint_in_chinese(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    clerk = counter(sqlite_console)
    earlier = register_complaint(sqlite_console, clerk, distinct_form(1))
    minhang = add_person(sqlite_console, "minhang", Role.OUTLET, agent_no="7002", outlet=MINHANG)
    elsewhere = register_complaint(sqlite_console, minhang, distinct_form(2))
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    by_phone = register_complaint(sqlite_console, agent, distinct_form(3))
    clock.advance(minutes=5)

    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        assert app.screen is screen and app.workspace() is None
        assert "网点浦东网点·工号7001柜台小李" in widget_text(app, "#outlet-header")
        assert list_references(screen) == [earlier.reference]  # only this outlet's

        # One column, top to bottom, as the customer answers.
        assert app.focused.id == "customer_name"
        await type_text(pilot, "张伟")
        await pilot.press("tab")
        await type_text(pilot, "13812345678")
        await pilot.press("tab")
        await type_text(pilot, "SF1311234567890")
        await pilot.press("tab", "1")  # 延误: one key, and on to what a delay needs
        assert app.focused.id == "days_late"
        await type_text(pilot, "3")
        await pilot.press("tab")
        assert app.focused.id == "description"
        await type_text(pilot, "三天了还没到，页面一直显示运输中")
        await pilot.press("tab")
        await type_text(pilot, "尽快送达并说明原因")
        await settle(pilot)
        preview = widget_text(app, "#preview")
        assert "重大投诉·延误≥3天" in preview  # the same live preview as the agent's form
        assert "核实≤20:05(6h)" in preview and "建议补偿：优惠券¥15" in preview

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
        (reference,) = rows(
            sqlite_console, "SELECT reference FROM complaints WHERE id > :id", id=by_phone.id
        )[0]
        assert app.screen.query_one(Digits).value == reference
        shown = screen_text(app)
        assert f"{reference}" in shown and "投诉编号" in shown
        assert reference.startswith("C-20261122-")

        stored = rows(
            sqlite_console,
            "SELECT c.channel, c.outlet, c.owner_id, c.category, c.severity, c.days_late, "
            "c.description, c.request, u.name FROM complaints c "
            "JOIN customers u ON u.id = c.customer_id WHERE c.reference = :r",
            r=reference,
        )
        stored = [(*row[:8], open_name(row[8], TEST_DATA_KEY)) for row in stored]  # sealed
        assert stored == [
            (
                "walk_in",
                PUDONG,
                clerk.id,
                "delay",
                "major",
                3,
                "三天了还没到，页面一直显示运输中",
                "尽快送达并说明原因",
                "张伟",
            )
        ]

        await pilot.press("x")  # any key: back to a fresh form
        await settle(pilot)
        assert app.screen is screen
        assert screen.form.is_blank() and app.focused.id == "customer_name"
        assert list_references(screen) == [reference, earlier.reference]  # newest first
        listed = widget_text(app, "#outlet-complaints")
        assert "张*" in listed and "张伟" not in listed  # names masked
        assert elsewhere.reference not in listed and by_phone.reference not in listed
        assert rows(sqlite_console, "SELECT kind FROM drafts") == []  # the draft went with it


async def test_the_form_refuses_before_saving_and_keeps_what_was_typed(
    sqlite_console: ServiceContext,
) -> None:
    counter(sqlite_console)
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        await type_text(pilot, "张伟")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "必填" in screen_text(app)
        assert app.focused.id == "phone"
        assert rows(sqlite_console, "SELECT id FROM complaints") == []
        await settle(pilot, 1.1)  # the draft is written within a second
        ((kind, payload),) = stored_drafts(sqlite_console)
        assert kind == "outlet" and payload["form"]["customer_name"] == "张伟"


async def test_ctrl_q_writes_the_draft_at_once(sqlite_console: ServiceContext) -> None:
    counter(sqlite_console)
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        await outlet_ready(pilot)
        await type_text(pilot, "李娜")
        await pilot.press("ctrl+q")  # no waiting for the once-a-second draft writer
        await settle(pilot)
    ((kind, payload),) = stored_drafts(sqlite_console)
    assert kind == "outlet" and payload["form"]["customer_name"] == "李娜"


async def test_customer_text_shows_literally(sqlite_console: ServiceContext) -> None:
    clerk = counter(sqlite_console)
    for i, text in enumerate(MARKUP_LIKE):
        register_complaint(sqlite_console, clerk, distinct_form(10 + i, customer_name=text))
    typed = distinct_form(
        1,
        customer_name="[bold red]x",
        description="到了 " + " ".join(INJECTIONS),
        request="[link=http://x]y[/link]",
    )
    save_draft(sqlite_console, clerk, "outlet", {"version": 1, "form": to_payload(typed)})
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(120, 45)) as pilot:
        await outlet_ready(pilot)
        assert isinstance(app.screen, DraftRestoreScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutletScreen)
        shown = screen_text(app)
        assert "[bold red]x" in shown and "[link=http://x]y[/link]" in shown
        assert "[@click=app.quit]x[/]" in compact(shown) or "[@click=app.quit]x[/]" in shown
        assert "\x1b" not in shown and "aGk=" not in shown
        listed = widget_text(app, "#outlet-complaints")
        assert "[**" in listed and "[****" in listed  # masked, and still brackets, not markup
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
        (description,) = rows(
            sqlite_console, "SELECT description FROM complaints ORDER BY id DESC LIMIT 1"
        )[0]
        assert "[@click=app.quit]x[/]" in description and "\x1b" not in description
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running


async def test_enter_opens_an_own_complaint_read_only(sqlite_console: ServiceContext) -> None:
    clerk = counter(sqlite_console)
    registered = register_complaint(sqlite_console, clerk, distinct_form(1))
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(120, 45)) as pilot:
        screen = await outlet_ready(pilot)
        screen.outlet_list.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert f"投诉详情 {registered.reference}" in screen_text(app)
        # An outlet registers and looks; verifying, resolving, handing over and revealing
        # are for the people who work complaints: the keys are greyed out.
        for action in ("verify", "resolve", "hand_over", "reveal"):
            assert app.screen.check_action(action, ()) is None
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_a_walk_in_saved_at_the_other_counter_shows_in_the_list(
    console: ServiceContext, db_url: str
) -> None:
    """Two counters of one outlet: what the other saves is listed here (NOTIFY on
    PostgreSQL, the change marker every POLL_EVERY seconds on SQLite)."""
    counter(console)
    other_clerk = add_person(
        console, "pudong2", Role.OUTLET, agent_no="7003", display_name="柜台小王", outlet=PUDONG
    )
    app = outlet_app(console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        assert list_references(screen) == []
        with another_console(console, db_url) as elsewhere:
            saved = register_complaint(elsewhere, other_clerk, distinct_form(1))
        await until(pilot, lambda: list_references(screen) == [saved.reference], seconds=3.0)
