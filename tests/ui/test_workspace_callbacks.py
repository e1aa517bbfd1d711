"""Working the callback queue on the workspace (F4): who, why, when; outcomes and their undo."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from textual.app import App
from textual.pilot import Pilot

from cs_console.domain.enums import CompensationKind
from cs_console.i18n import set_language
from cs_console.services.callbacks import promise_reply
from cs_console.services.complaint_progress import record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.services.worklists import complaint_view
from cs_console.ui.screens.callback_dialogs import ReachedDialog, WrongNumberDialog
from cs_console.ui.screens.complaint_text import history
from cs_console.ui.screens.reveal_dialog import RevealDialog
from cs_console.ui.widgets.callback_queue import CallbackQueue
from tests.conftest import FakeClock
from tests.services.helpers import distinct_form
from tests.services.outage import ServerGate
from tests.ui.screen_text import compact
from tests.ui.support import people, rows, settle, the_agent, type_text, workspace


def toasts(app: App) -> list[str]:
    """The notifications shown so far, spaces removed."""
    return [compact(str(n.message)) for n in app._notifications]


def queue_lines(app: App) -> list[str]:
    """The callback queue's lines as on screen (inside its border)."""
    queue = app.screen.query_one(CallbackQueue)
    region = queue.content_region
    strips = app.screen._compositor.render_strips()
    return [strip.crop(region.x, region.right).text for strip in strips[region.y : region.bottom]]


def followup_for(console: ServiceContext, i: int = 1) -> int:
    """A complaint whose resolution the customer accepted: its follow-up is due in 24 h."""
    agent = the_agent(console)
    complaint = register_complaint(console, agent, distinct_form(i))
    record_resolution(
        console, agent, complaint.id, kind=CompensationKind.COUPON, amount_fen=1000, accepted=True
    )
    return complaint.id


def history_text(console: ServiceContext, complaint_id: int) -> str:
    """The complaint's history as its screen words it."""
    view = complaint_view(console, the_agent(console), complaint_id)
    return history(view, console).plain


async def open_queue(app: App, pilot: Pilot) -> CallbackQueue:
    await pilot.press("f4")
    await settle(pilot)
    queue = app.screen.query_one(CallbackQueue)
    assert app.screen.focused is queue
    return queue


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
async def test_each_row_says_who_to_call_why_and_when(
    sqlite_console: ServiceContext, clock: FakeClock, lang: str, size: tuple[int, int]
) -> None:
    set_language(lang)
    people(sqlite_console)
    agent = the_agent(sqlite_console)
    followup_for(sqlite_console)  # due tomorrow 14:00 (Shanghai)
    reference = rows(sqlite_console, "SELECT reference FROM complaints")[0][0]
    clock.advance(hours=1)
    promise_reply(sqlite_console, agent, phone="13700000009", name="欧阳娜娜", note="查理赔进度")
    async with workspace(sqlite_console, size) as (app, pilot):
        await open_queue(app, pilot)
        await pilot.press("n")  # tried once: the tries show, whole
        await settle(pilot)
        app.clear_notifications()  # the toast would cover the list
        await settle(pilot)
        lines = queue_lines(app)
        text = "\n".join(lines)
        kind = "1小时回复" if lang == "zh-CN" else "1-hour reply"
        tries = "已拨1次" if lang == "zh-CN" else "tries: 1"
        followup = "回访" if lang == "zh-CN" else "follow-up"
        category = "延误" if lang == "zh-CN" else "Delay"
        # each part of a row is on one line, whole: nothing is cut at the edge
        for part in ("15:30", kind, "欧***", "137****0009", tries, "查理赔进度"):
            assert any(part in line for line in lines), (part, text)
        for part in ("11-23 14:00", followup, "139****0001", reference):
            assert any(part in line for line in lines), (part, text)
        assert any(category in line and reference in line for line in lines)
        assert all(not line.rstrip().endswith(("已", "已拨")) for line in lines)
    set_language("zh-CN")


async def test_p_reveals_the_number_for_dialling_and_records_why(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    async with workspace(sqlite_console) as (app, pilot):
        await open_queue(app, pilot)
        assert "135****5678" in "".join(queue_lines(app))
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, RevealDialog)
        await type_text(pilot, "回拨客户")
        await pilot.press("enter")
        await settle(pilot)
        assert "13512345678" in "".join(queue_lines(app))
        await pilot.press("n")  # the call is made: the number is masked again
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        assert "135****5678" in "".join(queue_lines(app))
        assert "13512345678" not in "".join(queue_lines(app))
        [(action, target, detail)] = rows(
            sqlite_console, "SELECT action, target, detail FROM audit_log WHERE action = 'reveal'"
        )
        callback_id = rows(sqlite_console, "SELECT id FROM callbacks")[0][0]
        assert (action, target) == ("reveal", f"callback:{callback_id}")
        assert json.loads(detail)["reason"] == "回拨客户"


async def test_no_answer_again_before_the_retry_is_due_records_nothing(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    clock.advance(hours=1)  # 15:00 Shanghai
    async with workspace(sqlite_console) as (app, pilot):
        await open_queue(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert "无人接听，已记录；请于15:30再拨（第1/3次）" in toasts(app)[-1]
        clock.advance(minutes=10)
        await pilot.press("n")
        await settle(pilot)
        assert "刚拨过无人接听，未再记录；请于15:30再拨" in toasts(app)[-1]
        assert rows(sqlite_console, "SELECT status, attempts FROM callbacks") == [("pending", 1)]
        assert rows(sqlite_console, "SELECT count(*) FROM callback_attempts") == [(1,)]


async def test_a_wrong_number_asks_for_the_right_one_and_goes_on_with_it(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    async with workspace(sqlite_console) as (app, pilot):
        await open_queue(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WrongNumberDialog)
        await type_text(pilot, "13600001111")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, WrongNumberDialog)
        assert "号码已更正为136****1111，请现在拨打新号码" in toasts(app)[-1]
        [(status, attempts, phone)] = rows(
            sqlite_console, "SELECT status, attempts, phone FROM callbacks"
        )
        assert (status, attempts) == ("pending", 1) and phone and "1111" not in phone
        assert "136****1111" in "".join(queue_lines(app))  # the number now dialled
        await pilot.press("n")  # the new number is due at once: no answer is recorded
        await settle(pilot)
        assert rows(sqlite_console, "SELECT attempts FROM callbacks") == [(2,)]


async def test_a_wrong_number_without_another_closes_with_a_reason_and_stops_the_clock(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    complaint_id = followup_for(sqlite_console)
    clock.advance(hours=3)
    async with workspace(sqlite_console) as (app, pilot):
        await open_queue(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")  # no number: on to the reason
        await pilot.press("enter")  # no reason either: asked for one
        await settle(pilot)
        assert isinstance(app.screen, WrongNumberDialog)
        assert "请填写正确号码，或填写关闭回拨的原因" in compact(
            str(app.screen.query_one("#reason-error").render())
        )
        assert rows(sqlite_console, "SELECT count(*) FROM callback_attempts") == [(0,)]
        await type_text(pilot, "空号，无其他联系方式")
        await pilot.press("enter")
        await settle(pilot)
        assert "号码错误，回拨已关闭，时限已停止" in toasts(app)[-1]
        assert rows(sqlite_console, "SELECT status FROM callbacks") == [("gave_up",)]
        [(done,)] = rows(
            sqlite_console,
            "SELECT followup_done_at FROM complaints WHERE id = :id",
            id=complaint_id,
        )
        assert done is not None
        assert rows(sqlite_console, "SELECT note FROM callback_attempts") == [
            ("空号，无其他联系方式",)
        ]
        told = history_text(sqlite_console, complaint_id)
        assert "回拨号码错误  空号，无其他联系方式" in told
        assert app.screen.query_one(CallbackQueue).rows == []


async def test_reached_offers_a_line_of_what_was_said(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    async with workspace(sqlite_console) as (app, pilot):
        await open_queue(app, pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReachedDialog)
        assert not app.screen.query("#score")  # no score for a reply promise
        await type_text(pilot, "已告知理赔进度")
        await pilot.press("enter")
        await settle(pilot)
        assert "已接通，回拨完成" in toasts(app)[-1]
        assert rows(sqlite_console, "SELECT status FROM callbacks") == [("done",)]
        assert rows(sqlite_console, "SELECT note FROM callback_attempts") == [("已告知理赔进度",)]
        assert rows(sqlite_console, "SELECT notes FROM contacts") == [("已告知理赔进度",)]


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("zh-CN", "客户不满意（2分），投诉已重新打开；二次回访12小时内到期"),
        ("en", "Unsatisfied(2):reopened;secondfollow-upduein12h"),
    ],
)
async def test_an_unsatisfied_follow_up_says_what_happened_and_can_be_undone(
    sqlite_console: ServiceContext, clock: FakeClock, lang: str, says: str
) -> None:
    set_language(lang)
    people(sqlite_console)
    complaint_id = followup_for(sqlite_console)
    clock.advance(hours=20)
    async with workspace(sqlite_console) as (app, pilot):
        queue = await open_queue(app, pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")  # no score yet: it is asked for
        await settle(pilot)
        assert isinstance(app.screen, ReachedDialog)
        assert app.screen.query_one("#score-error").has_class("-shown")
        assert rows(sqlite_console, "SELECT count(*) FROM callback_attempts") == [(0,)]
        await pilot.press("2")  # the score, then the words
        await type_text(pilot, "赔偿太少")
        await pilot.press("enter")
        await settle(pilot)
        assert says in toasts(app)[-1]
        assert ("u撤销" if lang == "zh-CN" else "utoundo") in toasts(app)[-1]
        assert rows(sqlite_console, "SELECT status, satisfaction FROM complaints") == [
            ("verified", 2)
        ]
        assert [r.kind for r in queue.rows] == ["second_followup"]

        clock.advance(seconds=10)
        await pilot.press("u")
        await settle(pilot)
        assert rows(
            sqlite_console, "SELECT status, satisfaction, second_followup_due FROM complaints"
        ) == [("resolved", None, None)]
        assert rows(sqlite_console, "SELECT kind, status, attempts FROM callbacks") == [
            ("followup", "pending", 0)
        ]
        [(undone_at,)] = rows(sqlite_console, "SELECT undone_at FROM callback_attempts")
        assert undone_at is not None
        assert rows(
            sqlite_console,
            "SELECT complaint_id FROM events WHERE kind = 'callback_attempt_undone'",
        ) == [(complaint_id,)]
        assert [r.kind for r in queue.rows] == ["followup"]
        undone = "回拨结果已撤销" if lang == "zh-CN" else "callback outcome undone"
        assert undone in history_text(sqlite_console, complaint_id)
    set_language("zh-CN")


async def test_the_undo_key_lasts_only_the_policy_window(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    window = sqlite_console.policy.callbacks.undo_window
    async with workspace(sqlite_console) as (app, pilot):
        queue = await open_queue(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert queue.check_action("undo", ()) is True
        clock.advance(seconds=window.total_seconds() + 1)
        assert not queue.check_action("undo", ())
        await pilot.press("u")
        await settle(pilot)
        assert rows(sqlite_console, "SELECT undone_at FROM callback_attempts") == [(None,)]
        assert rows(sqlite_console, "SELECT attempts FROM callbacks") == [(1,)]
        assert window == timedelta(seconds=30)  # policy.toml's undo_seconds


async def test_an_outcome_during_an_outage_is_journalled_and_its_undo_needs_the_server(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    gate = ServerGate(sqlite_console.engine)
    async with workspace(sqlite_console) as (app, pilot):
        queue = await open_queue(app, pilot)
        await pilot.press("n")  # online: recorded, with its undo
        await settle(pilot)
        assert queue.check_action("undo", ())
        gate.down()
        await pilot.press("u")
        await settle(pilot)
        assert "撤销需要连接服务器，请在服务器恢复后处理" in toasts(app)[-1]
        clock.advance(minutes=30)  # the retry is due
        await pilot.press("w")
        await settle(pilot)
        await type_text(pilot, "13600001111")
        await pilot.press("enter")
        await settle(pilot)
        assert "回拨结果已离线保存，服务器恢复后发送" in toasts(app)[-1]
        assert not queue.check_action("undo", ())  # no undo for what waits in the journal
        assert app.workspace().desk.writes.journal.pending_count() == 1
        gate.up()
    assert rows(sqlite_console, "SELECT attempts, status FROM callbacks") == [(1, "pending")]
    assert rows(sqlite_console, "SELECT undone_at FROM callback_attempts") == [(None,)]
