"""What the demo's people have started, through the services as they would in the console.

The bulk load (build.py) writes complaints, calls and callbacks; claims and work orders go
through their services instead, so every rule holds (evidence, limits, due times, events).
On a new demo database:

- three claims on open loss and damage complaints: one waiting for a specialist's approval
  (above the agent's limit), one waiting for a supervisor's (above a specialist's), one
  still missing evidence;
- two work orders in 杭州西湖网点's inbox (qianmei's): a verify order and an urge order.

Only accounts the demo created (their passwords are known) act; an earlier account of the
same name is left alone, and so is the story it would have told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from cs_console.domain.claims import ClaimKind, EvidenceItem, EvidenceStatus
from cs_console.domain.enums import Category, ComplaintStatus, Role
from cs_console.domain.policy import Policy
from cs_console.domain.work_orders import OrderKind
from cs_console.services.accounts import authenticate
from cs_console.services.claim_decisions import propose_claim
from cs_console.services.claims import open_claim, record_evidence
from cs_console.services.context import Actor, Clock, ServiceContext
from cs_console.services.work_orders import send_work_order
from cs_console.storage.engine import make_engine, read_session
from cs_console.storage.tables import Complaint, Event, User


@dataclass(frozen=True)
class _Claim:
    """One claim of the story: the sum claimed and proposed (yuan), the evidence received."""

    claimed_yuan: int
    proposed_yuan: int | None  # None: not proposed yet
    evidence: bool  # every required item received
    reason: str


CLAIMS = (
    _Claim(600, 600, True, "客户提供购物发票，按发票金额赔付"),
    _Claim(1800, 1800, True, "保价商品整件丢失，按保价金额全额赔付"),
    _Claim(300, None, False, ""),
)
NOTES = {
    EvidenceItem.PROOF_OF_VALUE: "购物发票照片，已存入工单附件",
    EvidenceItem.PHOTOS: "客户微信发来外包装和物品照片五张",
    EvidenceItem.INSURANCE_RECORD: "寄件时保价记录已在系统中核对",
    EvidenceItem.IDENTITY: "身份证正反面照片已核对本人",
}
ORDERS = (
    (OrderKind.VERIFY, "请核实派件员是否当面签收，客户称未收到"),
    (OrderKind.URGE, "客户急用，请今天派送，派前电话联系"),
)


class _People:
    """The demo's agents the story may act as, signed in when first needed (scrypt)."""

    def __init__(self, console: ServiceContext, passwords: dict[str, str]) -> None:
        self.console = console
        with read_session(console.engine) as session:
            found = session.exec(select(User.id, User.username).where(User.role == Role.AGENT))
            self.passwords: dict[int, str] = {
                user_id: passwords[name]
                for user_id, name in found
                if name in passwords and user_id is not None  # (a stored id is never None)
            }
        self._signed_in: dict[int, Actor] = {}

    def actor(self, user_id: int) -> Actor:
        if user_id not in self._signed_in:
            username = self._username(user_id)
            login = authenticate(self.console, username, self.passwords[user_id])
            self._signed_in[user_id] = login.actor
        return self._signed_in[user_id]

    def _username(self, user_id: int) -> str:
        with read_session(self.console.engine) as session:
            return session.exec(select(User.username).where(User.id == user_id)).one()


def _open_complaints(
    console: ServiceContext, owners: Sequence[int], categories: Sequence[Category]
) -> list[tuple[str, int, str]]:
    """Open complaints of ``categories`` owned by ``owners``: (reference, owner, category)."""
    with read_session(console.engine) as session:
        found = session.exec(
            select(Complaint.reference, Complaint.owner_id, Complaint.category)
            .where(col(Complaint.owner_id).in_(owners))
            .where(col(Complaint.category).in_([c.value for c in categories]))
            .where(col(Complaint.status) != ComplaintStatus.CLOSED.value)
            .order_by(col(Complaint.id))
        )
        return [(reference, owner, category) for reference, owner, category in found]


def _tell_claims(console: ServiceContext, agents: _People) -> int:
    claimable = _open_complaints(console, list(agents.passwords), (Category.LOSS, Category.DAMAGE))
    told = 0
    for plan, (reference, owner, category) in zip(CLAIMS, claimable, strict=False):
        actor = agents.actor(owner)
        kind = ClaimKind.LOSS if category == Category.LOSS.value else ClaimKind.DAMAGE
        claim = open_claim(console, actor, reference, kind, plan.claimed_yuan * 100)
        required = claim.required
        for item in required if plan.evidence else required[-1:]:
            record_evidence(console, actor, claim.id, item, EvidenceStatus.RECEIVED, NOTES[item])
        if plan.proposed_yuan is not None:
            amount = plan.proposed_yuan * 100
            propose_claim(console, actor, claim.id, amount_fen=amount, reason=plan.reason)
        told += 1
    return told


def _tell_orders(console: ServiceContext, agents: _People, outlet: str) -> int:
    asked = _open_complaints(console, list(agents.passwords), (Category.DELAY, Category.LOSS))
    told = 0
    for (kind, text), (reference, owner, _category) in zip(ORDERS, asked[-2:], strict=False):
        send_work_order(console, agents.actor(owner), reference, kind, text, outlet=outlet)
        told += 1
    return told


def tell_story(
    url: str,
    policy: Policy,
    zone: ZoneInfo,
    clock: Clock,
    passwords: dict[str, str],
    outlet: str,
) -> dict[str, int]:
    """Claims and work orders started by the demo's agents (``passwords``: the accounts
    the demo created); returns how many of each it made, and the events they recorded."""
    console = ServiceContext(make_engine(url), policy, zone, clock)
    try:
        with read_session(console.engine) as session:
            events_before = session.exec(select(func.count()).select_from(Event)).one()
        agents = _People(console, passwords)
        told = {"claims": 0, "work_orders": 0}
        if agents.passwords:
            told["claims"] = _tell_claims(console, agents)
            told["work_orders"] = _tell_orders(console, agents, outlet)
        with read_session(console.engine) as session:
            events_after = session.exec(select(func.count()).select_from(Event)).one()
        return {**told, "events": events_after - events_before}
    finally:
        console.engine.dispose()
