"""The supervisor says who is responsible for a complaint, from the complaint screen (a).

What the scorecard makes of it is checked on the monthly scores screen; what is stored is
read back from the database (the same rows and event as ``cs-console attribute``).
"""

from __future__ import annotations

import json

from textual.pilot import Pilot
from textual.widgets import Input

from cs_console.i18n import t
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.attribute_dialog import AttributeDialog
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.overview import OverviewScreen
from cs_console.ui.widgets.clock_list import ClockList
from tests.conftest import FakeClock
from tests.injections import ESCAPES
from tests.ui.screen_text import widget_text
from tests.ui.supervisor import NAME, floor, opened, signed_in, until
from tests.ui.support import rows, settle, shown, shown_compact, type_text

SHOWN_NAME = NAME.replace(ESCAPES[1], "")  # the OSC 52 sequence is dropped, markup kept
REASON = "电话里未按规范致歉 [/b] [TODO]"  # typed by the supervisor, shown as typed


def attributed(console: ServiceContext) -> list[tuple]:
    """(responsibility, the agent's user name) of every complaint."""
    return rows(
        console,
        "SELECT c.responsibility, u.username FROM complaints c"
        " LEFT JOIN users u ON u.id = c.responsible_agent_id",
    )


def recorded(console: ServiceContext) -> list[dict]:
    """The details of every responsibility_recorded event."""
    sql = "SELECT detail FROM events WHERE kind = 'responsibility_recorded'"
    return [json.loads(detail) for (detail,) in rows(console, sql)]


async def complaint_from_the_overview(pilot: Pilot) -> ComplaintScreen:
    """F5, then Enter on the breached list: 王芳's complaint."""
    await opened(pilot)
    await pilot.press("enter")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ComplaintScreen) and app.screen.view)  # type: ignore[attr-defined]
    await settle(pilot)
    return app.screen  # type: ignore[return-value]


async def attribution_dialog(pilot: Pilot) -> None:
    """a: the dialog, its people loaded."""
    await pilot.press("a")
    await until(pilot, lambda: isinstance(pilot.app.screen, AttributeDialog))
    await settle(pilot)


async def test_the_supervisor_counts_a_complaint_against_the_agent_and_her_card_loses_5(
    console: ServiceContext, clock: FakeClock
) -> None:
    floor(console, clock)
    async with signed_in(console) as (app, pilot):
        await complaint_from_the_overview(pilot)
        assert "a 认定责任" in shown(app)
        await attribution_dialog(pilot)
        text = shown(app)
        assert "责任方" in text and "坐席违反服务规范（扣 5 分）" in text
        assert f"1024 {SHOWN_NAME}" in text  # the owner, chosen already
        assert "处理超时扣8分由系统自动计算" in shown_compact(app)
        await type_text(pilot, REASON)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ComplaintScreen))
        await settle(pilot)
        text = shown(app)
        assert f"已认定责任：坐席 1024 {SHOWN_NAME}" in text
        assert f"责任认定  坐席 1024 {SHOWN_NAME}  违反服务规范，扣 5 分" in text
        assert f"认定责任  坐席  wangfang  {REASON}" in text  # the history line
        assert "aGk=" not in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("r")  # the monthly scores, 王芳 (1024) first
        # Her verify clock ran out while she held it (8) and it is her breach (5).
        await until(pilot, lambda: "扣分13" in shown_compact(app) and "违规1" in shown_compact(app))
    assert attributed(console) == [("agent", "wangfang")]
    assert recorded(console) == [{"responsibility": "agent", "agent": "wangfang", "reason": REASON}]


async def test_escape_backs_out_and_saves_nothing(
    console: ServiceContext, clock: FakeClock
) -> None:
    floor(console, clock)
    async with signed_in(console) as (app, pilot):
        await complaint_from_the_overview(pilot)
        await attribution_dialog(pilot)
        await type_text(pilot, REASON)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ComplaintScreen))
        await settle(pilot)
        assert "责任认定" not in shown(app) and "已认定责任" not in shown(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
    assert attributed(console) == [("", None)] and recorded(console) == []


async def test_an_empty_reason_is_refused_under_the_field(
    console: ServiceContext, clock: FakeClock
) -> None:
    floor(console, clock)
    async with signed_in(console) as (app, pilot):
        await complaint_from_the_overview(pilot)
        await attribution_dialog(pilot)
        await type_text(pilot, "   ")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttributeDialog)
        assert widget_text(app, "#attribute-reason-error") == "必填"
        assert attributed(console) == [("", None)] and recorded(console) == []
        await type_text(pilot, "重复催件未回复")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ComplaintScreen))
    assert attributed(console) == [("agent", "wangfang")]
    assert [r["reason"] for r in recorded(console)] == ["重复催件未回复"]  # the spaces trimmed


async def test_a_reason_of_markup_or_invisible_characters_is_refused_under_the_field(
    console: ServiceContext, clock: FakeClock
) -> None:
    floor(console, clock)
    async with signed_in(console) as (app, pilot):
        await complaint_from_the_overview(pilot)
        await attribution_dialog(pilot)
        reason = app.screen.query_one("#attribute-reason", Input)
        for typed in ("[b][/b] [TODO]", "\u200b\u202e\u200b\u202e\u200b", "迟到"):
            reason.value = ""
            await type_text(pilot, typed)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AttributeDialog), typed
            said = widget_text(app, "#attribute-reason-error")
            assert said in (t("error.required"), t("error.reason_too_vague")), typed
        assert attributed(console) == [("", None)] and recorded(console) == []
        reason.value = ""
        await type_text(pilot, "\u200b重复催件\u202e未回复")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ComplaintScreen))
    assert attributed(console) == [("agent", "wangfang")]
    assert [r["reason"] for r in recorded(console)] == ["重复催件未回复"]


async def test_agents_are_not_offered_the_key(console: ServiceContext, clock: FakeClock) -> None:
    floor(console, clock)
    async with signed_in(console, "wangfang") as (app, pilot):
        app.screen.query_one(ClockList).focus()
        await pilot.press("enter")  # her own complaint, from my clocks
        await until(pilot, lambda: isinstance(app.screen, ComplaintScreen) and app.screen.view)  # type: ignore[attr-defined]
        await settle(pilot)
        assert "h 转交" in shown(app) and "认定责任" not in shown(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
    assert attributed(console) == [("", None)] and recorded(console) == []
