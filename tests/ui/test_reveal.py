"""Revealing a customer's full name and phone: only with a reason, and recorded (信息安全)."""

from __future__ import annotations

import json

import pytest

from cs_console.i18n import set_language
from cs_console.services.context import InvalidInput, ServiceContext
from cs_console.services.customers import reveal_customer
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.reveal_dialog import RevealDialog
from tests.conftest import FakeClock
from tests.ui.screen_text import screen_text, widget_text
from tests.ui.support import a_complaint, people, rows, settle, the_agent, type_text, workspace

NAME = "[@click=app.quit]赵磊[/]"  # markup in a name must show as typed, never act


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh-CN")


async def open_first_complaint(app, pilot) -> None:  # type: ignore[no-untyped-def]
    app.workspace().clock_list.focus()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ComplaintScreen)


async def test_the_reveal_key_asks_why_then_shows_and_records(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console, customer_name=NAME)
    agent = the_agent(sqlite_console)
    clock.advance(minutes=3)
    async with workspace(sqlite_console) as (app, pilot):
        await open_first_complaint(app, pilot)
        shown = screen_text(app)
        assert "137****5678" in shown and "13712345678" not in shown  # masked until revealed

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, RevealDialog)
        assert "查看会被记录" in screen_text(app)
        await pilot.press("enter")  # no reason: refused in place, nothing shown or recorded
        await settle(pilot)
        assert isinstance(app.screen, RevealDialog)
        assert widget_text(app, "#reveal-reason-error") == "必填"
        assert rows(sqlite_console, "SELECT id FROM audit_log WHERE action = 'reveal'") == []

        await type_text(pilot, "客户来电要求核对联系电话")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        revealed = widget_text(app, "#complaint-revealed")
        assert "完整客户信息（已记录）" in revealed
        assert "姓名[@click=app.quit]赵磊[/]" in revealed and "电话13712345678" in revealed
        assert app.is_running

    audit = rows(
        sqlite_console,
        "SELECT actor_id, action, target, detail, at FROM audit_log WHERE action = 'reveal'",
    )
    assert len(audit) == 1
    actor_id, action, target, detail, at = audit[0]
    assert (actor_id, action, target) == (agent.id, "reveal", f"complaint:{reference}")
    detail = json.loads(detail)
    assert detail["reason"] == "客户来电要求核对联系电话" and detail["fields"] == "name,phone"
    assert "13712345678" not in json.dumps(detail, ensure_ascii=False)  # no personal data


async def test_escape_cancels_and_nothing_is_revealed(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await open_first_complaint(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "看一下")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert "13712345678" not in screen_text(app)
    assert rows(sqlite_console, "SELECT id FROM audit_log WHERE action = 'reveal'") == []


def test_the_service_refuses_without_a_real_reason(console: ServiceContext) -> None:
    # Both engines: the rule is the service's, not only the dialog's.
    people(console)
    a_complaint(console)
    agent = the_agent(console)
    ((complaint_id,),) = rows(console, "SELECT id FROM complaints")
    for reason in ("", "   ", "\x1b[2J", "\u200b"):
        with pytest.raises(InvalidInput) as refused:
            reveal_customer(console, agent, complaint_id, reason)
        assert refused.value.fields == {"reason": "required"}
    for reason in ("x", "核对", "[b][/b]", "[bold red]x", "...!!!", "a\u200bb\u200bc", "啊啊啊啊"):
        with pytest.raises(InvalidInput) as refused:
            reveal_customer(console, agent, complaint_id, reason)
        assert refused.value.fields == {"reason": "reason_too_vague"}
    assert rows(console, "SELECT id FROM audit_log WHERE action = 'reveal'") == []
    assert reveal_customer(console, agent, complaint_id, "核对电话") == ("赵磊", "13712345678")
    assert reveal_customer(console, agent, complaint_id, "customer asked") == (
        "赵磊",
        "13712345678",
    )
    assert len(rows(console, "SELECT id FROM audit_log WHERE action = 'reveal'")) == 2


async def test_a_vague_reason_is_refused_in_the_dialog_in_both_languages(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await open_first_complaint(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        for junk in ("x", "[b][/b]", "。。。"):
            await type_text(pilot, junk)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RevealDialog)
            assert "请用几个词写明原因" in widget_text(app, "#reveal-reason-error")
            await pilot.press("ctrl+u")  # empty the field for the next try
            await pilot.press(*["backspace"] * 10)
        assert rows(sqlite_console, "SELECT id FROM audit_log WHERE action = 'reveal'") == []
        await type_text(pilot, "客户要求回拨")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert "13712345678" in widget_text(app, "#complaint-revealed")
    assert len(rows(sqlite_console, "SELECT id FROM audit_log WHERE action = 'reveal'")) == 1

    set_language("en")
    async with workspace(sqlite_console, size=(80, 24)) as (app, pilot):
        await open_first_complaint(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "x")
        await pilot.press("enter")
        await settle(pilot)
        assert "Givethereasoninafewwords" in widget_text(app, "#reveal-reason-error")


async def test_after_a_hand_over_the_revealed_details_leave_the_screen(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await open_first_complaint(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "客户要求回拨")
        await pilot.press("enter")
        await settle(pilot)
        assert "13712345678" in screen_text(app) and "赵磊" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter", "down", "enter", "tab")
        await type_text(pilot, "需专员处理")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert "已转交给" in shown
        assert "13712345678" not in shown and "137****5678" in shown
        assert not app.screen.query_one("#complaint-revealed").display
    assert rows(sqlite_console, "SELECT kind FROM events WHERE kind = 'handed_over'") != []
