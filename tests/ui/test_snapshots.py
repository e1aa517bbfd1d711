"""Snapshots of the main screens, deterministic: fake clock, fixed data, no cursor blink.

Update after a deliberate change with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from cs_console.domain.complaint_entry import ComplaintForm
from cs_console.services.callbacks import promise_reply
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.ui.factory import make_app
from tests.conftest import FakeClock
from tests.ui.support import (
    answer,
    attitude_form,
    debounced,
    fill_in,
    people,
    ready,
    settle,
    signed_in_app,
    the_agent,
    type_text,
)

SIZES = [(80, 24), (160, 50)]


def earlier_work(console: ServiceContext, clock: FakeClock) -> None:
    """Two open complaints (one breached) and a callback, made before the snapshot time."""
    from tests.conftest import add_person  # noqa: F401  (people() made the accounts)

    agent = the_agent(console)
    clock.advance(hours=-3)
    register_complaint(console, agent, attitude_form(description="快递员态度差"))
    clock.advance(hours=2, minutes=30)
    register_complaint(
        console,
        agent,
        ComplaintForm(
            customer_name="欧阳娜娜",
            phone="13612345678",
            tracking_no="YT1234567890002",
            category="delay",
            days_late="4",
            description="四天没到",
            request="尽快送达",
        ),
    )
    promise_reply(console, agent, phone="13512345678", name="王小明")
    clock.advance(minutes=30)


def quiet(pilot: Pilot) -> None:
    pilot.app.clear_notifications()


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare, sqlite_console: ServiceContext, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(console=sqlite_console)
    app.cursor_blink = False  # type: ignore[attr-defined]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await type_text(pilot, "wangfang")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_workspace_mid_call(  # type: ignore[no-untyped-def]
    snap_compare, sqlite_console: ServiceContext, clock: FakeClock, size: tuple[int, int]
) -> None:
    people(sqlite_console)
    earlier_work(sqlite_console, clock)
    app = signed_in_app(sqlite_console)

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await answer(pilot)
        clock.advance(seconds=5)
        await pilot.press("ctrl+g")
        await fill_in(pilot, "13812345678", "SF1311234567890")
        await pilot.press("f3")
        await type_text(pilot, "张伟")
        await pilot.press("enter", "1")  # the next empty field; delay: on to days late
        await fill_in(pilot, "3", "三天了还没到，页面一直显示运输中")
        # The caller's look-up (debounced) re-draws the preview: let it answer before the
        # clock moves, or the deadlines shown depend on how fast the machine is.
        await debounced(pilot, 0.6)
        clock.advance(minutes=3, seconds=7)
        pilot.app.workspace().repaint_clocks()  # not at the next once-a-second tick
        await debounced(pilot)
        quiet(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_complaint_form_with_errors(  # type: ignore[no-untyped-def]
    snap_compare, sqlite_console: ServiceContext, size: tuple[int, int]
) -> None:
    people(sqlite_console)
    app = signed_in_app(sqlite_console)

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("f3")
        await fill_in(pilot, "[bold red]张[/]", "1380000", "SF12")
        await pilot.press("tab", "2")  # loss: on to the declared value
        await type_text(pilot, "-5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        quiet(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
