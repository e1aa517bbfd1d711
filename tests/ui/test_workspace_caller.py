"""The caller is a person, not a parcel: who a call is stored against, what the history
shows, finding a complaint by the reference the caller quotes, and opening it."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList

from cs_console.i18n import set_language
from cs_console.services.calls import caller_history
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.handover import HandOverScreen
from tests.ui.screen_text import widget_text
from tests.ui.support import (
    a_complaint,
    answer,
    debounced,
    people,
    rows,
    settle,
    shown_compact,
    the_agent,
    type_text,
    workspace,
)

OWNER_PHONE = "13812345678"  # 张伟: the parcel SF1311234567001 is on file under him
CALLER_PHONE = "13955556666"  # someone else, ringing about it
PARCEL = "SF1311234567001"


async def end_as(pilot: Pilot, type_key: str) -> None:
    """Choose the contact type (1 query, 2 shipping …) and end the call at once (F8 F8)."""
    pilot.app.screen.query_one("#contact-type").focus()
    await pilot.pause()
    await pilot.press(type_key, "f8", "f8")
    await settle(pilot)


def contacts(console: ServiceContext) -> list[tuple]:
    return rows(console, "SELECT customer_id, parcel_id, contact_type FROM contacts ORDER BY id")


def complaint_row(console: ServiceContext, reference: str) -> tuple:
    (row,) = rows(
        console,
        "SELECT id, customer_id, parcel_id FROM complaints WHERE reference = :r",
        r=reference,
    )
    return row


async def test_a_call_about_someone_elses_parcel_is_stored_against_the_caller(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    _, owner_id, parcel_id = complaint_row(sqlite_console, reference)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, CALLER_PHONE)
        await pilot.press("tab")
        await type_text(pilot, PARCEL)
        await debounced(pilot)

        # Not 张伟's history: a new caller; his complaint is listed as this parcel's.
        history = widget_text(app, "#call-history")
        assert "新来电" in history and "张*" not in history
        assert f"{reference}一般态度已登记本快件" in widget_text(app, "#call-history-list")
        assert f"此快件再投诉将为重大投诉：{reference}尚未解决" in widget_text(app, "#call-repeat")
        await end_as(pilot, "1")  # a tracking query

        ((caller_id, contact_parcel, kind),) = contacts(sqlite_console)
        assert (contact_parcel, kind) == (parcel_id, "tracking")
        assert caller_id is not None and caller_id != owner_id
        agent = the_agent(sqlite_console)
        assert caller_history(sqlite_console, agent, phone=OWNER_PHONE).contacts == 0
        assert rows(sqlite_console, "SELECT customer_id FROM parcels") == [(owner_id,)]

        # The next call from that number knows them, and lists the parcel's complaint as one
        # about a parcel they did not send or receive (it is still not theirs).
        await answer(pilot)
        await type_text(pilot, CALLER_PHONE)
        await debounced(pilot)
        history = widget_text(app, "#call-history")
        assert "139****6666" in history and "来电1·未结投诉0" in history
        assert "新来电" not in history
        assert "上次来电" in history and "查询" in history


async def test_a_shipping_enquiry_from_a_new_number_is_known_on_the_next_call(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, CALLER_PHONE)
        await debounced(pilot)
        assert "新来电，暂无记录" in widget_text(app, "#call-history")
        await end_as(pilot, "2")  # shipping

        ((caller_id, parcel_id, kind),) = contacts(sqlite_console)
        assert caller_id is not None and (parcel_id, kind) == (None, "shipping")

        await answer(pilot)
        await type_text(pilot, CALLER_PHONE)
        await debounced(pilot)
        history = widget_text(app, "#call-history")
        assert "新来电" not in history
        assert "139****6666" in history and "上次来电" in history and "寄件" in history


async def test_an_invalid_phone_on_the_form_makes_no_claim_about_the_caller(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("f3")
        await type_text(pilot, "张伟")
        await pilot.press("tab")
        await type_text(pilot, "139")  # not a phone number: nobody to look up
        await pilot.press("tab")
        await debounced(pilot)
        assert widget_text(app, "#call-history") == ""  # no "new caller", no record claimed

        await pilot.press("shift+tab", "backspace", "backspace", "backspace")
        await type_text(pilot, CALLER_PHONE)  # a valid number on the form is looked up
        await pilot.press("tab")
        await debounced(pilot)
        assert "新来电，暂无记录" in widget_text(app, "#call-history")
        await pilot.press("shift+tab", "backspace")  # no longer a valid number
        await debounced(pilot)
        assert widget_text(app, "#call-history") == ""

        await pilot.press("f8")  # the form is discarded: still nothing to say
        await settle(pilot)
        await pilot.press("d")
        await debounced(pilot)
        assert widget_text(app, "#call-history") == ""


async def test_f6_finds_a_complaint_by_its_reference_and_enter_opens_it(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    complaint_id, customer_id, parcel_id = complaint_row(sqlite_console, reference)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("f6")
        await type_text(pilot, reference.replace("-", "").lower())  # c202611220001
        await debounced(pilot)
        await pilot.press("tab")  # leaving the field: a phone would be checked now
        await settle(pilot)

        screen = shown_compact(app)
        assert "电话号码无效" not in screen and "快递单号无效" not in screen
        assert "张*138****5678" in widget_text(app, "#call-history")
        assert widget_text(app, "#call-history-list").startswith(f"{reference}一般态度")
        assert app.screen.query_one("#complaint-form #phone").value == ""  # not carried

        await pilot.press("shift+tab", "enter")  # back in the caller field: Enter opens it
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert app.screen.complaint_id == complaint_id
        assert reference in shown_compact(app)
        await pilot.press("escape")
        await settle(pilot)

        await end_as(pilot, "1")
        assert contacts(sqlite_console) == [(customer_id, parcel_id, "tracking")]


async def test_enter_typed_right_after_a_reference_opens_it_once_found(
    sqlite_console: ServiceContext,
) -> None:
    """An agent types the quoted reference and Enter at once (or a scanner does): the Enter
    arrives before the lookup has answered, and still opens the complaint when it does."""
    people(sqlite_console)
    reference = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    complaint_id, _, _ = complaint_row(sqlite_console, reference)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("f6")
        await type_text(pilot, reference)
        await pilot.press("enter")  # no wait: the lookup has not answered yet
        await debounced(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert app.screen.complaint_id == complaint_id
        assert reference in shown_compact(app)
        await pilot.press("escape")
        await settle(pilot)
        await end_as(pilot, "1")
    [(_, _, kind)] = contacts(sqlite_console)
    assert kind == "tracking"


async def test_enter_on_a_reference_then_typing_on_opens_nothing(
    sqlite_console: ServiceContext,
) -> None:
    """An Enter that was waiting for its lookup is dropped once the agent types on."""
    people(sqlite_console)
    reference = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("f6")
        await type_text(pilot, reference)
        await pilot.press("enter", "backspace")
        await type_text(pilot, "9")  # another reference, not on file
        await debounced(pilot)
        await settle(pilot)
        assert not isinstance(app.screen, ComplaintScreen)
        assert reference[:-1] + "9" in shown_compact(app)


async def test_an_unknown_reference_says_so(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "C-20200101-0009")
        await debounced(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert "没有投诉编号C-20200101-0009" in widget_text(app, "#call-history")
        assert "电话号码无效" not in shown_compact(app)


async def test_enter_on_a_complaint_of_the_callers_history_opens_it(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    first = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    # Someone else complained about 张伟's parcel: listed for him as sender/recipient.
    second = a_complaint(
        sqlite_console, customer_name="李娜", phone=CALLER_PHONE, tracking_no=PARCEL
    )
    first_id = complaint_row(sqlite_console, first)[0]
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, OWNER_PHONE)
        await debounced(pilot)
        listed = widget_text(app, "#call-history-list")
        assert f"{second}重大态度已登记寄/收件人" in listed
        assert f"{first}一般态度已登记本人投诉" in listed
        assert listed.index(second) < listed.index(first)  # newest first

        await pilot.press("tab", "tab")  # past the parcel field, into the history
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert app.screen.complaint_id == first_id


async def test_the_repeat_marker_in_english(sqlite_console: ServiceContext) -> None:
    set_language("en")
    people(sqlite_console)
    reference = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, OWNER_PHONE)
        await debounced(pilot)
        marker = widget_text(app, "#call-repeat")
        assert f"Anewcomplaintfromthiscallerwouldbemajor:{reference}isunresolved" in marker
        assert "theircomplaint" in widget_text(app, "#call-history-list")


async def save_attitude_complaint(pilot: Pilot, name: str = "张伟") -> None:
    """F3, a name, 4 (attitude), a description and a request, ctrl+s."""
    await pilot.press("f3")
    await type_text(pilot, name)
    await pilot.press("enter", "4")  # attitude: on to the description
    await type_text(pilot, "快递员态度差")
    await pilot.press("tab")
    await type_text(pilot, "道歉")
    await pilot.press("ctrl+s")
    await debounced(pilot)


async def test_a_complaint_just_saved_is_news_not_a_repeat_of_itself(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, OWNER_PHONE)
        await pilot.press("tab")
        await type_text(pilot, PARCEL)
        await debounced(pilot)
        assert widget_text(app, "#call-repeat") == ""  # nothing unresolved yet
        await save_attitude_complaint(pilot)
        await debounced(pilot)

        ((reference, severity, repeat_of),) = rows(
            sqlite_console, "SELECT reference, severity, repeat_of FROM complaints"
        )
        assert (severity, repeat_of) == ("general", None)
        marker = widget_text(app, "#call-repeat")
        assert f"本次来电已登记：{reference}" in marker
        assert "此来电人再投诉将为重大投诉" in marker  # a warning for a next complaint
        assert "尚未解决" not in marker and marker.count(reference) == 1
        assert widget_text(app, "#call-history-list") == f"{reference}一般态度已登记本次来电登记"
        history = widget_text(app, "#call-history")  # this call is not a past call
        assert "来电0" in history and "上次来电" not in history
        assert "重大" not in widget_text(app, "#preview")
        await end_as(pilot, "3")

        # The next call from the number: now it is an earlier unresolved complaint.
        await answer(pilot)
        await type_text(pilot, OWNER_PHONE)
        await debounced(pilot)
        marker = widget_text(app, "#call-repeat")
        assert f"此来电人再投诉将为重大投诉：{reference}尚未解决" in marker
        assert "本次来电" not in marker
        assert widget_text(app, "#call-history-list") == f"{reference}一般态度已登记本人投诉"
        assert "来电1" in widget_text(app, "#call-history")


async def test_a_repeat_saved_in_the_call_names_the_earlier_complaint(
    sqlite_console: ServiceContext,
) -> None:
    set_language("en")
    people(sqlite_console)
    earlier = a_complaint(sqlite_console, customer_name="张伟", phone=OWNER_PHONE)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, OWNER_PHONE)
        await pilot.press("tab")
        await type_text(pilot, "SF1311234567890")  # another parcel of his
        await debounced(pilot)
        await save_attitude_complaint(pilot)
        assert isinstance(app.screen, HandOverScreen)  # major: he has one unresolved
        reason = widget_text(app, "#handover-reason")
        assert earlier in reason
        await pilot.press("escape")
        await debounced(pilot)

        now, severity, repeat_of = rows(
            sqlite_console,
            "SELECT reference, severity, repeat_of FROM complaints WHERE reference != :r",
            r=earlier,
        )[0]
        assert (severity, repeat_of) == ("major", earlier)
        marker = widget_text(app, "#call-repeat")
        assert f"Registeredinthiscall:{now}" in marker
        assert f"Anewcomplaintfromthiscallerwouldbemajor:{earlier}isunresolved" in marker
        assert marker.count(now) == 1  # named as registered, never as the unresolved one
        listed = app.screen.query_one("#call-history-list", OptionList)
        assert [str(listed.get_option_at_index(i).prompt) for i in range(2)] == [
            f"{now} major Attitude registered registered in this call",
            f"{earlier} general Attitude registered their complaint",
        ]


async def test_the_parcel_of_a_call_is_stored_and_found_by_the_next_call_about_it(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    new_parcel = "YT1234567890123"  # nobody asked about it before
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, CALLER_PHONE)
        await pilot.press("tab")
        await type_text(pilot, new_parcel)
        await debounced(pilot)
        assert "本快件此前来电" not in widget_text(app, "#call-history")
        await end_as(pilot, "1")  # a tracking query

        ((parcel_id, owner),) = rows(
            sqlite_console,
            "SELECT id, customer_id FROM parcels WHERE tracking_no = :n",
            n=new_parcel,
        )
        assert owner is None  # the caller is not taken for its sender or recipient
        ((caller_id, contact_parcel, kind),) = contacts(sqlite_console)
        assert (contact_parcel, kind) == (parcel_id, "tracking") and caller_id is not None

        # Someone else rings about the same parcel: the earlier call is found.
        await answer(pilot)
        await type_text(pilot, OWNER_PHONE)
        await pilot.press("tab")
        await type_text(pilot, new_parcel)
        await debounced(pilot)
        history = widget_text(app, "#call-history")
        assert "本快件此前来电1次，上次11-2214:00查询" in history
        await end_as(pilot, "1")
        assert [row[1] for row in contacts(sqlite_console)] == [parcel_id, parcel_id]

        # The first caller again: their last call says which parcel it was about.
        await answer(pilot)
        await type_text(pilot, CALLER_PHONE)
        await debounced(pilot)
        history = widget_text(app, "#call-history")
        assert f"上次来电11-2214:00查询，关于快件{new_parcel}" in history
