"""Claims for service tests: a complaint with a claim whose evidence is in, and the role
cases of the claim actions (merged into tests/services/test_permissions.py's table)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from cs_console.domain.claims import ClaimKind, EvidenceItem, EvidenceStatus
from cs_console.domain.enums import Role
from cs_console.domain.permissions import Action
from cs_console.services.claim_decisions import decide_claim, propose_claim
from cs_console.services.claims import ClaimView, list_claims, open_claim, record_evidence
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from tests.services.helpers import loss_form, phone, tracking

AG, SP, SU = Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR
KEPT = "发票原件扫描件，存于理赔档案柜"


def insured_loss(console: ServiceContext, owner: Actor, i: int = 9, insured: str = "2000") -> str:
    """The reference of a lost parcel insured for ``insured`` yuan, held by ``owner``."""
    form = loss_form("2500", insured=True, insured_amount=insured, shipping_fee="20",
                     phone=phone(i), tracking_no=tracking(i))  # fmt: skip
    return register_complaint(console, owner, form).reference


def claim_with_evidence(
    console: ServiceContext, owner: Actor, claimed_fen: int = 200_000, i: int = 9,
    insured: str = "2000",
) -> ClaimView:  # fmt: skip
    """A loss claim on an insured parcel with every item of its checklist received."""
    reference = insured_loss(console, owner, i, insured)
    claim = open_claim(console, owner, reference, ClaimKind.LOSS, claimed_fen)
    for item in claim.required:
        claim = record_evidence(console, owner, claim.id, item, EvidenceStatus.RECEIVED, KEPT)
    return claim


def _work(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    """The actor opens a claim on a complaint ``helper`` registered and handed them."""
    reference = insured_loss(console, helper)
    with console.engine.begin() as connection:
        connection.execute(
            text("UPDATE complaints SET owner_id = :o WHERE reference = :r"),
            {"o": actor.id, "r": reference},
        )
    claim = open_claim(console, actor, reference, ClaimKind.LOSS, 5_000)
    record_evidence(console, actor, claim.id, EvidenceItem.IDENTITY, EvidenceStatus.RECEIVED, KEPT)


def _view(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    list_claims(console, actor)


def _approve_claim(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    """A sum within every approver's limit, above the payable amount (so it waits)."""
    claim = claim_with_evidence(console, helper, claimed_fen=5_000)
    proposed = propose_claim(console, helper, claim.id, amount_fen=6_000, reason="客户另有包装损失")
    decide_claim(console, actor, proposed.id, approve=True, reason="材料齐全同意赔付")


CLAIM_EXPECTED: dict[Action, set[Role]] = {
    Action.WORK_CLAIM: {AG, SP, SU},
    Action.VIEW_CLAIMS: {AG, SP, SU},
}
CLAIM_USE_CASES: dict[Action, Callable[[ServiceContext, Actor, Actor], None]] = {
    Action.WORK_CLAIM: _work,
    Action.VIEW_CLAIMS: _view,
}
APPROVE_CLAIM = _approve_claim
