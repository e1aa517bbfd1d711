"""Nothing typed is lost: drafts are written as the agent types and offered back."""

from __future__ import annotations

from cs_console.services.context import ServiceContext
from cs_console.ui.screens.draft_restore import DraftRestoreScreen
from cs_console.ui.screens.quit_confirm import QuitDuringCallScreen
from tests.conftest import FakeClock
from tests.services.helpers import stored_drafts
from tests.ui.screen_text import widget_text
from tests.ui.support import (
    answer,
    attitude_form,
    debounced,
    people,
    rows,
    script,
    settle,
    type_text,
    workspace,
)


def draft_rows(console: ServiceContext) -> list[dict]:
    return [payload for _kind, payload in stored_drafts(console)]


async def type_a_half_complaint(pilot) -> None:  # type: ignore[no-untyped-def]
    await answer(pilot)
    await type_text(pilot, "13812345678")
    await pilot.press("f3")
    await type_text(pilot, "张伟")
    await pilot.press("tab", "tab", "tab", "3")  # damage: on to the declared value
    await type_text(pilot, "1200")


async def test_what_is_typed_is_kept_and_offered_back(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await type_a_half_complaint(pilot)
        await debounced(pilot, 1.1)  # at most a second after the last change
        (payload,) = draft_rows(sqlite_console)
        assert payload["form"]["customer_name"] == "张伟"
        assert payload["form"]["category"] == "damage"
        assert payload["form"]["declared_value"] == "1200"
        assert payload["call"]["phone"] == "13812345678"
        contact_id = payload["contact_id"]
        assert contact_id is not None

    # The terminal closed mid-call; a new console on the same database offers it back.
    clock.advance(minutes=2)
    async with workspace(sqlite_console) as (app, pilot):
        assert isinstance(app.screen, DraftRestoreScreen)
        offer = widget_text(app, "#draft-dialog")
        assert "一通来电尚未结束" in offer and "姓名：张伟" in offer
        await pilot.press("enter")
        await settle(pilot)
        form = app.workspace().form.typed_form()
        assert (form.customer_name, form.category, form.declared_value, form.phone) == (
            "张伟",
            "damage",
            "1200",
            "13812345678",
        )
        assert app.workspace().call_pane.phone == "13812345678"
        assert app.workspace().call.contact_id == contact_id  # the same call goes on
        assert "通话中02:00" in widget_text(app, "#call-state")
        assert "重大投诉" in widget_text(app, "#preview") or "一般投诉" in widget_text(
            app, "#preview"
        )


async def test_escape_restores_and_only_d_discards(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await type_a_half_complaint(pilot)
        await pilot.press("ctrl+q")  # during a call: asked first
        await settle(pilot)
        assert isinstance(app.screen, QuitDuringCallScreen)
        await pilot.press("q")  # quitting writes the draft at once
        await settle(pilot)
    assert draft_rows(sqlite_console)[0]["form"]["customer_name"] == "张伟"

    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("escape")
        await settle(pilot)
        assert app.workspace().form.typed_form().customer_name == "张伟"
    assert len(draft_rows(sqlite_console)) == 1

    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("d")
        await settle(pilot)
        assert app.workspace().form.typed_form().customer_name == ""
        assert "按F2接听来电" in script(app)
    assert draft_rows(sqlite_console) == []


async def test_a_saved_complaint_and_an_ended_call_leave_no_draft(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "13812345678")
        app.workspace().form.load(
            attitude_form("张伟", "13812345678", "SF1311234567890", "快递员态度很差")
        )
        await debounced(pilot, 1.1)
        assert draft_rows(sqlite_console)[0]["form"]["category"] == "attitude"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(sqlite_console, "SELECT count(*) FROM complaints") == [(1,)]
        await debounced(pilot, 1.1)
        (payload,) = draft_rows(sqlite_console)  # the call goes on: its fields are kept
        assert payload["form"]["customer_name"] == ""
        assert payload["call"]["contact_type"] == "complaint"
        await pilot.press("f8", "f8")
        await debounced(pilot, 1.1)
        assert draft_rows(sqlite_console) == []
        assert rows(sqlite_console, "SELECT contact_type FROM contacts") == [("complaint",)]


async def test_a_draft_overdue_for_writing_is_written_by_a_timer_that_can_run_late(
    sqlite_console: ServiceContext,
) -> None:
    import time

    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        drafts = app.workspace().drafts
        drafts._first_change = time.monotonic() - 3600  # typing began long ago: write now
        drafts.schedule()
        assert drafts._timer is not None and drafts._timer._interval > 0
        await settle(pilot, 0.1)
        assert app.is_running


async def test_a_call_put_back_goes_on_where_the_agent_types_the_caller(
    sqlite_console: ServiceContext,
) -> None:
    """The console closed during a call the agent had only answered: once it is put back,
    what the agent types next is the caller's number, in the call pane (not lost on a key
    line, nor landing in the form's name field after Tab)."""
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("ctrl+g")  # the greeting said; nothing typed yet
        await pilot.press("ctrl+q", "q")  # the call is kept as a draft
        await settle(pilot)

    async with workspace(sqlite_console) as (app, pilot):
        assert isinstance(app.screen, DraftRestoreScreen)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "13955556666")
        await pilot.press("tab")
        await type_text(pilot, "SF228236507850")
        await debounced(pilot)  # the caller's look-up waits for the typing to pause
        desk = app.workspace()
        assert (desk.call_pane.phone, desk.call_pane.tracking_no) == (
            "13955556666",
            "SF228236507850",
        )
        assert desk.form.typed_form().customer_name == ""
        assert "新来电" in widget_text(app, "#call-history")  # looked up as typed
        await pilot.press("f8", "1", "ctrl+g", "ctrl+g")  # a tracking enquiry, ended
        await settle(pilot)
        assert "按F2接听来电" in script(app)
    stored = "SELECT contact_type, customer_id IS NOT NULL, ended_at IS NOT NULL FROM contacts"
    assert rows(sqlite_console, stored) == [("tracking", 1, 1)]  # kept under the caller
