"""The callback queue: outcomes chosen with keys, recorded by the parent through the service."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App, ComposeResult

from cs_console.domain.enums import AttemptOutcome, CallbackKind, CompensationKind
from cs_console.services.callbacks import promise_reply, record_attempt
from cs_console.services.complaints import record_resolution, register_complaint
from cs_console.services.context import Actor, Console
from cs_console.services.worklists import callback_queue, complaint_view
from cs_console.ui.widgets.callback_queue import CallbackQueue
from tests.conftest import FakeClock, add_person
from tests.services.helpers import distinct_form


class QueueApp(App[None]):
    """A tiny host doing what the workspace does: record the attempt, reload the queue."""

    def __init__(self, cs: Console, actor: Actor) -> None:
        super().__init__()
        self.cs, self.actor = cs, actor
        self.chosen: list[CallbackQueue.AttemptChosen] = []

    def compose(self) -> ComposeResult:
        yield CallbackQueue(id="queue")

    def on_mount(self) -> None:
        queue = self.query_one(CallbackQueue)
        queue.clock, queue.zone = self.cs.clock, self.cs.zone
        self.reload()
        queue.focus()

    def reload(self) -> None:
        self.query_one(CallbackQueue).set_rows(callback_queue(self.cs, self.actor))

    def on_callback_queue_attempt_chosen(self, message: CallbackQueue.AttemptChosen) -> None:
        self.chosen.append(message)
        record_attempt(
            self.cs,
            self.actor,
            message.callback_id,
            message.outcome,
            satisfaction=message.satisfaction,
        )
        self.reload()


def screen_lines(app: App) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def resolved_complaint(cs: Console, agent: Actor, i: int = 1) -> int:
    """A complaint whose resolution the customer accepted: a follow-up is due in 24 h."""
    complaint = register_complaint(cs, agent, distinct_form(i))
    record_resolution(
        cs, agent, complaint.id, kind=CompensationKind.COUPON, amount_fen=1000, accepted=True
    )
    return complaint.id


async def test_unsatisfied_follow_up_reopens_with_a_second_follow_up(
    sqlite_console: Console, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    complaint_id = resolved_complaint(sqlite_console, agent)
    clock.advance(hours=20)
    app = QueueApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        queue = app.query_one(CallbackQueue)
        [row] = queue.rows
        assert row.kind == CallbackKind.FOLLOWUP.value
        await pilot.pause()
        first = screen_lines(app)[0]
        assert first.startswith("14:00 回访")  # due 24 h after 14:00 Shanghai
        assert "04:00:00" in first and "已拨0次" in first

        await pilot.press("r")
        await pilot.pause()
        assert "满意度 1-5?" in screen_lines(app)[1]
        assert app.chosen == []  # nothing recorded until the score is given

        await pilot.press("2")
        await pilot.pause()
        [chosen] = app.chosen
        assert (chosen.callback_id, chosen.outcome, chosen.satisfaction) == (
            row.callback_id,
            AttemptOutcome.REACHED,
            2,
        )
        view = complaint_view(sqlite_console, agent, complaint_id)
        assert view.status == "verified" and view.satisfaction == 2
        [second] = queue.rows
        assert second.kind == CallbackKind.SECOND_FOLLOWUP.value
        assert second.due_at == clock.now + timedelta(hours=12)
        lines = screen_lines(app)
        assert lines[0].startswith("22:00 二次回访") and "12:00:00" in lines[0]
        assert not any("满意度 1-5?" in line for line in lines)


async def test_no_answer_is_retried_per_policy(sqlite_console: Console, clock: FakeClock) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    resolved_complaint(sqlite_console, agent)
    clock.advance(hours=25)  # an hour overdue
    app = QueueApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "-01:00:00" in screen_lines(app)[0]
        await pilot.press("n")
        await pilot.pause()
        [row] = app.query_one(CallbackQueue).rows
        retry = sqlite_console.policy.callbacks.retry_after
        assert row.due_at == clock.now + retry and row.attempts == 1
        line = screen_lines(app)[0]
        assert "00:30:00" in line and "已拨1次" in line
        assert app.chosen[0].outcome is AttemptOutcome.NO_ANSWER


async def test_reached_reply_promise_completes_at_once(
    sqlite_console: Console, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    promise_reply(sqlite_console, agent, phone="13900000001", name="李娜")
    promise_reply(sqlite_console, agent, phone="13900000002", name="赵磊")
    app = QueueApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].startswith("15:00 1小时回复 李*") and "01:00:00" in lines[0]
        await pilot.press("down", "w")  # wrong number: given up, leaves the queue
        await pilot.press("r")
        await pilot.pause()
        assert [c.outcome for c in app.chosen] == [
            AttemptOutcome.WRONG_NUMBER,
            AttemptOutcome.REACHED,
        ]
        assert app.chosen[1].satisfaction is None
        assert app.query_one(CallbackQueue).rows == []
        assert screen_lines(app)[0].startswith("暂无待回拨")


async def test_escape_cancels_the_satisfaction_question(
    sqlite_console: Console, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    resolved_complaint(sqlite_console, agent)
    app = QueueApp(sqlite_console, agent)
    async with app.run_test() as pilot:
        queue = app.query_one(CallbackQueue)
        await pilot.press("r")
        assert queue.asking == queue.rows[0].callback_id
        await pilot.press("n")  # other outcomes wait until the question is answered
        await pilot.press("escape")
        await pilot.pause()
        assert queue.asking is None and app.chosen == []
        assert not any("满意度" in line for line in screen_lines(app))
        await pilot.press("3")  # a digit without a question does nothing
        assert app.chosen == []


async def test_customer_text_is_shown_literally(sqlite_console: Console) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    for i, name in enumerate(("[/b] x", "[@click=app.quit]x[/] y", "\x1b]52;c;aGk=\x07z")):
        promise_reply(sqlite_console, agent, phone=f"1390000000{i}", name=name)
    app = QueueApp(sqlite_console, agent)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "[*** x" in shown and "[*******" in shown  # masked, never markup
        assert "\x1b" not in shown and "aGk=" not in shown
        assert app.is_running
