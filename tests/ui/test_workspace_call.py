"""A whole call on the workspace, pressed key by key: greeting, complaint, closing.

Every key that is not part of the words and numbers typed is counted (``Keyboard.key``),
from F2 to the stored contact; the script line (SAY NEXT) is checked as the call goes.
"""

from __future__ import annotations

from cs_console.services.context import ServiceContext
from tests.conftest import FakeClock
from tests.ui.support import (
    Keyboard,
    debounced,
    people,
    rows,
    script,
    settle,
    shown,
    shown_compact,
    workspace,
)

PRIVACY = "您提供的个人信息只用于这次快递服务"
IDENTIFY = "麻烦您提供一下快递单号"
CLOSING = "请问还有其他可以帮到您的吗"
FAREWELL = "感谢您选择顺达速运"


async def test_a_phone_typed_during_the_greeting_identifies_the_parcel(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)
        await keys.key("f2")
        await settle(pilot)
        await keys.type("13812345678")  # the caller gave it before the greeting was done
        assert IDENTIFY not in script(app)
        await keys.key("ctrl+g")  # greeting said: no need to ask for the parcel again
        await settle(pilot)
        assert PRIVACY in script(app) and IDENTIFY not in script(app)


async def test_a_major_delay_complaint_from_f2_to_the_stored_contact_in_12_keys(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        keys = Keyboard(pilot)

        await keys.key("f2")  # the greeting is painted on the key, before the worker
        assert "您好，顺达速运客服，工号1024，很高兴为您服务" in script(app)
        await settle(pilot)
        clock.advance(seconds=4)
        await keys.key("ctrl+g")  # greeting said: the response time is recorded
        await settle(pilot)
        assert IDENTIFY in script(app)

        await keys.type("1381234567")  # not a whole phone yet: still identifying
        assert IDENTIFY in script(app)
        await keys.type("8")  # a valid phone: identified; a phone is personal data
        assert PRIVACY in script(app)
        await keys.key("tab")
        await keys.type("SF1311234567890")
        await debounced(pilot)  # the caller lookup is debounced
        assert PRIVACY in script(app)  # not said yet

        await keys.key("f3")  # the cursor goes to the first empty field: the name
        await keys.type("张伟")  # personal data typed after the notice was on screen: said
        assert "请您稍等" in script(app) and PRIVACY not in script(app)
        await keys.key("enter")  # on to the next field to fill in: phone, parcel carried
        await keys.key("1")  # category: delay; on to days late
        await keys.type("3")
        await keys.key("tab")
        await keys.type("三天了还没送到，物流一直没有更新")
        await keys.key("tab")
        await keys.type("尽快送达并说明原因")
        await pilot.pause()
        assert "▲重大投诉" in shown_compact(app) or "重大投诉" in shown_compact(app)
        assert "建议补偿：优惠券¥15" in shown_compact(app)
        await keys.key("ctrl+s")
        await settle(pilot)
        assert "转交专员·C-20261122-0001" in shown_compact(app)  # the hand-over dialog
        await keys.key("enter")  # to the first specialist, the reason filled in
        await settle(pilot)

        # The reference and deadline, the specialist's promise, then the closing question:
        # never "identify" again.
        said = script(app)
        assert "投诉编号是C-20261122-0001" in said
        assert "专员会在6小时内主动联系您" in said
        assert said.index("C-20261122-0001") < said.index(CLOSING)
        assert IDENTIFY not in said
        await keys.key("ctrl+g")  # reference and closing question said; the caller: no
        assert FAREWELL in script(app)
        clock.advance(minutes=3)
        await keys.key("ctrl+g")  # farewell said: the contact is stored
        await settle(pilot)
        assert "按F2接听来电" in script(app)

        assert len(keys.moves) <= 12, keys.moves
        (complaint,) = rows(
            sqlite_console,
            "SELECT c.severity, c.category, c.days_late, c.description, c.request, u.username,"
            " c.contact_id FROM complaints c JOIN users u ON u.id = c.owner_id",
        )
        assert complaint[:6] == (
            "major",
            "delay",
            3,
            "三天了还没送到，物流一直没有更新",
            "尽快送达并说明原因",
            "lisi",  # handed over
        )
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


async def test_f8_asks_the_contact_type_before_the_closing_question(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await pilot.press("tab")  # the parcel field
        for character in "SF1311234567890":
            await pilot.press(character)
        await debounced(pilot)
        # a tracking number is not personal data: straight on to fact-finding, where the
        # parcel's status is read out (a tracking query)
        assert "您的快件已于" in script(app) and PRIVACY not in script(app)

        await pilot.press("f8")  # no type chosen, nothing saved: which type, first
        assert "这通来电是什么类型" in script(app)
        assert CLOSING not in script(app)
        await pilot.press("ctrl+g")  # cannot skip it
        assert "这通来电是什么类型" in script(app)
        await pilot.press("1")  # tracking query: now the closing question
        assert CLOSING in script(app)
        await pilot.press("ctrl+g")
        assert FAREWELL in script(app)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "按F2接听来电" in script(app)
        assert rows(sqlite_console, "SELECT contact_type FROM contacts") == [("tracking",)]
