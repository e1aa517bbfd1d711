"""Wrong and hostile input: plain-word messages by the fields, nothing saved, no crash."""

from __future__ import annotations

from textual import events

from cs_console.domain.text import clean_text
from cs_console.services.context import ServiceContext
from cs_console.storage.customers import open_name
from tests.conftest import TEST_DATA_KEY
from tests.injections import INJECTIONS
from tests.ui.screen_text import compact, widget_text
from tests.ui.support import (
    answer,
    fill_in,
    people,
    rows,
    settle,
    shown,
    type_text,
    workspace,
)


async def paste(pilot, text: str, into: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Paste into a field (or the focused one), as a terminal's bracketed paste does."""
    if into is not None:
        pilot.app.screen.query_one(into).focus()
        await pilot.pause()
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


def error_of(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return widget_text(app, f"#error-{name}")


async def test_wrong_values_are_named_by_their_fields_and_nothing_is_saved(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 40)) as (app, pilot):
        await pilot.press("f3")
        await pilot.press("tab")  # past the name, left empty
        await type_text(pilot, "1380000")
        assert error_of(app, "phone") == ""  # not while typing
        await pilot.press("tab")
        assert error_of(app, "phone") == compact("电话号码无效：手机 11 位，国际号码请加 +国家码")
        assert error_of(app, "customer_name") == ""  # passed through, never typed in
        await type_text(pilot, "SF12")
        await pilot.press("tab", "1")  # the type's digit goes on to days late
        assert "快递单号无效" in error_of(app, "tracking_no")
        await type_text(pilot, "10000")
        await pilot.press("tab")
        assert error_of(app, "days_late") == "天数超出合理范围，请核对"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app, "description") == "必填"
        assert error_of(app, "request") == "必填"
        assert error_of(app, "customer_name") == "必填"  # on save, every empty field
        assert app.screen.focused.id == "customer_name"  # the first wrong field

        # A loss with a negative value, and a description far past the limit.
        await pilot.press("tab", "tab", "tab")  # from the name to the category
        assert app.screen.focused.id == "category"
        await pilot.press("2")  # on to the declared value
        await type_text(pilot, "-5")
        await pilot.press("tab")
        assert error_of(app, "declared_value") == "不能为负数"
        assert error_of(app, "days_late") == ""  # hidden for a loss, and not checked
        await paste(pilot, "长" * 10_000, into="#description")
        await pilot.press("tab")
        assert error_of(app, "description") == "内容过长，请精简"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(sqlite_console, "SELECT count(*) FROM complaints") == [(0,)]
        assert rows(sqlite_console, "SELECT count(*) FROM customers") == [(0,)]
        assert "Traceback" not in shown(app)


async def test_injection_strings_show_literally_and_are_stored_as_typed(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    hostile = " ".join(INJECTIONS)
    visible = clean_text(hostile)  # escapes removed whole, brackets and codes kept
    async with workspace(sqlite_console, (160, 50)) as (app, pilot):
        await answer(pilot)
        await paste(pilot, hostile, into="#call-notes")
        await pilot.press("f3")
        await paste(pilot, "张" + hostile)
        await pilot.press("tab")
        await fill_in(pilot, "13812345678", "SF1311234567890")
        await pilot.press("tab", "4")  # attitude: on to the description
        await paste(pilot, hostile)
        await pilot.press("tab")
        await paste(pilot, hostile)
        await settle(pilot)
        for field in ("#description", "#request", "#call-notes"):
            assert compact(visible) in widget_text(app, field), field
        name_field = app.screen.query_one("#customer_name")
        assert name_field.value == "张" + visible  # one line: it scrolls, so read the value
        assert "张[[/][/b][TODO][boldred]x" in widget_text(app, "#customer_name")
        assert "\x1b" not in shown(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        ((name, description, request),) = rows(
            sqlite_console,
            "SELECT cu.name, c.description, c.request FROM complaints c"
            " JOIN customers cu ON cu.id = c.customer_id",
        )
        assert description == request == visible.strip()
        assert open_name(name, TEST_DATA_KEY) == ("张" + visible).strip()  # stored sealed
        # The new complaint is in my clocks, its masked name shown as text.
        assert "C-20261122-0001" in compact(shown(app))
        await pilot.press("f8", "f8")
        await settle(pilot)
        ((notes,),) = rows(sqlite_console, "SELECT notes FROM contacts")
        assert notes == visible
        assert app.is_running
