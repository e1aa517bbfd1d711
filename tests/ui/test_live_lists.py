"""Another console's writes show on this workspace within 2 s, without reloading by hand."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from textual.app import App
from textual.pilot import Pilot

from cs_console.services.callbacks import promise_reply
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import make_engine
from tests.ui.support import attitude_form, people, shown, the_agent, widget_text, workspace


async def _seen_within(pilot: Pilot, app: App, widget: str, text: str, seconds: float) -> float:
    """How long until ``text`` shows in ``widget``; fails past ``seconds`` (wall clock)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in widget_text(app, widget):
            return time.monotonic() - start
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} not shown in {widget} within {seconds} s:\n{shown(app)}")


async def test_a_complaint_and_a_callback_from_another_console_show_within_2_s(
    sqlite_console: ServiceContext, sqlite_url: str
) -> None:
    people(sqlite_console)
    other = make_engine(sqlite_url)  # another desk: its own engine, same database file
    elsewhere = ServiceContext(other, sqlite_console.policy, ZoneInfo("Asia/Shanghai"))
    try:
        async with workspace(sqlite_console) as (app, pilot):
            assert "0001" not in widget_text(app, "#my-clocks")  # nothing open yet
            agent = the_agent(elsewhere)  # the same agent, signed in at a second console
            reference = register_complaint(elsewhere, agent, attitude_form()).reference
            await _seen_within(pilot, app, "#my-clocks", reference[-4:], 2.0)
            promise_reply(elsewhere, agent, phone="13912345678", name="钱多多")
            await _seen_within(pilot, app, "#callbacks", "钱**", 2.0)
    finally:
        other.dispose()
