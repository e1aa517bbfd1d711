"""Screen pop: a ring from the softphone hook opens a call with the caller's history."""

from __future__ import annotations

import asyncio

from cs_console.config.ring_socket import send_ring, socket_path
from cs_console.services.context import ServiceContext
from tests.ui.support import a_complaint, debounced, people, settle, shown, workspace


async def _ring(phone: str) -> dict:
    # The hook is another process: its blocking socket call must not hold the app's loop.
    return await asyncio.to_thread(send_ring, phone)


async def _until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        if condition():
            return
        await settle(pilot, 0.05)
    raise AssertionError("not shown in time")


async def test_a_ring_opens_a_call_with_the_callers_history(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console, phone="13712345678")
    async with workspace(sqlite_console) as (app, pilot):
        await _until(pilot, socket_path("wangfang").exists)
        reply = await _ring("+8613712345678")
        assert reply == {"user": "wangfang", "status": "opened"}
        await _until(pilot, lambda: reference in shown(app))
        screen = app.workspace()
        assert screen.call.active
        assert screen.call_pane.phone == "13712345678"
        assert "赵* 137****5678" in shown(app)  # the history, masked as lists are

        # A second ring during the call never replaces it: it waits for F2.
        reply = await _ring("+8613912345678")
        assert reply["status"] == "queued"
        await settle(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert "139****5678 来电等待中：结束当前通话后按 F2 接听" in notices
        assert screen.call_pane.phone == "13712345678"
        await pilot.press("f8", "f8")
        await settle(pilot)
        assert screen.call.active  # ending needs the call's type first
        await pilot.press("1", "f8", "f8")  # an enquiry; end now
        await settle(pilot)
        assert not screen.call.active
        await pilot.press("f2")  # take the waiting call: its phone is typed in
        await debounced(pilot)
        assert screen.call.active and screen.call_pane.phone == "13912345678"
    assert not socket_path("wangfang").exists()  # the console closed: no one to ring
