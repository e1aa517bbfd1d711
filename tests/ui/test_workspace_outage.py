"""The workspace through a database outage: the header says so, a complaint saved offline
is shown as pending, and once the server is back it is sent and shown with its number."""

from __future__ import annotations

from cs_console.services.context import ServiceContext
from cs_console.ui.workspace.outage import REPLAY_EVERY
from tests.services.outage import ServerGate
from tests.ui.screen_text import widget_text
from tests.ui.support import fill_in, people, rows, settle, shown_compact, workspace


async def test_a_complaint_saved_during_an_outage_is_sent_when_the_server_is_back(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    gate = ServerGate(sqlite_console.engine)
    async with workspace(sqlite_console) as (app, pilot):
        screen = app.workspace()
        gate.down()
        await pilot.press("f3")
        await fill_in(pilot, "王五", "13712345678", "SF1311234567890")
        await pilot.press("tab", "1")  # category: delay; on to days late
        await fill_in(pilot, "2", "两天没到", "尽快派送")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert "服务器断开·1条待发送" in widget_text(app, "#outage")
        banner = widget_text(app, "#saved-banner")
        assert "已离线保存：C-20261122-P001（待发送）" in banner
        assert "未检查：重复投诉和来电历史" in banner
        assert "1122-P001" in widget_text(app, "#my-clocks")  # listed, marked pending
        assert screen.desk.writes.journal.pending_count() == 1

        gate.up()
        for _ in range(int(REPLAY_EVERY * 20) + 40):  # the replayer's next look
            await settle(pilot, 0.05)
            if "已发送" in widget_text(app, "#saved-banner"):
                break

        assert "已发送：投诉编号C-20261122-0001（离线登记为C-20261122-P001）" in widget_text(
            app, "#saved-banner"
        )
        assert widget_text(app, "#outage") == ""
        assert "P001" not in widget_text(app, "#my-clocks")
        assert "1122-0001" in widget_text(app, "#my-clocks")
        assert "C-20261122-0001" in shown_compact(app)  # told what was sent
    assert rows(sqlite_console, "SELECT reference FROM complaints") == [("C-20261122-0001",)]
