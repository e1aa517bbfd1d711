"""A whole call on the workspace, pressed key by key: greeting, complaint, closing."""

from __future__ import annotations

from cs_console.services.context import Console
from tests.conftest import FakeClock
from tests.ui.support import (
    Keyboard,
    people,
    rows,
    script,
    settle,
    shown,
    shown_compact,
    workspace,
)


async def test_a_general_delay_complaint_from_greeting_to_farewell(
    sqlite_console: Console, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)

        await pilot.press("f2")  # the greeting is painted on the key, before the worker
        assert "您好，顺达速运客服，工号1024，很高兴为您服务" in script(app)
        await settle(pilot)
        clock.advance(seconds=4)
        await pilot.press("ctrl+g")  # greeting said: the response time is recorded
        await settle(pilot)
        assert "麻烦您提供一下快递单号" in script(app)

        await keys.type("13812345678")  # F2 put the cursor in the caller's phone
        await pilot.press("tab")
        await keys.type("SF1311234567890")
        await settle(pilot, 0.4)  # the caller lookup is debounced

        # The complaint: only the moves between fields, the choices and the save count.
        await keys.key("f3")  # the cursor goes to the first empty field: the name
        await keys.type("张伟")
        await keys.key("tab", "tab", "tab")  # phone and parcel were carried over
        await keys.key("1")  # category: delay
        await keys.key("tab")
        await keys.type("2")
        await keys.key("tab")
        await keys.type("两天了还没送到，物流一直没有更新")
        await keys.key("tab")
        await keys.type("尽快送达并说明原因")
        await pilot.pause()
        assert "●一般投诉" in shown_compact(app)
        assert "建议补偿:优惠券¥10" in shown_compact(app)
        await keys.key("ctrl+s")
        await settle(pilot)
        assert len(keys.moves) <= 12, keys.moves

        screen = shown_compact(app)
        assert "投诉编号C-20261122-0001已登记" in screen
        assert "投诉编号是C-20261122-0001" in script(app)  # the complaint_registered line
        (complaint,) = rows(
            sqlite_console,
            "SELECT c.severity, c.category, c.days_late, c.description, c.request, u.username,"
            " c.contact_id FROM complaints c JOIN users u ON u.id = c.owner_id",
        )
        assert complaint[:6] == (
            "general",
            "delay",
            2,
            "两天了还没送到，物流一直没有更新",
            "尽快送达并说明原因",
            "wangfang",
        )
        await pilot.press("ctrl+g")  # the reference was read out

        await pilot.press("f8")
        assert "请问还有其他可以帮到您的吗" in script(app)
        await pilot.press("ctrl+g")
        assert "感谢您选择顺达速运" in script(app)
        clock.advance(minutes=3)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "按F2接听来电" in script(app)
        (contact,) = rows(
            sqlite_console,
            "SELECT id, contact_type, started_at, answered_at, ended_at FROM contacts",
        )
        assert contact[0] == complaint[6]
        assert contact[1] == "complaint"
        assert contact[4] is not None
        assert str(contact[3]) > str(contact[2])  # answered 4 s after it started
        assert rows(sqlite_console, "SELECT count(*) FROM drafts") == [(0,)]
        assert "Traceback" not in shown(app)
