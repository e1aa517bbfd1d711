"""What helps the agent talk: empathy, courtesy, the shipping checklist, the caller's
history, the key list and the command palette; and the same desk in English."""

from __future__ import annotations

from cs_console.i18n import set_language
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.help import HelpScreen
from tests.ui.screen_text import widget_text
from tests.ui.support import (
    a_complaint,
    answer,
    debounced,
    people,
    rows,
    script,
    settle,
    shown,
    type_text,
    workspace,
)


async def test_empathy_is_said_out_of_turn_and_the_call_goes_on(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("ctrl+e")
        assert "非常理解您现在的心情" in script(app)
        await pilot.press("ctrl+g")  # empathy said: back to where the call was
        assert "您好，顺达速运客服" in script(app)
        assert rows(sqlite_console, "SELECT answered_at FROM contacts") == [(None,)]
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert rows(sqlite_console, "SELECT answered_at IS NOT NULL FROM contacts") == [(1,)]


async def test_a_shipping_enquiry_shows_the_checklist_and_searches_banned_items(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 45)) as (app, pilot):
        await answer(pilot)
        app.screen.query_one("#contact-type").focus()
        await pilot.pause()
        await pilot.press("2")  # shipping
        await pilot.pause()
        assert "跟您核对一下寄件人的姓名" in widget_text(app, "#shipping-checklist")
        app.screen.query_one("#prohibited-search").focus()
        await pilot.pause()
        await type_text(pilot, "dhj")
        assert "禁寄" in widget_text(app, "#prohibited-0")
        assert "打火机" in widget_text(app, "#prohibited-0")
        assert app.screen.query_one("#prohibited-0").has_class("-prohibited")


async def test_a_repeat_caller_is_flagged_and_the_preview_is_major(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    earlier = a_complaint(sqlite_console, customer_name="张伟", phone="13812345678")
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "13812345678")
        await debounced(pilot)
        history = widget_text(app, "#call-history")
        assert "张*138****5678" in history
        marker = widget_text(app, "#call-repeat")
        assert f"此来电人再投诉将为重大投诉：{earlier}尚未解决" in marker
        assert "重复投诉" not in marker  # not a line that reads as if a complaint repeats
        assert f"{earlier}一般态度已登记本人投诉" in widget_text(app, "#call-history-list")
        await pilot.press("f3")
        await type_text(pilot, "张伟")
        await pilot.press("tab", "tab", "tab", "4")
        await settle(pilot)
        assert f"重大投诉·前一投诉{earlier}尚未解决" in widget_text(app, "#preview")


async def test_f1_lists_every_key(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 40)) as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = widget_text(app, "#help-keys")
        for expected in (
            "F2/ctrl+n接听",
            "ctrl+g已说",
            "ctrl+e安抚",
            "ctrl+s保存",
            "ctrl+r承诺回复",
            "F8/ctrl+t结束",
            "F7/ctrl+l列表",
            "ctrl+q退出",
            "r/n/w/p/u",
        ):
            assert expected in keys, expected
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_palette_runs_workspace_actions(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "接听")
        await debounced(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.workspace().call.active
        assert rows(sqlite_console, "SELECT count(*) FROM contacts") == [(1,)]


async def test_the_desk_in_english(sqlite_console: ServiceContext) -> None:
    set_language("en")
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        assert "ThankyouforcallingShundaExpress,thisisagentnumber1024" in script(app)
        assert "Agent1024王芳" in widget_text(app, "#who")
        await pilot.press("f3")
        await pilot.press("tab", "tab", "tab", "3")
        await pilot.pause()
        assert "Valu" in shown(app) and "Fee" in shown(app)
        assert "F2 Answer" in shown(app)
