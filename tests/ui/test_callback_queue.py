"""The callback queue widget: its lines at any width, its keys, customer text as data.

The outcomes themselves, through the workspace and the services, are in
test_workspace_callbacks.py.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from cs_console.domain.enums import AttemptOutcome
from cs_console.services.callbacks import promise_reply
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.worklists import callback_queue
from cs_console.ui.widgets.callback_queue import CallbackQueue
from tests.conftest import FakeClock, add_person


class QueueApp(App[None]):
    """A tiny host: the queue, and what it posted."""

    def __init__(self, cs: ServiceContext, actor: Actor) -> None:
        super().__init__()
        self.cs, self.actor = cs, actor
        self.posted: list[object] = []

    def compose(self) -> ComposeResult:
        yield CallbackQueue(id="queue")

    def on_mount(self) -> None:
        queue = self.query_one(CallbackQueue)
        queue.clock, queue.zone = self.cs.clock, self.cs.zone
        queue.set_rows(callback_queue(self.cs, self.actor))
        queue.focus()

    def on_callback_queue_attempt_chosen(self, message: CallbackQueue.AttemptChosen) -> None:
        self.posted.append(message)

    def on_callback_queue_reveal_asked(self, message: CallbackQueue.RevealAsked) -> None:
        self.posted.append(message)

    def on_callback_queue_undo_chosen(self, message: CallbackQueue.UndoChosen) -> None:
        self.posted.append(message)


def screen_lines(app: App) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def three_promises(cs: ServiceContext) -> Actor:
    agent = add_person(cs, "wangfang", agent_no="1024")
    promise_reply(cs, agent, phone="13900000001", name="李娜", note="理赔进度")
    promise_reply(cs, agent, phone="13900000002", name="欧阳娜娜")
    promise_reply(cs, agent, phone="13900000003", name="赵磊")
    return agent


async def test_parts_wrap_whole_at_any_width(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = three_promises(sqlite_console)
    parts = ("15:00 1小时回复", "01:00:00", "李* 139****0001", "理赔进度", "欧*** 139****0002")
    for width, lines_per_row in ((60, 1), (34, 2), (22, 0)):
        app = QueueApp(sqlite_console, agent)
        async with app.run_test(size=(width, 12)) as pilot:
            await pilot.pause()
            lines = screen_lines(app)
            for part in parts:  # each whole on one line: never cut at the edge
                assert any(part in line for line in lines), (width, part, lines)
            assert all(cell_len(line) <= width for line in lines)
            if lines_per_row:  # (narrower: as many lines as the parts need)
                assert len(app.query_one(CallbackQueue)._layout) == 3 * lines_per_row
                assert lines[lines_per_row].startswith("15:00")  # the next callback


async def test_the_cursor_moves_by_callback_and_keeps_it_in_view(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = three_promises(sqlite_console)
    app = QueueApp(sqlite_console, agent)
    async with app.run_test(size=(34, 4)) as pilot:  # room for one callback and a bit
        queue = app.query_one(CallbackQueue)
        await pilot.press("down", "down")
        await pilot.pause()
        assert queue.cursor == 2
        assert "赵*" in "\n".join(screen_lines(app))  # scrolled to the third callback
        await pilot.press("r")
        await pilot.press("p")
        await pilot.pause()
        reached, reveal = app.posted
        assert isinstance(reached, CallbackQueue.AttemptChosen)
        assert (reached.callback_id, reached.outcome) == (
            queue.rows[2].callback_id,
            AttemptOutcome.REACHED,
        )
        assert isinstance(reveal, CallbackQueue.RevealAsked)
        queue.show_revealed(queue.rows[2].callback_id, "13900000003")
        await pilot.pause()
        assert "13900000003" in "\n".join(screen_lines(app))
        await pilot.press("p")  # shown already: not asked again
        await pilot.press("u")  # nothing to undo
        await pilot.pause()
        assert len(app.posted) == 2


async def test_customer_text_is_shown_literally(sqlite_console: ServiceContext) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    for i, name in enumerate(("[/b] x", "[@click=app.quit]x[/] y", "\x1b]52;c;aGk=\x07z")):
        promise_reply(sqlite_console, agent, phone=f"1390000000{i}", name=name, note=name)
    app = QueueApp(sqlite_console, agent)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "[*** x" in shown and "[*******" in shown  # masked, never markup
        assert "[@click=app.quit]x[/] y" in shown  # what was promised, as typed
        assert "\x1b" not in shown and "aGk=" not in shown
        assert app.is_running


async def test_a_long_note_is_shortened_on_its_own_line(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    note = "客户要求下班前回电说明理赔进度并确认赔偿金额和到账时间" * 3
    promise_reply(sqlite_console, agent, phone="13900000001", name="李娜", note=note)
    app = QueueApp(sqlite_console, agent)
    async with app.run_test(size=(34, 8)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[2].startswith("  客户要求下班前回电") and lines[2].endswith("...")
        assert all(cell_len(line) <= 34 for line in lines)
