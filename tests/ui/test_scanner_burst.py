"""A barcode scanner's burst (a number, then Tab or Enter, in a few milliseconds) lands in the
field it was aimed at, and the next keys in the next field.

The keys are posted to the app all at once, as the terminal driver posts a chunk it read:
``Pilot.press`` waits for the app to be idle after every key, which hides the problem.
"""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

from cs_console.services.context import ServiceContext
from tests.ui.support import answer, people, settle, workspace

TRACKING = "SF1311234567890"
KEYS = {"\t": "tab", "\r": "enter"}


def burst(app, text: str) -> None:  # type: ignore[no-untyped-def]
    """Every character of ``text`` as a key, in one batch (no waiting between them)."""
    for character in text:
        key = KEYS.get(character) or _character_to_key(character)
        app.post_message(events.Key(key, character))


async def test_a_burst_with_tabs_fills_each_field_in_turn(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f3")
        assert app.focused.id == "customer_name"
        burst(app, f"张伟\t13812345678\t{TRACKING}\t")
        await settle(pilot)
        form = app.workspace().form.typed_form()
        assert (form.customer_name, form.phone, form.tracking_no) == (
            "张伟",
            "13812345678",
            TRACKING,
        )
        assert app.focused.id == "category"  # the last Tab moved on


async def test_a_burst_with_enter_moves_on_before_the_next_keys(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f3")
        burst(app, f"张伟\r13812345678\r{TRACKING}\r")
        await settle(pilot)
        form = app.workspace().form.typed_form()
        assert (form.customer_name, form.phone, form.tracking_no) == (
            "张伟",
            "13812345678",
            TRACKING,
        )
        assert app.focused.id == "category"


async def test_a_scanned_number_in_the_call_pane_moves_on(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        assert app.focused.id == "call-phone"
        burst(app, f"13812345678\t{TRACKING}\t")
        await settle(pilot)
        pane = app.workspace().call_pane
        assert (pane.phone, pane.tracking_no) == ("13812345678", TRACKING)
        assert app.focused.id != "call-tracking_no"
