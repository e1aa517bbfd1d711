"""The supervisor's overview: F5 from the workspace, live refresh, reassign, open, scores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from textual.app import App
from textual.pilot import Pilot

from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Console
from cs_console.storage.engine import make_engine
from cs_console.ui.factory import make_app
from cs_console.ui.screens.overview import OverviewScreen
from cs_console.ui.widgets.at_risk_list import AtRiskList
from tests.conftest import START, FakeClock, add_person
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form
from tests.ui.support import PASSWORD, ready, rows, settle, shown, shown_compact, type_text

NAME = "王芳" + "".join(FEW_INJECTIONS)  # a person's name is data too


def floor(console: Console, clock: FakeClock) -> str:
    """A supervisor, two agents; 王芳's complaint registered 2 h ago (verify breached)."""
    add_person(console, "boss", Role.SUPERVISOR, agent_no="9001", display_name="周主管")
    wang = add_person(console, "wangfang", agent_no="1024", display_name=NAME)
    add_person(console, "liqiang", agent_no="1031", display_name="李强")
    clock.now = START - timedelta(hours=2)
    reference = register_complaint(console, wang, distinct_form(1)).reference
    clock.now = START
    return reference


@asynccontextmanager
async def signed_in(console: Console, who: str = "boss") -> AsyncIterator[tuple[App, Pilot]]:
    app = make_app(console=console, username=who, password=PASSWORD)
    app.cursor_blink = False  # type: ignore[attr-defined]
    async with app.run_test(size=(140, 45)) as pilot:
        await ready(pilot)
        yield app, pilot


async def until(pilot: Pilot, condition, seconds: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    assert condition()


async def opened(pilot: Pilot) -> OverviewScreen:
    await pilot.press("f5")
    await until(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.view is not None)  # type: ignore[attr-defined]
    await settle(pilot)
    return screen  # type: ignore[return-value]


async def test_f5_shows_queue_measures_agents_and_the_breached_clock(
    sqlite_console: Console, clock: FakeClock
) -> None:
    reference = floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        await opened(pilot)
        text = shown(app)
        assert "总览" in text and "3声内接听率" in text and "满意度" in text
        assert "未结投诉" in text and "超时与临近" in text
        assert f"✕ {reference}" in text
        assert NAME.replace("\x1b]52;c;aGk=\x07", "") in shown(app).replace("\x07", "")
        assert "1024" in text and "李强" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OverviewScreen)
        await pilot.press("ctrl+d")  # the letter alternative
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen))


async def test_a_complaint_written_by_another_console_shows_within_2_seconds(
    sqlite_console: Console, clock: FakeClock, sqlite_url: str
) -> None:
    floor(sqlite_console, clock)
    other_engine = make_engine(sqlite_url)
    other = Console(other_engine, sqlite_console.policy, sqlite_console.zone, clock)
    try:
        async with signed_in(sqlite_console) as (app, pilot):
            screen = await opened(pilot)
            assert screen.view is not None and screen.view.queue.open_total == 1
            wang = add_person(other, "zhaolei", agent_no="1040", display_name="赵磊")
            clock.now = START - timedelta(hours=3)  # its verify clock has run out too
            late = register_complaint(other, wang, distinct_form(2)).reference
            clock.now = START
            await until(pilot, lambda: late in shown(app), seconds=2.5)
            assert screen.view.queue.open_total == 2  # type: ignore[union-attr]
    finally:
        other_engine.dispose()


async def test_a_last_line_counts_the_clocks_past_the_list(
    sqlite_console: Console, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cs_console.services.overview.AT_RISK_SHOWN", 1)
    reference = floor(sqlite_console, clock)
    zhao = add_person(sqlite_console, "zhaolei", agent_no="1040", display_name="赵磊")
    clock.now = START - timedelta(hours=3)  # overdue longer than 王芳's: listed first
    late = register_complaint(sqlite_console, zhao, distinct_form(2)).reference
    clock.now = START
    async with signed_in(sqlite_console) as (app, pilot):
        await opened(pilot)
        await pilot.press("end")
        text = shown(app)
        assert f"✕ {late}" in text and reference not in text
        assert "另有 1 条，cs-console sla 列出全部" in text


async def test_agents_are_told_the_overview_is_for_supervisors(
    sqlite_console: Console, clock: FakeClock
) -> None:
    floor(sqlite_console, clock)
    async with signed_in(sqlite_console, "wangfang") as (app, pilot):
        await pilot.press("f5")
        await settle(pilot)
        assert not isinstance(app.screen, OverviewScreen)
        assert any("只有主管可以打开总览" in str(n.message) for n in app._notifications)


async def test_reassigning_from_the_overview_is_a_recorded_hand_over(
    sqlite_console: Console, clock: FakeClock
) -> None:
    reference = floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        await opened(pilot)
        await pilot.press("a")
        await until(pilot, lambda: "转派" in shown(app) and "李强" in shown(app))
        await settle(pilot)
        options = app.screen.query_one("#reassign-people")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]  # type: ignore[attr-defined]
        await pilot.press(*["down"] * next(i for i, s in enumerate(labels) if "李强" in s))
        await pilot.press("enter")
        await type_text(pilot, "王芳请假")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await settle(pilot)
    owner = rows(
        sqlite_console,
        "SELECT u.display_name FROM complaints c JOIN users u ON u.id = c.owner_id"
        " WHERE c.reference = :r",
        r=reference,
    )
    assert owner == [("李强",)]
    events = rows(
        sqlite_console,
        "SELECT e.detail FROM events e JOIN users u ON u.id = e.actor_id"
        " WHERE e.kind = 'handed_over' AND u.username = 'boss'",
    )
    assert len(events) == 1 and "王芳请假" in events[0][0]
    audit = rows(sqlite_console, "SELECT target FROM audit_log WHERE action = 'hand_over'")
    assert audit == [(f"complaint:{reference}",)]


async def test_enter_opens_the_complaint(sqlite_console: Console, clock: FakeClock) -> None:
    reference = floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        screen = await opened(pilot)
        assert screen.query_one(AtRiskList).has_focus
        await pilot.press("enter")
        await until(pilot, lambda: "投诉详情" in shown(app) and reference in shown(app))


async def test_the_supervisor_rates_an_agent_and_sees_the_scorecard(
    sqlite_console: Console, clock: FakeClock
) -> None:
    floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        await opened(pilot)
        await pilot.press("r")
        await until(pilot, lambda: "月度考核" in shown(app) and "待评分" in shown(app))
        await pilot.press("enter")  # 王芳 (1024) first: to the attitude field
        await type_text(pilot, "80")
        await pilot.press("tab")
        await type_text(pilot, "90")
        await pilot.press("ctrl+s")
        # verify ran out while 王芳 held her complaint: 8 points off; nothing measured yet.
        await until(pilot, lambda: "扣分8" in shown_compact(app))
    saved = rows(
        sqlite_console,
        "SELECT u.username, r.month, r.attitude, r.compliance"
        " FROM agent_ratings r JOIN users u ON u.id = r.agent_id",
    )
    assert saved == [("wangfang", "2026-11", 80, 90)]
