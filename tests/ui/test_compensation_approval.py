"""Compensation above the suggestion on the complaint screen: a reason, "awaiting approval",
and a supervisor's o to approve or reject (never their own proposal)."""

from __future__ import annotations

from textual.widgets import Input

from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.services.worklists import complaint_view
from cs_console.ui.screens.approval_dialog import ApprovalDialog
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.complaint_detail_dialogs import ResolutionDialog
from tests.conftest import FakeClock, add_person
from tests.services.helpers import distinct_form
from tests.ui.support import rows, settle, type_text
from tests.ui.test_complaint_detail import ACCEPTS, DetailApp, screen_text

REASON = "客户第三次延误，经理同意加赔"


async def test_an_agent_offers_9999_on_a_3_day_delay_and_it_waits_for_approval(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    boss = add_person(sqlite_console, "zhaolei", Role.SUPERVISOR, agent_no="9001")
    registered = register_complaint(sqlite_console, agent, distinct_form(1, days_late="3"))
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        # An agent approves up to their limit (¥100): the key is theirs, greyed while
        # nothing waits.
        assert app.screen.check_action("approve", ()) is None
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ResolutionDialog)
        assert "建议补偿：优惠券 ¥15" in screen_text(app)
        amount = dialog.query_one("#resolution-amount", Input)
        amount.value = ""
        await type_text(pilot, "9999")
        await pilot.press("tab", *ACCEPTS, "ctrl+s")  # accepted, but no reason
        await pilot.pause()
        assert app.screen is dialog and "必填" in screen_text(app)
        assert dialog.query_one("#resolution-reason", Input).has_focus
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and "请用几个词写明原因" in screen_text(app)
        dialog.query_one("#resolution-reason", Input).value = ""
        await type_text(pilot, REASON)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert "补偿超出建议，已提交主管审批" in shown
        assert "状态  已登记" in shown and "已商定补偿" not in shown
        assert f"待审批  优惠券 ¥9,999    理由  {REASON}" in shown
        assert "王芳  客户接受超出建议的补偿，待审批  优惠券  ¥9,999  （建议 ¥15）" in shown
        assert "● 处理" in shown  # the resolve clock runs on
    view = complaint_view(sqlite_console, boss, registered.id)
    assert view.status == "registered" and view.approval is not None
    assert view.approval.status == "pending" and view.approval.reason == REASON


async def test_a_supervisor_approves_with_o_and_it_is_agreed(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    from cs_console.domain.enums import CompensationKind
    from cs_console.services.complaint_progress import record_resolution

    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    boss = add_person(
        sqlite_console, "zhaolei", Role.SUPERVISOR, agent_no="9001", display_name="赵雷"
    )
    registered = register_complaint(sqlite_console, agent, distinct_form(1, days_late="3"))
    record_resolution(
        sqlite_console,
        agent,
        registered.id,
        kind=CompensationKind.COUPON,
        amount_fen=999_900,
        accepted=True,
        reason=REASON,
    )
    clock.advance(minutes=30)
    app = DetailApp(sqlite_console, boss, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "待审批" in screen_text(app) and "o 审批补偿" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ApprovalDialog)
        text = screen_text(app)
        assert "优惠券 ¥9,999  （建议 优惠券 ¥15）" in text and REASON in text
        box = dialog.query_one("#approval-form").region  # centred like every dialog,
        assert box.y > 0 and abs(box.x - (120 - box.right)) <= 1  # not over the header
        assert abs(box.y - (50 - box.bottom)) <= 1
        await pilot.press("ctrl+s")  # nothing chosen: no default, said so
        await pilot.pause()
        assert app.screen is dialog and "请选择批准或不批准" in screen_text(app)
        await pilot.press(*ACCEPTS, "tab")  # the first answer: approve
        await type_text(pilot, "老客户")
        await pilot.press("enter")  # Enter moves on, never decides
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        shown = screen_text(app)
        assert "已批准补偿，投诉已解决，已安排回访" in shown
        assert "状态  已解决" in shown and "已商定补偿  优惠券 ¥9,999" in shown
        assert "已批准" in shown and "赵雷  批准补偿  优惠券  ¥9,999  老客户" in shown
        assert app.screen.check_action("approve", ()) is None  # nothing waits any more
    assert complaint_view(sqlite_console, boss, registered.id).status == "resolved"
    assert rows(sqlite_console, "SELECT action FROM audit_log WHERE action = 'approval'") == [
        ("approval",)
    ]


async def test_a_supervisor_rejects_and_cannot_approve_their_own(
    sqlite_console: ServiceContext,
) -> None:
    from cs_console.domain.enums import CompensationKind
    from cs_console.services.complaint_progress import record_resolution

    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    boss = add_person(
        sqlite_console, "zhaolei", Role.SUPERVISOR, agent_no="9001", display_name="赵雷"
    )
    theirs = register_complaint(sqlite_console, agent, distinct_form(1, days_late="3"))
    own = register_complaint(sqlite_console, boss, distinct_form(2, days_late="3"))
    for complaint, who in ((theirs, agent), (own, boss)):
        record_resolution(
            sqlite_console,
            who,
            complaint.id,
            kind=CompensationKind.COUPON,
            amount_fen=50_000,
            accepted=True,
            reason=REASON,
        )
    app = DetailApp(sqlite_console, boss, theirs.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter", "down", "down", "enter", "ctrl+s")  # reject
        await settle(pilot)
        shown = screen_text(app)
        assert "未批准补偿，请与客户继续协商" in shown and "未批准" in shown
        assert "状态  已登记" in shown
    assert complaint_view(sqlite_console, boss, theirs.id).approval.status == "rejected"  # type: ignore[union-attr]

    app = DetailApp(sqlite_console, boss, own.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "待审批" in screen_text(app)
        assert app.screen.check_action("approve", ()) is None  # their own: greyed out
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ComplaintScreen)
