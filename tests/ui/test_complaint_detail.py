"""The complaint screen: what it shows, and verify / resolve / hand over through its keys."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.app import App
from textual.widgets import Input, Select

from cs_console.domain.enums import CallbackKind, Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.worklists import callback_queue, complaint_view
from cs_console.storage.tables import Callback
from cs_console.ui import app as console_app
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.complaint_detail_dialogs import HandOverDialog, ResolutionDialog
from tests.conftest import FakeClock, add_person
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form, rows
from tests.ui.support import settle


class DetailApp(App[None]):
    """Opens the complaint screen at once and keeps what it returned (with the console's
    own styles, which hide an empty error line)."""

    CSS_PATH = [Path(console_app.__file__).parent / p for p in console_app.CsConsoleApp.CSS_PATH]

    def __init__(self, cs: ServiceContext, actor: Actor, complaint_id: int) -> None:
        super().__init__()
        self.cs, self.actor, self.complaint_id = cs, actor, complaint_id
        self.results: list[bool | None] = []

    def on_mount(self) -> None:
        screen = ComplaintScreen(self.cs, self.actor, self.complaint_id)
        self.push_screen(screen, self.results.append)


# On the "customer accepts" list (no default): open it, go down to an answer, take it.
ACCEPTS = ("enter", "down", "enter")
REFUSES = ("enter", "down", "down", "enter")


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_shows_the_complaint_with_customer_text_literally(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    description = "晚到三天 " + " ".join(FEW_INJECTIONS) + " [bold red]y :smile:"
    form = distinct_form(
        1, customer_name="[/b] [TODO]", description=description, request="[link=http://x]y[/link]"
    )
    registered = register_complaint(sqlite_console, agent, form)
    clock.advance(minutes=50)
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert f"投诉详情 {registered.reference}" in shown
        assert "严重程度  一般" in shown and "状态  已登记" in shown and "类型  延误" in shown
        assert "客户  [*** [*****" in shown and "电话  139****0001" in shown
        assert "快递单号  YT4400000001" in shown and "处理人  王芳" in shown
        assert "建议补偿  优惠券 ¥10" in shown
        assert "晚到三天 [/b] [@click=app.quit]x[/]  [TODO] [bold red]y :smile:" in shown
        assert "[link=http://x]y[/link]" in shown
        assert "\x1b" not in shown and "aGk=" not in shown
        assert "▲ 核实  截止 11-22 15:00  00:10:00" in shown
        assert "● 处理  截止 11-23 14:00  23:10:00" in shown
        assert "11-22 14:00  王芳  登记投诉" in shown
        assert app.is_running


async def test_verify_marks_the_clock_done_and_escape_reports_the_change(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    clock.advance(minutes=70)  # ten minutes late
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "✕ 核实  截止 11-22 15:00  -00:10:00" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        shown = screen_text(app)
        assert "✓ 核实  截止 11-22 15:00  已完成 11-22 15:10 超时" in shown
        assert "状态  已核实" in shown and "已标记为核实完成" in shown
        assert "11-22 15:10  王芳  核实完成  超时" in shown
        assert complaint_view(sqlite_console, agent, registered.id).status == "verified"
        await pilot.press("v")  # done already: the key is disabled, nothing happens
        await settle(pilot)
        assert "已核实过" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [True]


async def test_escape_without_changes_returns_false(sqlite_console: ServiceContext) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [False]


async def test_resolution_explains_a_wrong_amount_then_schedules_the_follow_up(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    clock.advance(hours=2)
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ResolutionDialog)
        amount = app.screen.query_one("#resolution-amount", Input)
        assert amount.value == "10"  # the suggested coupon
        await pilot.press("end", "backspace", "backspace", *"abc", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ResolutionDialog)
        assert "请输入数字" in screen_text(app)
        assert app.screen.query_one("#resolution-amount-error").display
        await pilot.press("backspace", "backspace", "backspace", *"8.5")  # within the ¥10
        await pilot.press("tab", *ACCEPTS, "tab", *"客户同意", "ctrl+s")  # accepted, a note
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert "状态  已解决" in shown and "已商定补偿  优惠券 ¥8.50" in shown
        assert "16:00  王芳  客户接受处理方案  优惠券  ¥8.50  客户同意" in shown
        assert "● 回访  截止 11-23 16:00  24:00:00" in shown
        [followup] = callback_queue(sqlite_console, agent)
        assert followup.kind == CallbackKind.FOLLOWUP.value
        assert followup.due_at == clock.now + timedelta(hours=24)


async def test_enter_moves_on_and_accepting_must_be_chosen(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ResolutionDialog)
        assert "ctrl+s 保存" in screen_text(app).replace("^s", "ctrl+s")
        accepted = dialog.query_one("#resolution-accepted", Select)
        assert accepted.value is Select.NULL and "请选择" in screen_text(app)
        await pilot.press("enter")  # in the amount: moves on to "customer accepts"
        await pilot.pause()
        assert app.screen is dialog and accepted.has_focus
        await pilot.press("tab", *"客户说考虑一下", "enter")  # the note: Enter still saves nothing
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("ctrl+s")  # no choice made: said so, nothing stored
        await pilot.pause()
        assert app.screen is dialog and "请选择客户是否接受本方案" in screen_text(app)
        assert accepted.has_focus
        view = complaint_view(sqlite_console, agent, registered.id)
        assert [e.kind for e in view.events] == ["registered"]
        await pilot.press(*ACCEPTS, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert "状态  已解决" in screen_text(app)
        view = complaint_view(sqlite_console, agent, registered.id)
        assert [e.kind for e in view.events] == ["registered", "resolution_accepted"]


async def test_a_refused_offer_is_a_negotiation_round(sqlite_console: ServiceContext) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("tab", *REFUSES, "ctrl+s")
        await settle(pilot)
        assert "协商（客户未接受）" in screen_text(app)
        assert complaint_view(sqlite_console, agent, registered.id).status == "registered"
        assert rows(sqlite_console, Callback) == []


async def test_hand_over_needs_a_person_and_a_reason(sqlite_console: ServiceContext) -> None:
    # One team: after the hand-over 王芳 still sees the complaint (but no longer works it).
    team = {"team": "客服一组"}
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳", **team)
    add_person(
        sqlite_console, "lizhuan", Role.SPECIALIST, agent_no="2001", display_name="李专", **team
    )
    add_person(sqlite_console, "outlet1", Role.OUTLET, agent_no="3001", outlet="杭州西湖")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HandOverDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_text(app).count("必填") == 2
        for line in ("#hand-over-to-error", "#hand-over-reason-error"):
            assert app.screen.query_one(line).display  # on screen, not only in the widget
        select = app.screen.query_one("#hand-over-to", Select)
        labels = [str(prompt) for prompt, _ in select._options]
        assert any("2001 李专（投诉专员）" in label for label in labels)
        assert not any("王芳" in label or "3001" in label for label in labels)
        await pilot.press("enter", "down", "enter")  # open the list, take the first person
        assert select.value == "lizhuan"
        await pilot.press("tab", *"需专员核实", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert "已转交给 2001 李专（投诉专员）" in shown and "处理人  李专" in shown
        assert "王芳  转交  需专员核实" in shown
        # No longer the owner: verifying is refused, in plain words.
        await pilot.press("v")
        await settle(pilot)
        assert "这件投诉不归您处理" in screen_text(app)


async def test_an_outlet_cannot_open_another_outlets_complaint(
    sqlite_console: ServiceContext,
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    outlet = add_person(sqlite_console, "outlet1", Role.OUTLET, agent_no="3001", outlet="杭州西湖")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, outlet, registered.id)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert "只能查看本网点的记录" in screen_text(app)
        await pilot.press("v")  # nothing loaded: the actions are disabled
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [False]


async def test_handed_outside_the_team_the_screen_says_so_and_stops(
    sqlite_console: ServiceContext,
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    add_person(sqlite_console, "lizhuan", Role.SPECIALIST, agent_no="2001", display_name="李专")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter", "down", "enter", "tab", *"specialist", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert "已转交给 2001 李专（投诉专员）" in shown and "不能再查看它的详情" in shown
        assert "无权查看" not in shown  # not an error: it went where it was sent
        for action in ("verify", "resolve", "hand_over", "reveal"):
            assert app.screen.check_action(action, ()) is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [True]


async def test_a_save_after_someone_else_saved_is_refused_and_the_text_kept(
    sqlite_console: ServiceContext,
) -> None:
    from cs_console.services.complaint_progress import mark_verified

    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    boss = add_person(sqlite_console, "zhaolei", Role.SUPERVISOR, agent_no="9001")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "状态  已登记" in screen_text(app)
        mark_verified(sqlite_console, boss, registered.id)  # another desk, meanwhile
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ResolutionDialog)
        await pilot.press("tab", *ACCEPTS, "tab", *"客户同意十元券", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert f"您打开 {registered.reference}" in shown  # the message wraps after it
        assert "之后，其他人已保存了修改；您的这次操作未保存" in shown
        assert "状态  已核实" in shown  # the newest version, reloaded
        view = complaint_view(sqlite_console, agent, registered.id)
        assert view.status == "verified"
        assert "resolution_accepted" not in [e.kind for e in view.events]
        await pilot.press("s")  # the form comes back as it was typed
        await pilot.pause()
        assert isinstance(app.screen, ResolutionDialog)
        assert app.screen.query_one("#resolution-note", Input).value == "客户同意十元券"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "状态  已解决" in screen_text(app)
        assert complaint_view(sqlite_console, agent, registered.id).status == "resolved"
