"""The claim screen, as the issue's pilot: a claim with evidence that needs a supervisor's
approval; the agent cannot approve it, the specialist cannot above ¥1,000, the supervisor
does, and the payout is recorded (keys pressed, screen read, database checked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Select

from cs_console.domain.claims import ClaimStatus, EvidenceItem
from cs_console.domain.enums import Role
from cs_console.services.claims import claim_view
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.worklists import complaint_view
from cs_console.ui import app as console_app
from cs_console.ui.screens.claim_screen import ClaimScreen
from tests.conftest import add_person
from tests.services.claim_cases import insured_loss
from tests.ui.support import settle, type_text
from tests.ui.test_complaint_detail import DetailApp, screen_text

CSS = [Path(console_app.__file__).parent / p for p in console_app.CsConsoleApp.CSS_PATH]


class ClaimApp(App[None]):
    """Opens one claim's screen at once (as the approvals list does)."""

    CSS_PATH = CSS

    def __init__(self, cs: ServiceContext, actor: Actor, claim_id: int) -> None:
        super().__init__()
        self.cs, self.actor, self.claim_id = cs, actor, claim_id

    def on_mount(self) -> None:
        self.push_screen(ClaimScreen(self.cs, self.actor, claim_id=self.claim_id))


async def test_a_claim_needing_a_supervisor_from_opening_to_payout(
    sqlite_console: ServiceContext,
) -> None:
    console = sqlite_console
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    specialist = add_person(console, "zhoumin", Role.SPECIALIST, agent_no="6001")
    boss = add_person(console, "chenjun", Role.SUPERVISOR, agent_no="9001", display_name="陈军")
    reference = insured_loss(console, agent)  # insured for ¥2,000
    complaint_id = _id(console, reference)

    app = DetailApp(console, agent, complaint_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        assert f"{reference} 尚无理赔" in screen_text(app)
        await type_text(pilot, "2500")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "已发起理赔" in screen_text(app) and "应赔 ¥0" in screen_text(app)
        for item in (EvidenceItem.PROOF_OF_VALUE, EvidenceItem.INSURANCE_RECORD,
                     EvidenceItem.IDENTITY):  # fmt: skip
            screen.query_one("#claim-item", Select).value = item.value
            screen.query_one("#claim-text").focus()
            await type_text(pilot, "原件扫描，存于理赔档案柜")
            await pilot.press("ctrl+s")
            await settle(pilot)
        shown = screen_text(app)
        assert "✓ 价值证明  已收到  原件扫描，存于理赔档案柜" in shown
        assert "应赔 ¥2,000（保价金额）" in shown
        await pilot.press("ctrl+t")  # propose the payable amount
        await settle(pilot)
        assert "¥2,000 等待客服主管审批" in screen_text(app)
        assert screen.check_action("approve", ()) is None  # their own proposal
        claim_id = screen.claim_id
        assert claim_id is not None
        await pilot.press("escape")
        await settle(pilot)

    app = ClaimApp(console, specialist, claim_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "等待客服主管审批" in screen_text(app)
        assert app.screen.check_action("approve", ()) is None  # ¥2,000 is above ¥1,000
        await pilot.press("ctrl+o")
        await settle(pilot)
    assert claim_view(console, boss, claim_id).status is ClaimStatus.PENDING

    app = ClaimApp(console, boss, claim_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert app.screen.check_action("approve", ()) is True
        app.screen.query_one("#claim-text").focus()
        await type_text(pilot, "保价记录与发票一致")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "已批准 ¥2,000" in screen_text(app) and "陈军 已批准" in screen_text(app)

    app = ClaimApp(console, agent, claim_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert app.screen.check_action("pay", ()) is True
        app.screen.query_one("#claim-method", Select).value = "alipay"
        app.screen.query_one("#claim-text").focus()
        await type_text(pilot, "2026120622001")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "已支付 ¥2,000（支付宝）" in screen_text(app)
    paid = claim_view(console, agent, claim_id)
    assert (paid.status, paid.paid_fen, paid.payout_reference) == (
        ClaimStatus.PAID, 200_000, "2026120622001"
    )  # fmt: skip
    assert complaint_view(console, agent, complaint_id).status == "resolved"


def _id(console: ServiceContext, reference: str) -> int:
    from sqlalchemy import text

    with console.engine.connect() as connection:
        return connection.execute(
            text("SELECT id FROM complaints WHERE reference = :r"), {"r": reference}
        ).scalar_one()


async def test_a_supervisor_finds_the_claim_in_the_approvals_list_and_approves_it(
    sqlite_console: ServiceContext,
) -> None:
    from cs_console.services.claim_decisions import propose_claim
    from cs_console.ui.factory import make_app
    from cs_console.ui.screens.approvals_list import ApprovalsScreen
    from tests.services.claim_cases import claim_with_evidence
    from tests.ui.support import ready

    console = sqlite_console
    agent = add_person(console, "wangfang", agent_no="1024")
    add_person(console, "chenjun", Role.SUPERVISOR, agent_no="9001")
    claim = claim_with_evidence(console, agent)
    propose_claim(console, agent, claim.id)  # ¥2,000: waits for a supervisor

    app = make_app(console=console, username="chenjun", password="secret-pass-1")
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)
        shown = screen_text(app)
        assert "1 件理赔等待您审批" in shown and f"{claim.complaint_reference}  ¥2,000" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        app.screen.query_one("#claim-text").focus()
        await type_text(pilot, "保价记录与发票一致")
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)
        assert "没有等待您审批的理赔" in screen_text(app)  # (it said "0 件 …：按 Enter 打开")
    assert claim_view(console, agent, claim.id).status is ClaimStatus.APPROVED


async def test_agents_have_no_approvals_key(sqlite_console: ServiceContext) -> None:
    from tests.ui.support import shown, workspace

    add_person(sqlite_console, "wangfang", agent_no="1024")
    async with workspace(sqlite_console) as (app, pilot):
        assert "F11" not in shown(app).splitlines()[-1]  # not in the footer
        await pilot.press("f11")
        await settle(pilot)
        assert "ApprovalsScreen" not in type(app.screen).__name__


async def test_a_damage_complaints_claim_starts_as_a_damage_claim(
    sqlite_console: ServiceContext,
) -> None:
    from cs_console.domain.claims import ClaimKind
    from cs_console.services.complaints import register_complaint
    from tests.services.helpers import damage_form

    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    complaint_id = register_complaint(sqlite_console, agent, damage_form("300")).id
    app = DetailApp(sqlite_console, agent, complaint_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        assert app.screen.query_one("#claim-kind", Select).value == ClaimKind.DAMAGE.value


async def test_an_opened_claim_shows_its_kind_and_offers_no_other(
    sqlite_console: ServiceContext,
) -> None:
    from cs_console.domain.claims import ClaimKind
    from cs_console.services.claims import open_claim
    from cs_console.services.complaints import register_complaint
    from tests.services.helpers import damage_form

    agent = add_person(sqlite_console, "wangfang", agent_no="1024", display_name="王芳")
    registered = register_complaint(sqlite_console, agent, damage_form("300"))
    open_claim(sqlite_console, agent, registered.reference, ClaimKind.DAMAGE, 30_000)
    app = DetailApp(sqlite_console, agent, registered.id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        shown = screen_text(app)
        assert "破损" in shown and "丢失" not in shown  # (the chooser said 丢失 here)
        assert not app.screen.query_one("#claim-kind", Select).display


def _waiting(console: ServiceContext, agent: Actor, reason: str) -> int:
    """A claim whose ¥600 proposal, above the payable ¥500 for ``reason``, waits for a
    specialist."""
    from cs_console.services.claim_decisions import propose_claim
    from tests.services.claim_cases import claim_with_evidence

    claim = claim_with_evidence(console, agent, claimed_fen=60_000, insured="500")
    return propose_claim(console, agent, claim.id, amount_fen=60_000, reason=reason).id


def _footer(app: App) -> str:
    return screen_text(app).splitlines()[-1]


async def test_a_specialist_refuses_from_the_reason_field(sqlite_console: ServiceContext) -> None:
    """The reason is typed in the note field, whose own ctrl+x (cut) took the refusal key:
    the refusal key is one no field takes, shown and working from every field. Refused, the
    claim leaves the specialist's sight: they are told of the refusal, not "not yours"."""
    from tests.ui.support import rows

    agent = add_person(sqlite_console, "zhangwei", agent_no="1024", display_name="张伟")
    specialist = add_person(sqlite_console, "sunqiang", Role.SPECIALIST, agent_no="6001")
    claim_id = _waiting(sqlite_console, agent, "客户另有包装损失")
    app = ClaimApp(sqlite_console, specialist, claim_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "^r 驳回" in _footer(app)  # the amount field is focused
        await pilot.press("tab")  # onto the note / reason field
        assert app.screen.focused is app.screen.query_one("#claim-text")
        assert "^r 驳回" in _footer(app) and "^x" not in _footer(app)
        await type_text(pilot, "发票金额与申报价值一致")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "金额被驳回" in screen_text(app)
        assert "材料齐全，待提出金额" in screen_text(app)  # (it said 收集材料: all was in)
    assert claim_view(sqlite_console, agent, claim_id).status is ClaimStatus.OPEN
    [(detail,)] = rows(sqlite_console, "SELECT detail FROM events WHERE kind = 'claim_refused'")
    assert "发票金额与申报价值一致" in detail


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("zh-CN", "支付流水号: 必填", "投诉编号"),
        ("en", "Payment reference: Required", "Reference:"),
    ],
)
async def test_a_payout_without_its_reference_names_the_payment_reference(
    sqlite_console: ServiceContext, language: str, said: str, not_said: str
) -> None:
    from cs_console.i18n import set_language
    from cs_console.services.claim_decisions import propose_claim
    from tests.services.claim_cases import claim_with_evidence

    set_language(language)
    agent = add_person(sqlite_console, "wangfang", agent_no="1024")
    claim = claim_with_evidence(sqlite_console, agent, claimed_fen=5_000)
    propose_claim(sqlite_console, agent, claim.id)  # ¥50: decided at once
    app = ClaimApp(sqlite_console, agent, claim.id)
    try:
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+y")
            await settle(pilot)
            assert said in screen_text(app) and not_said not in screen_text(app)
    finally:
        set_language("zh-CN")
    assert claim_view(sqlite_console, agent, claim.id).status is ClaimStatus.APPROVED


async def test_the_approver_sees_why_the_sum_is_above_the_payable_amount(
    sqlite_console: ServiceContext,
) -> None:
    agent = add_person(sqlite_console, "zhangwei", agent_no="1024", display_name="张伟")
    specialist = add_person(sqlite_console, "sunqiang", Role.SPECIALIST, agent_no="6001")
    reason = "客户另有包装损失 [/b] [TODO] [bold red]x"
    claim_id = _waiting(sqlite_console, agent, reason)
    app = ClaimApp(sqlite_console, specialist, claim_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "应赔 ¥500" in shown and "提出 ¥600" in shown
        assert f"理由：{reason}" in shown  # literally, markup and all


async def test_typing_clears_the_error_about_the_field(sqlite_console: ServiceContext) -> None:
    agent = add_person(sqlite_console, "zhangwei", agent_no="1024", display_name="张伟")
    specialist = add_person(sqlite_console, "sunqiang", Role.SPECIALIST, agent_no="6001")
    claim_id = _waiting(sqlite_console, agent, "客户另有包装损失")
    app = ClaimApp(sqlite_console, specialist, claim_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")  # no reason typed
        await settle(pilot)
        assert "原因: 必填" in screen_text(app)
        await pilot.press("tab")
        await type_text(pilot, "发")
        await settle(pilot)
        assert "必填" not in screen_text(app)
        await type_text(pilot, "票金额与申报价值一致")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "已批准 ¥600" in screen_text(app)  # not cleared: no error
    assert claim_view(sqlite_console, agent, claim_id).status is ClaimStatus.APPROVED
