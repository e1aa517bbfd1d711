"""The form belongs to the call: an unsaved form is settled when the call ends (save, keep
as a draft for later, discard), the next call starts empty, and errors follow typing."""

from __future__ import annotations

import pytest

from cs_console.services.context import ServiceContext
from cs_console.ui.screens.kept_drafts import KeptDraftsScreen, UnsavedFormScreen
from tests.conftest import FakeClock
from tests.ui.screen_text import widget_text
from tests.ui.support import (
    answer,
    people,
    rows,
    script,
    settle,
    shown_compact,
    type_text,
    workspace,
)

CLOSING = "请问还有其他可以帮到您的吗"


def kept_kinds(console: ServiceContext) -> list[str]:
    return [kind for (kind,) in rows(console, "SELECT kind FROM drafts WHERE kind LIKE 'kept-%'")]


async def test_an_unsaved_form_kept_for_later_leaves_the_next_call_empty_and_comes_back(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("ctrl+g")
        await type_text(pilot, "13812345678")
        await pilot.press("f3")
        await type_text(pilot, "张伟")
        await pilot.press("tab", "tab", "tab", "1")  # delay
        await type_text(pilot, "2")
        await pilot.press("tab")
        await type_text(pilot, "两天没到")

        await pilot.press("f8")  # the form is not saved: what becomes of it?
        await settle(pilot)
        assert isinstance(app.screen, UnsavedFormScreen)
        question = widget_text(app, "#unsaved-dialog")
        assert "投诉表单尚未保存" in question and "姓名：张伟" in question
        await pilot.press("enter")  # no default: Enter chooses nothing
        assert isinstance(app.screen, UnsavedFormScreen)
        await pilot.press("k")  # keep it as a draft for later
        await settle(pilot)
        assert app.workspace().form.typed_form().customer_name == ""
        assert "这通来电是什么类型" in script(app)  # then the type, before the closing
        await pilot.press("3")  # a complaint (to be registered later)
        assert CLOSING in script(app)
        assert "草稿1份·F12" in shown_compact(app)
        assert len(kept_kinds(sqlite_console)) == 1
        await pilot.press("ctrl+g", "ctrl+g")  # closing, farewell: stored
        await settle(pilot)
        assert rows(sqlite_console, "SELECT contact_type FROM contacts") == [("complaint",)]

        # The next caller sees nothing of the last one.
        clock.advance(minutes=5)
        await answer(pilot)
        screen = shown_compact(app)
        assert "张伟" not in screen and "两天没到" not in screen and "13812345678" not in screen
        form = app.workspace().form.typed_form()
        assert (form.customer_name, form.category, form.description) == ("", "", "")
        assert rows(sqlite_console, "SELECT count(*) FROM complaints") == [(0,)]

        # F12 lists the kept form; Enter puts it into this call's form.
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, KeptDraftsScreen)
        kept = widget_text(app, "#kept-list")
        assert "张*138****5678两天没到" in kept  # a list: name and phone masked
        assert "张伟" not in kept and "13812345678" not in kept
        await pilot.press("enter")
        await settle(pilot)
        form = app.workspace().form.typed_form()
        assert (form.customer_name, form.category, form.days_late, form.description) == (
            "张伟",
            "delay",
            "2",
            "两天没到",
        )
        assert kept_kinds(sqlite_console) == []
        assert "草稿1份" not in shown_compact(app)


async def test_discard_empties_the_form_and_escape_goes_back_to_the_call(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("f3")
        await type_text(pilot, "李娜")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("escape")  # back to the call: nothing changed, the call goes on
        await settle(pilot)
        assert app.workspace().form.typed_form().customer_name == "李娜"
        assert app.workspace().call.active
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("d")  # discard: the type is asked next, before the closing
        await settle(pilot)
        assert app.workspace().form.typed_form().customer_name == ""
        assert "这通来电是什么类型" in script(app)
        await pilot.press("6", "ctrl+g", "ctrl+g")  # other; closing; farewell
        await settle(pilot)
        assert rows(sqlite_console, "SELECT contact_type FROM contacts") == [("other",)]
        assert rows(sqlite_console, "SELECT count(*) FROM drafts") == [(0,)]


async def test_saving_from_the_question_registers_it_and_the_closing_follows(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("ctrl+g")
        await type_text(pilot, "13812345678")
        await pilot.press("tab")
        await type_text(pilot, "SF1311234567890")
        await pilot.press("f3")
        await type_text(pilot, "张伟")
        await pilot.press("enter", "4")  # attitude: on to the description
        await type_text(pilot, "快递员态度差")
        await pilot.press("f8")  # the request is still missing
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert widget_text(app, "#error-request") == "必填"  # nothing saved: fix it first
        assert app.screen.focused.id == "request"
        await type_text(pilot, "道歉")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        said = script(app)
        assert "投诉编号是C-20261122-0001" in said and CLOSING in said
        assert rows(sqlite_console, "SELECT category FROM complaints") == [("attitude",)]


async def test_a_form_typed_between_calls_is_kept_and_the_call_starts_empty(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f3")
        await type_text(pilot, "王五")
        await answer(pilot)
        assert app.workspace().form.typed_form().customer_name == ""
        assert "王五" not in shown_compact(app)
        assert len(kept_kinds(sqlite_console)) == 1


@pytest.mark.parametrize("search", ["C-20261122-0011", "13812345678"])
async def test_a_search_made_between_calls_is_not_carried_into_the_next_call(
    sqlite_console: ServiceContext, search: str
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (80, 24)) as (app, pilot):
        await pilot.press("f6")  # between calls: look someone up by reference or phone
        await type_text(pilot, search)
        await pilot.press("enter", "escape")
        await settle(pilot)
        await answer(pilot)
        bench = app.workspace().bench
        assert (bench.call_pane.phone, bench.call_pane.tracking_no) == ("", "")
        assert app.workspace().form.typed_form().phone == ""
        await type_text(pilot, "13987654321")
        assert bench.call_pane.phone == "13987654321"  # (it was "C-20261122-001113987654321")
        assert app.workspace().form.typed_form().phone == "13987654321"


async def test_errors_only_for_fields_typed_in_and_left_and_never_in_the_next_call(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 40)) as (app, pilot):
        await answer(pilot)
        await pilot.press("f3")
        await pilot.press("tab", "tab", "tab", "tab")  # name, phone, parcel, type: passed
        for name in ("customer_name", "phone", "tracking_no", "category"):
            assert widget_text(app, f"#error-{name}") == "", name
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # back to the phone
        await type_text(pilot, "139")
        await pilot.press("tab")  # typed in and left: now it is checked
        assert "电话号码无效" in widget_text(app, "#error-phone")
        assert widget_text(app, "#error-customer_name") == ""
        await pilot.press("ctrl+s")  # on save, every problem
        await settle(pilot)
        assert widget_text(app, "#error-customer_name") == "必填"

        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("6", "ctrl+g", "ctrl+g")
        await settle(pilot)
        await answer(pilot)
        await pilot.press("f3")
        for name in ("customer_name", "phone", "description", "request"):
            assert widget_text(app, f"#error-{name}") == "", name
