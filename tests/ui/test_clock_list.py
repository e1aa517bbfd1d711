"""My clocks: live states as the clock moves, keys, customer text shown literally, snapshots."""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime, timedelta

import pytest
from textual.app import App, ComposeResult

from cs_console.config.policy_file import default_policy
from cs_console.domain.clocks import Clock
from cs_console.domain.enums import ClockKind
from cs_console.i18n import set_language
from cs_console.services.complaint_progress import mark_verified
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.worklists import ClockRow, my_clocks
from cs_console.ui.widgets.clock_list import ClockList, short_reference
from tests.conftest import START, FakeClock, add_person
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form
from tests.ui.support import people, ready, settle, signed_in_app, until


class ClockApp(App[None]):
    """A tiny host: my clocks for one agent, reloaded on demand, Opened messages kept."""

    def __init__(self, cs: ServiceContext, actor: Actor) -> None:
        super().__init__()
        self.cs, self.actor = cs, actor
        self.opened: list[int] = []

    def compose(self) -> ComposeResult:
        yield ClockList(id="clocks")

    def on_mount(self) -> None:
        clocks = self.query_one(ClockList)
        clocks.clock, clocks.zone, clocks.policy = (
            self.cs.clock,
            self.cs.zone,
            self.cs.policy.clocks,
        )
        self.reload()
        clocks.focus()

    def reload(self) -> None:
        self.query_one(ClockList).set_rows(my_clocks(self.cs, self.actor))

    def on_clock_list_opened(self, message: ClockList.Opened) -> None:
        self.opened.append(message.complaint_id)


def screen_lines(app: App) -> list[str]:
    """What the terminal shows, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def repaint(pilot, widget: ClockList) -> list[str]:  # type: ignore[no-untyped-def]
    widget.refresh()
    await pilot.pause()
    return screen_lines(pilot.app)


async def test_a_clock_turns_amber_red_breached_then_done(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    registered = register_complaint(sqlite_console, agent, distinct_form(1))
    ref = registered.reference
    app = ClockApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        widget = app.query_one(ClockList)
        lines = await repaint(pilot, widget)
        assert lines[0].startswith(f"● {ref} 一般 核实")
        assert "01:00:00" in lines[0]
        assert "张*" in lines[0]

        clock.advance(minutes=50)  # 10 of 60 minutes left: the last 20 %
        lines = await repaint(pilot, widget)
        assert lines[0].startswith(f"▲ {ref}") and "00:10:00" in lines[0]

        clock.advance(minutes=8)  # 2 minutes left: the last 5 %
        lines = await repaint(pilot, widget)
        assert lines[0].startswith(f"■ {ref}") and "00:02:00" in lines[0]

        clock.advance(minutes=3)  # one minute past due
        lines = await repaint(pilot, widget)
        assert lines[0].startswith(f"✕ {ref}") and "-00:01:00" in lines[0]

        mark_verified(sqlite_console, agent, registered.id)
        app.reload()
        lines = await repaint(pilot, widget)
        # The verify clock is done; the resolve clock (24 h from registration) leads now.
        assert lines[0].startswith(f"● {ref} 一般 处理") and "22:59:00" in lines[0]

        # A row whose leading clock is done shows ✓ (the complaint screen lists done clocks).
        done = Clock(ClockKind.VERIFY, START, START + timedelta(hours=1), clock.now)
        row = app.query_one(ClockList).rows[0]
        widget.set_rows(
            [ClockRow(row.complaint_id, ref, "general", "delay", "verified", "张*", (done,))]
        )
        lines = await repaint(pilot, widget)
        assert lines[0].startswith(f"✓ {ref} 一般 核实") and "已完成" in lines[0]


async def test_the_tick_repaints_from_the_stored_due_time(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    register_complaint(sqlite_console, agent, distinct_form(1))
    app = ClockApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "01:00:00" in screen_lines(app)[0]
        clock.advance(minutes=59, seconds=30)  # jumps, as a late timer would: no counting down
        # The once-a-second tick, not a refresh by the test:
        await until(pilot, lambda: "00:00:30" in screen_lines(app)[0], 1.2)
        assert screen_lines(app)[0].startswith("■") and "00:00:30" in screen_lines(app)[0]


async def test_keys_move_the_cursor_and_enter_opens(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    ids = []
    for i in range(40):
        ids.append(register_complaint(sqlite_console, agent, distinct_form(i)).id)
        clock.advance(minutes=1)
    app = ClockApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        widget = app.query_one(ClockList)
        order = [row.complaint_id for row in widget.rows]
        assert sorted(order) == sorted(ids) and order[0] == ids[0]  # oldest is most urgent
        await pilot.press("enter")
        await pilot.press("down", "down", "enter")
        await pilot.press("end", "enter")
        await pilot.press("home", "pagedown", "enter")
        await pilot.press("pageup", "up", "enter")
        await pilot.pause()
        page = widget.scrollable_content_region.height - 1
        assert app.opened == [order[0], order[2], order[-1], order[page], order[0]]
        await pilot.press("end")
        await pilot.pause()
        assert widget.scroll_offset.y > 0  # the cursor stays on screen
        assert any(line.startswith(("●", "▲")) for line in screen_lines(app))

        # A reload keeps the cursor on the same complaint.
        await pilot.press("up", "up")
        chosen = widget.current_complaint_id
        app.reload()
        assert widget.current_complaint_id == chosen


async def test_empty_list_says_so(sqlite_console: ServiceContext) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    app = ClockApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert screen_lines(app)[0].startswith("暂无未结投诉")
        assert app.opened == []


async def test_customer_text_is_shown_literally(sqlite_console: ServiceContext) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    for i, text in enumerate(FEW_INJECTIONS):
        register_complaint(sqlite_console, agent, distinct_form(i, customer_name=f"x {text}"))
    app = ClockApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        await pilot.pause()
        lines = [line.rstrip() for line in screen_lines(app)]
        # Names are masked (first character of each word), and that must stay plain text.
        for masked in ("x [***", "x [" + "*" * 20, "x [*****"):
            assert any(line.endswith(masked) for line in lines), masked
        shown = "\n".join(lines)
        assert "\x1b" not in shown and "\x07" not in shown and "aGk=" not in shown
        assert app.is_running  # no MarkupError, no click action ran


def test_short_references_for_narrow_panes() -> None:
    assert short_reference("C-20261122-0042") == "1122-0042"
    assert short_reference("C-20261122-0042", tiny=True) == "0042"
    assert short_reference("OLD-7") == "OLD-7"


# -- snapshots --------------------------------------------------------------------------------

FROZEN = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def _row(
    n: int, severity: str, kind: ClockKind, hours: float, left: timedelta, done: bool
) -> ClockRow:
    due = FROZEN + left
    start = due - timedelta(hours=hours)
    clock = Clock(kind, start, due, FROZEN - timedelta(minutes=5) if done else None)
    return ClockRow(n, f"C-20261122-{n:04d}", severity, "delay", "registered", "王*", (clock,))


SNAPSHOT_ROWS = [
    _row(17, "general", ClockKind.FOLLOWUP, 24, -timedelta(hours=1, minutes=3, seconds=10), False),
    _row(52, "major", ClockKind.VERIFY, 6, timedelta(minutes=4, seconds=12), False),
    _row(42, "major", ClockKind.VERIFY, 6, timedelta(minutes=40, seconds=31), False),
    _row(39, "general", ClockKind.RESOLVE, 24, timedelta(hours=5, minutes=40, seconds=2), False),
    _row(44, "major", ClockKind.SECOND_FOLLOWUP, 12, timedelta(hours=8), False),
    _row(45, "general", ClockKind.VERIFY, 1, timedelta(minutes=20), True),
]


class SnapshotApp(App[None]):
    CSS = "ClockList { border: round $primary; }"

    def compose(self) -> ComposeResult:
        yield ClockList()

    def on_mount(self) -> None:
        clocks = self.query_one(ClockList)
        clocks.border_title = "我的时限"
        clocks.clock = lambda: FROZEN
        clocks.policy = default_policy().clocks
        clocks.set_rows(SNAPSHOT_ROWS)
        clocks.focus()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_one_clock_in_each_state(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    set_language("zh-CN")
    assert snap_compare(SnapshotApp(), terminal_size=size, press=["down"])


async def test_signing_in_takes_the_console_s_heap_out_of_full_collections(
    sqlite_console: ServiceContext,
) -> None:
    """The tick's p95 was a full garbage collection walking every object of the console
    (60 ms in one tick of 3): once signed in, what was built is frozen and not walked."""
    people(sqlite_console)
    gc.unfreeze()
    app = signed_in_app(sqlite_console)
    async with app.run_test() as pilot:
        await ready(pilot)
        await settle(pilot)
        walked, frozen = len(gc.get_objects()), gc.get_freeze_count()
        assert frozen > 4 * walked  # what a full collection still walks is the small part
        started = time.process_time()
        gc.collect()
        assert time.process_time() - started < 0.02  # the tick's budget, a collection included
