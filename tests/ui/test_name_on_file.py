"""A phone on file under another name, at the agent's form and at the outlet counter.

The name on file shows (masked) under the name field as soon as the phone is known; saving
a different name asks once whose name it is: another person on the number (1), a
correction (2), or Escape back to the form with nothing saved.
"""

from __future__ import annotations

import json

from textual.pilot import Pilot

from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.customers import open_contact_name, open_name, open_previous_name
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.handover import HandOverScreen
from cs_console.ui.screens.name_choice_dialog import NameChoiceDialog
from cs_console.ui.screens.outlet_reference import ReferenceScreen
from tests.conftest import TEST_DATA_KEY
from tests.ui.screen_text import compact, screen_text, widget_text
from tests.ui.support import (
    a_complaint,
    attitude_form,
    debounced,
    fill_in,
    people,
    rows,
    settle,
    the_agent,
    type_text,
    workspace,
)
from tests.ui.test_complaint_detail import DetailApp
from tests.ui.test_outlet import counter, outlet_app, outlet_ready

PHONE = "13712345678"  # on file as 张伟 (a_complaint)


async def _keep_it(pilot: Pilot) -> None:
    """The caller's first complaint is unresolved, so this one is major: keep it."""
    assert isinstance(pilot.app.screen, HandOverScreen)
    await pilot.press("escape")
    await settle(pilot)


async def _type_complaint(pilot: Pilot, name: str) -> None:
    """F3, then a whole attitude complaint typed for PHONE under ``name``."""
    await pilot.press("f3")
    await fill_in(pilot, name, PHONE, "SF1311234567999")
    await pilot.press("tab", "4")  # category: attitude, on to the next field it needs
    await fill_in(pilot, "快递员态度差", "道歉")
    await debounced(pilot)  # past the lookup's debounce


def _stored(console: ServiceContext) -> tuple[str, list[str]]:
    """The customer's name on file, and each complaint's contact name, in clear."""
    ((name,),) = rows(console, "SELECT name FROM customers")
    contacts = rows(console, "SELECT contact_name FROM complaints ORDER BY id")
    return open_name(name, TEST_DATA_KEY), [
        open_contact_name(c, TEST_DATA_KEY) for (c,) in contacts
    ]


async def test_the_form_shows_the_name_on_file_as_soon_as_the_phone_is_known(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console, customer_name="张伟", phone=PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f3")
        await fill_in(pilot, "李娜", "1371234567")  # one digit short: not a number yet
        await debounced(pilot)
        assert "档案姓名" not in widget_text(app, "#complaint-form")
        await type_text(pilot, "8")
        await debounced(pilot)
        assert "档案姓名：张*" in widget_text(app, "#complaint-form")
        assert "张伟" not in screen_text(app)  # masked, as lists show it
        await pilot.press("backspace")
        await debounced(pilot)
        assert "档案姓名" not in widget_text(app, "#complaint-form")


async def test_escape_goes_back_to_the_form_with_nothing_saved(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console, customer_name="张伟", phone=PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await _type_complaint(pilot, "李娜")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NameChoiceDialog)
        asked = compact(widget_text(app, "#name-dialog"))
        assert "此号码的档案姓名为张*，表单填写的是李娜" in asked
        assert "同号码的另一人" in asked and "更正" in asked and "返回表单，不保存" in asked

        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NameChoiceDialog)
        assert rows(sqlite_console, "SELECT count(*) FROM complaints") == [(1,)]
        assert _stored(sqlite_console) == ("张伟", [""])
        form = app.screen.form.typed_form()
        assert (form.customer_name, form.phone) == ("李娜", PHONE)  # typing kept
        assert app.focused is not None and app.focused.id == "customer_name"

        await pilot.press("ctrl+s")  # saving again asks again
        await settle(pilot)
        assert isinstance(app.screen, NameChoiceDialog)


async def test_another_person_on_the_number_keeps_the_name_on_file(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console, customer_name="张伟", phone=PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await _type_complaint(pilot, "李娜")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await _keep_it(pilot)

        assert not isinstance(app.screen, NameChoiceDialog)
        assert "已登记" in widget_text(app, "#saved-banner")
        assert _stored(sqlite_console) == ("张伟", ["", "李娜"])
        assert rows(
            sqlite_console, "SELECT count(*) FROM events WHERE kind = 'customer_name_corrected'"
        ) == [(0,)]
        assert app.screen.form.is_blank()
        # My clocks name each complaint's own person: 张* for the first, 李* for this one.
        assert sorted(row.customer for row in app.screen.clock_list.rows) == ["张*", "李*"]


async def test_a_correction_replaces_the_name_and_the_history_keeps_the_old_one(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console, customer_name="张伟", phone=PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await _type_complaint(pilot, "章伟")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await _keep_it(pilot)

        assert "已登记" in widget_text(app, "#saved-banner")
        assert _stored(sqlite_console) == ("章伟", ["", ""])
        ((complaint_id, detail),) = rows(
            sqlite_console,
            "SELECT complaint_id, detail FROM events WHERE kind = 'customer_name_corrected'",
        )
        assert "张伟" not in detail  # sealed
        previous = open_previous_name(json.loads(detail)["previous_name"], TEST_DATA_KEY)
        assert previous == "张伟"

    app = DetailApp(sqlite_console, the_agent(sqlite_console), complaint_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "档案姓名已更正  原为 张*" in screen_text(app)


async def test_the_outlet_asks_too_and_its_complaint_shows_the_contact_name(
    sqlite_console: ServiceContext,
) -> None:
    clerk = counter(sqlite_console)
    register_complaint(sqlite_console, clerk, attitude_form(customer_name="张伟", phone=PHONE))
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await outlet_ready(pilot)
        await fill_in(pilot, "李娜", PHONE)
        await debounced(pilot)
        assert "档案姓名：张*" in widget_text(app, "#complaint-form")
        await pilot.press("tab")
        await fill_in(pilot, "SF1311234567999")
        await pilot.press("tab", "4")
        await fill_in(pilot, "柜台态度差", "道歉")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NameChoiceDialog)
        await pilot.press("1")
        await settle(pilot)

        assert isinstance(app.screen, ReferenceScreen)
        assert _stored(sqlite_console) == ("张伟", ["", "李娜"])
        await pilot.press("x")
        await settle(pilot)
        assert [row.customer for row in screen.outlet_list.rows] == ["李*", "张*"]
        screen.outlet_list.focus()
        await pilot.press("home", "enter")  # the newest: the one just saved
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        for _ in range(50):  # until the complaint is loaded and painted
            if "处理人" in screen_text(app):
                break
            await settle(pilot, 0.05)
        assert "客户  李*（档案姓名：张*）" in screen_text(app)


async def test_the_dialog_shows_names_as_text_never_markup(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    a_complaint(sqlite_console, customer_name="[bold]张伟", phone=PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await _type_complaint(pilot, "[@click=app.quit]x[/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NameChoiceDialog)
        assert "[@click=app.quit]x[/]" in widget_text(app, "#name-dialog")
        await pilot.press("1")
        await settle(pilot)
        await _keep_it(pilot)
        assert app.is_running
        assert _stored(sqlite_console) == ("[bold]张伟", ["", "[@click=app.quit]x[/]"])
