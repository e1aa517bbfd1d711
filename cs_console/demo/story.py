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

from sqlalchemy import select as sa_select
from sqlalchemy import true
from sqlmodel import col, func, select

from cs_console.config.tracking_settings import TrackingSettings
from cs_console.domain.claims import ClaimKind, EvidenceItem, EvidenceStatus
from cs_console.domain.enums import Category, ComplaintStatus, Role
from cs_console.domain.policy import Policy
from cs_console.domain.tracking import TrackingState
from cs_console.domain.work_orders import OrderKind
from cs_console.services.accounts import authenticate
from cs_console.services.claim_decisions import propose_claim
from cs_console.services.claims import open_claim, record_evidence
from cs_console.services.context import Actor, Clock, ServiceContext
from cs_console.services.tracking.provider import TrackingProvider
from cs_console.services.tracking.setup import make_provider
from cs_console.services.work_orders import send_work_order
from cs_console.storage.engine import make_engine, read_session
from cs_console.storage.tables import Complaint, Event, Parcel, User


@dataclass(frozen=True)
class _Claim:
    """One claim of the story: the sum claimed and proposed (yuan), the evidence received."""

    claimed_yuan: int
    proposed_yuan: int | None  # None: not proposed yet
    evidence: bool  # every required item received
    reason: str


CLAIMS = (
    _Claim(600, 600, True, "客户提供购物发票，按发票金额赔付"),
    _Claim(1800, 1800, True, "客户提供购买记录和付款截图，按实际价值赔付"),
    _Claim(300, None, False, ""),
)
NOTES = {
    EvidenceItem.PROOF_OF_VALUE: "购物发票照片，已存入工单附件",
    EvidenceItem.PHOTOS: "客户微信发来外包装和物品照片五张",
    EvidenceItem.INSURANCE_RECORD: "寄件时保价记录已在系统中核对",
    EvidenceItem.IDENTITY: "身份证正反面照片已核对本人",
}
# Each order with what the tracking must show for it to make sense: signed (the customer
# says it never came), or not yet.
ORDERS = (
    (OrderKind.VERIFY, "请核实派件员是否当面签收，客户称未收到", True),
    (OrderKind.URGE, "客户急用，请今天派送，派前电话联系", False),
    (OrderKind.VERIFY, "客户不认识签收人，请核实签收人和签收照片", True),
)
ORDERS_SENT = 2  # the first that fit the outlet's parcels
# Complaints still being worked on: a claim or an order on a resolved one would contradict it.
WORKED_ON = (ComplaintStatus.REGISTERED, ComplaintStatus.VERIFYING, ComplaintStatus.VERIFIED)


ACTING = (Role.AGENT.value, Role.SPECIALIST.value, Role.SUPERVISOR.value)


class _People:
    """The demo's agents, specialists and supervisors the story may act as, signed in when
    first needed (scrypt)."""

    def __init__(self, console: ServiceContext, passwords: dict[str, str]) -> None:
        self.console = console
        with read_session(console.engine) as session:
            found = session.exec(
                select(User.id, User.username, User.role).where(col(User.role).in_(ACTING))
            )
            known = [(i, n, r) for i, n, r in found if n in passwords and i is not None]
        self.names = {user_id: name for user_id, name, _role in known}
        self.agents = [user_id for user_id, _name, role in known if role == Role.AGENT]
        self.supervisor = next((i for i, _n, r in known if r == Role.SUPERVISOR), None)
        self._passwords = passwords
        self._signed_in: dict[int, Actor] = {}

    def actor(self, user_id: int) -> Actor:
        if user_id not in self._signed_in:
            name = self.names[user_id]
            self._signed_in[user_id] = authenticate(self.console, name, self._passwords[name]).actor
        return self._signed_in[user_id]


@dataclass(frozen=True)
class _Case:
    reference: str
    owner: int
    category: str
    outlet: str  # the complaint's own, else its parcel's delivering outlet
    tracking_no: str


def _worked_on(
    console: ServiceContext, owners: Sequence[int] | None, categories: Sequence[Category]
) -> list[_Case]:
    """Complaints of ``categories`` still being worked on (owned by ``owners`` if given)."""
    with read_session(console.engine) as session:
        found = session.execute(
            sa_select(
                col(Complaint.reference),
                col(Complaint.owner_id),
                col(Complaint.category),
                col(Complaint.outlet),
                col(Parcel.outlet),
                col(Parcel.tracking_no),
            )
            .join(Parcel, col(Parcel.id) == col(Complaint.parcel_id))
            .where(col(Complaint.owner_id).in_(owners) if owners is not None else true())
            .where(col(Complaint.category).in_([c.value for c in categories]))
            .where(col(Complaint.status).in_([s.value for s in WORKED_ON]))
            .order_by(col(Complaint.id))
        )
        return [
            _Case(reference, owner, category, own or delivering or "", number)
            for reference, owner, category, own, delivering, number in found
        ]


def _tell_claims(console: ServiceContext, agents: _People) -> int:
    """The claims of ``CLAIMS``: one proposed is on an agent's complaint (an agent's proposal
    waits for a specialist or a supervisor), one not proposed yet on anyone's."""
    cases = _worked_on(console, list(agents.names), (Category.LOSS, Category.DAMAGE))
    told = 0
    for plan in CLAIMS:
        proposed = plan.proposed_yuan is not None
        case = next((c for c in cases if c.owner in agents.agents or not proposed), None)
        if case is None:
            continue
        cases.remove(case)
        actor = agents.actor(case.owner)
        kind = ClaimKind.LOSS if case.category == Category.LOSS.value else ClaimKind.DAMAGE
        claim = open_claim(console, actor, case.reference, kind, plan.claimed_yuan * 100)
        required = claim.required
        for item in required if plan.evidence else required[-1:]:
            record_evidence(console, actor, claim.id, item, EvidenceStatus.RECEIVED, NOTES[item])
        if plan.proposed_yuan is not None:
            amount = plan.proposed_yuan * 100
            propose_claim(console, actor, claim.id, amount_fen=amount, reason=plan.reason)
        told += 1
    return told


def _tell_orders(console: ServiceContext, agents: _People, outlet: str) -> int:
    """Orders to ``outlet`` about its own parcels, each where the tracking agrees with it,
    sent by a supervisor (who may for any complaint), else by the complaint's owner."""
    # The demo provider whatever settings.toml names: the demo's own parcels' tracking.
    tracking = make_provider(console, TrackingSettings(), console.policy.tracking)
    cases = [
        case
        for case in _worked_on(
            console, None if agents.supervisor else agents.agents, tuple(Category)
        )
        if case.outlet == outlet
    ]
    signed = {c.tracking_no: _signed(tracking, c.tracking_no) for c in cases}
    told = 0
    for kind, text, when_signed in ORDERS:
        case = next((c for c in cases if signed[c.tracking_no] == when_signed), None)
        if case is None:
            continue
        sender = agents.actor(agents.supervisor or case.owner)
        send_work_order(console, sender, case.reference, kind, text)
        cases.remove(case)
        told += 1
        if told == ORDERS_SENT:
            break
    return told


def _signed(tracking: TrackingProvider, tracking_no: str) -> bool:
    return tracking.query(tracking_no).state is TrackingState.SIGNED


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
        if agents.agents:
            told["claims"] = _tell_claims(console, agents)
            told["work_orders"] = _tell_orders(console, agents, outlet)
        with read_session(console.engine) as session:
            events_after = session.exec(select(func.count()).select_from(Event)).one()
        return {**told, "events": events_after - events_before}
    finally:
        console.engine.dispose()
