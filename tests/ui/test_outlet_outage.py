"""The outlet counter through a database outage: a walk-in saved while the server is away
gets a provisional reference and waits in the outage journal; once the server is back it is
sent exactly once and the counter is told its real number (as on the workspace)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Digits

from cs_console.services import complaints
from cs_console.services.context import PermissionDenied, ServiceContext
from cs_console.services.journal.writes import JournalledWrites, open_journal
from cs_console.ui.screens.outlet import OutletScreen
from cs_console.ui.screens.outlet_reference import ReferenceScreen
from cs_console.ui.workspace.outage import REPLAY_EVERY
from tests.services.helpers import distinct_form
from tests.services.outage import ServerGate
from tests.ui.screen_text import compact, screen_text, widget_text
from tests.ui.support import fill_in, rows, settle
from tests.ui.test_outlet import PUDONG, counter, list_references, outlet_app, outlet_ready


def stored(console: ServiceContext, sql: str) -> list[tuple]:
    """What the database file holds, read past the gate (a console of another machine)."""
    engine = create_engine(console.engine.url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def notices(app: App) -> list[str]:
    """The notifications shown so far (title and message), spaces removed."""
    return [compact(f"{n.title}{n.message}") for n in app._notifications]


async def save_walk_in(pilot: Pilot, name: str = "王五") -> None:
    """The clerk types a delay complaint, top to bottom, and presses ctrl+s."""
    await fill_in(pilot, name, "13712345678", "SF1311234567890")
    await pilot.press("tab", "1")  # category: delay; on to days late
    await fill_in(pilot, "2", "两天没到", "尽快派送")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def until_shown(pilot: Pilot, selector: str, text: str) -> None:
    """Wait (at most two replay periods) until ``text`` shows in ``selector``."""
    for _ in range(int(REPLAY_EVERY * 40) + 40):
        await settle(pilot, 0.05)
        if text in widget_text(pilot.app, selector):
            return
    raise AssertionError(f"{text!r} never showed in {selector}")


async def test_a_walk_in_saved_during_an_outage_is_sent_when_the_server_is_back(
    sqlite_console: ServiceContext,
) -> None:
    counter(sqlite_console)
    gate = ServerGate(sqlite_console.engine)
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        gate.down()
        await save_walk_in(pilot, "[bold red]王五")  # customer text is never markup

        # The reference screen, with the provisional number and what it means.
        assert isinstance(app.screen, ReferenceScreen)
        assert app.screen.query_one(Digits).value == "C-20261122-P001"
        shown = compact(screen_text(app))
        assert "已离线保存（待发送）" in shown and "临时编号" in shown
        assert "服务器恢复后自动检查并发送" in shown
        assert "离线时未检查是否重复投诉" in shown
        assert stored(sqlite_console, "SELECT id FROM complaints") == []
        assert screen.desk.writes.journal.pending_count() == 1

        await pilot.press("x")  # any key: a fresh form, the complaint listed as pending
        await settle(pilot)
        assert app.screen is screen and screen.form.is_blank()
        assert app.focused.id == "customer_name"
        assert list_references(screen)[0] == "C-20261122-P001"
        assert "服务器断开·1条待发送" in widget_text(app, "#outage")
        assert "C-20261122-P001待发送" in widget_text(app, "#saved-banner")
        assert "P001一般核实" in widget_text(app, "#outlet-complaints")
        assert "[***" in widget_text(app, "#outlet-complaints")  # masked, brackets as typed

        gate.up()
        back = time.monotonic()
        await until_shown(pilot, "#saved-banner", "已发送")
        assert time.monotonic() - back <= REPLAY_EVERY + 2  # the replayer's next look

        assert "已发送：投诉编号C-20261122-0001（离线登记为C-20261122-P001）" in widget_text(
            app, "#saved-banner"
        )
        assert widget_text(app, "#outage") == ""
        told = notices(app)  # as on the workspace: what was sent
        assert any("已向服务器发送1条离线记录" in n and "C-20261122-0001" in n for n in told)
        await settle(pilot, 0.2)
        assert list_references(screen) == ["C-20261122-0001"]
        assert not any("未接受" in n for n in notices(app))  # nothing refused
        assert screen.desk.writes.journal.pending_count() == 0
    assert rows(sqlite_console, "SELECT reference, channel, outlet FROM complaints") == [
        ("C-20261122-0001", "walk_in", PUDONG)
    ]


async def test_a_journal_left_by_an_earlier_outlet_session_is_sent_on_the_next_start(
    sqlite_console: ServiceContext,
) -> None:
    clerk = counter(sqlite_console)
    gate = ServerGate(sqlite_console.engine)
    journal = open_journal(sqlite_console)
    gate.down()  # the last session saved offline, then the console was closed (or died)
    kept = JournalledWrites(sqlite_console, journal).register_complaint(clerk, distinct_form(1))
    journal.close()
    gate.up()
    assert kept.pending and kept.reference == "C-20261122-P001"

    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        await until_shown(pilot, "#saved-banner", "已发送")
        assert "已发送：投诉编号C-20261122-0001（离线登记为C-20261122-P001）" in widget_text(
            app, "#saved-banner"
        )
        assert any("C-20261122-0001" in n for n in notices(app))
        await settle(pilot, 0.2)
        assert list_references(screen) == ["C-20261122-0001"]
        assert screen.desk.writes.journal.pending_count() == 0
    assert rows(sqlite_console, "SELECT reference, channel FROM complaints") == [
        ("C-20261122-0001", "walk_in")
    ]


async def test_a_walk_in_the_server_refuses_is_told(
    sqlite_console: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter(sqlite_console)
    gate = ServerGate(sqlite_console.engine)
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        gate.down()
        await save_walk_in(pilot)
        await pilot.press("x")
        await settle(pilot)

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise PermissionDenied("not_your_outlet")  # e.g. moved to another outlet meanwhile

        monkeypatch.setattr(complaints, "register_complaint", refuse)
        gate.up()
        await until_shown(pilot, "#saved-banner", "未被服务器接受")

        assert any("服务器未接受：投诉" in n for n in notices(app))
        assert "C-20261122-P001" not in list_references(screen)
        assert widget_text(app, "#outage") == ""
    assert rows(sqlite_console, "SELECT id FROM complaints") == []


async def test_the_outage_line_shows_when_the_server_goes_away_and_goes_when_it_is_back(
    sqlite_console: ServiceContext,
) -> None:
    counter(sqlite_console)
    gate = ServerGate(sqlite_console.engine)
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        assert widget_text(app, "#outage") == ""
        gate.down()
        await until_shown(pilot, "#outage", "服务器断开")  # the list's poll noticed
        assert isinstance(app.screen, OutletScreen) and app.screen is screen
        gate.up()
        for _ in range(int(REPLAY_EVERY * 40) + 40):
            await settle(pilot, 0.05)
            if widget_text(app, "#outage") == "":
                break
        assert widget_text(app, "#outage") == ""
