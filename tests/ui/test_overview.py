"""The supervisor's overview: F5 from the workspace, live refresh, reassign, open, scores."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input

from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.overview import OverviewScreen
from cs_console.ui.widgets.at_risk_list import AtRiskList
from tests.conftest import START, FakeClock, add_person
from tests.services.helpers import distinct_form
from tests.ui.screen_text import widget_text
from tests.ui.supervisor import NAME, floor, opened, signed_in, until
from tests.ui.support import PASSWORD, rows, settle, shown, shown_compact, the_agent, type_text
from tests.ui.test_change_watcher import (
    another_console,
    counted_looks,
    listening_pids,
    only_on_postgresql,
)

ROOT = Path(__file__).resolve().parents[2]


async def test_f5_shows_queue_measures_agents_and_the_breached_clock(
    sqlite_console: ServiceContext, clock: FakeClock
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


async def test_a_complaint_registered_by_another_process_shows_within_2_seconds(
    console: ServiceContext, clock: FakeClock, db_url: str
) -> None:
    """A real second console (an OS process of its own) registers while the overview is open."""
    floor(console, clock)
    async with signed_in(console) as (app, pilot):
        await opened(pilot)
        assert "未结投诉1" in widget_text(app, "#overview-queue")
        other = subprocess.Popen(
            # Registered 3 h ago by its own clock: its verify clock has run out too.
            [sys.executable, "-m", "tests.ui.other_console", db_url, "liqiang",
             (START - timedelta(hours=3)).isoformat()],
            cwd=ROOT,
            env={**os.environ, "CS_CONSOLE_PASSWORD": PASSWORD},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        # Its line, as soon as it is printed (starting Python takes a while on a busy machine);
        # the app runs on while the test waits for it.
        line = await asyncio.wait_for(asyncio.to_thread(other.stdout.readline), timeout=120)  # type: ignore[union-attr]
        assert line, other.communicate(timeout=30)[1]
        written = json.loads(line)
        reference, deadline = written["reference"], written["committed"] + 2.0

        def seen() -> bool:
            return f"✕ {reference}" in shown(app) and "未结投诉2" in widget_text(
                app, "#overview-queue"
            )

        while not seen():
            assert time.time() < deadline, "not on the overview 2 s after the commit"
            await pilot.pause(0.05)
        assert time.time() <= deadline, "on the overview, but later than 2 s after the commit"
    assert other.wait(timeout=30) == 0


async def test_on_postgresql_a_write_shows_as_it_commits_without_a_poll(
    console: ServiceContext, clock: FakeClock, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_postgresql(console)
    # A poll would come a minute later, and so would the half-minute reload.
    monkeypatch.setattr("cs_console.ui.screens.overview.POLL_EVERY", 60.0)
    looked = counted_looks(monkeypatch)
    floor(console, clock)
    async with signed_in(console) as (app, pilot):
        await opened(pilot)
        await until(pilot, lambda: len(listening_pids(console)) == 2)  # workspace, overview
        await settle(pilot)
        assert "未结投诉1" in widget_text(app, "#overview-queue")
        three_hours_ago = FakeClock(START - timedelta(hours=3))
        with another_console(console, db_url, three_hours_ago) as elsewhere:
            written = register_complaint(elsewhere, the_agent(console), distinct_form(2))
        committed = time.monotonic()
        await until(pilot, lambda: f"✕ {written.reference}" in shown(app), seconds=2.0)
        assert "未结投诉2" in widget_text(app, "#overview-queue")
        assert time.monotonic() - committed < 2.0
    assert "_read_marker" not in looked  # the overview's watcher never read the marker


async def test_a_last_line_counts_the_clocks_past_the_list(
    sqlite_console: ServiceContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
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
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    floor(sqlite_console, clock)
    async with signed_in(sqlite_console, "wangfang") as (app, pilot):
        await pilot.press("f5")
        await settle(pilot)
        assert not isinstance(app.screen, OverviewScreen)
        assert any("只有主管可以打开总览" in str(n.message) for n in app._notifications)


async def test_reassigning_from_the_overview_is_a_recorded_hand_over(
    sqlite_console: ServiceContext, clock: FakeClock
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


async def test_enter_opens_the_complaint(sqlite_console: ServiceContext, clock: FakeClock) -> None:
    reference = floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        screen = await opened(pilot)
        assert screen.query_one(AtRiskList).has_focus
        await pilot.press("enter")
        await until(pilot, lambda: "投诉详情" in shown(app) and reference in shown(app))


async def test_the_supervisor_rates_an_agent_and_sees_the_scorecard(
    sqlite_console: ServiceContext, clock: FakeClock
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


async def test_a_rating_takes_only_digits_and_at_most_three(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    # A held-down key or a scanner burst: Textual's integer check backtracked on this
    # (0.74 s at 24 digits and a letter, 4x per two more digits) and froze the console.
    floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        await opened(pilot)
        await pilot.press("r")
        await until(pilot, lambda: "月度考核" in shown(app) and "待评分" in shown(app))
        await pilot.press("enter")
        await type_text(pilot, "9" * 40 + "a")
        attitude = app.screen.query_one("#ratings-attitude", Input)
        assert attitude.value == "999"
