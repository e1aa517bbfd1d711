"""What an agent's lists show: my clocks, my callback queue, one complaint in full."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.clocks import Clock
from cs_console.domain.complaint_clocks import all_clocks, pending_clocks, urgency_key
from cs_console.domain.enums import ClockKind
from cs_console.domain.masking import mask_name, mask_phone
from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, NotFound, ServiceContext, data_key_of, require
from cs_console.services.visibility import check_visible
from cs_console.storage.callbacks import pending_callbacks_of
from cs_console.storage.claims import running_claim_clocks
from cs_console.storage.complaints import complaint_record, open_complaints_of, times_of
from cs_console.storage.customers import open_previous_name
from cs_console.storage.engine import read_session
from cs_console.storage.events import EventRow, complaint_events
from cs_console.storage.sealing import DataKey
from cs_console.storage.users import user_row
from cs_console.storage.work_orders import replied_complaints


@dataclass(frozen=True)
class ClockRow:
    """One open complaint in "my clocks": its most urgent running clock first."""

    complaint_id: int
    reference: str
    severity: str
    category: str
    status: str
    customer: str  # masked
    clocks: tuple[Clock, ...]  # running clocks, most urgent first
    # An outlet answered a work order on it, and its owner has not acted on it since.
    outlet_replied: bool = False


@dataclass(frozen=True)
class QueueRow:
    callback_id: int
    kind: str
    due_at: datetime
    attempts: int
    customer: str  # masked
    phone: str  # masked (the corrected number, when one was given)
    complaint_id: int | None
    complaint_reference: str | None
    complaint_category: str | None = None  # what the complaint is about
    note: str = ""  # what was promised, as typed


@dataclass(frozen=True)
class Proposal:
    """The resolution held for a supervisor's decision, and where it stands."""

    status: str  # domain.enums.Approval: pending, approved or rejected
    kind: str
    amount_fen: int | None
    reason: str
    proposed_by: int | None


@dataclass(frozen=True)
class ComplaintView:
    """A complaint in full for its owner; the phone is masked until revealed."""

    id: int
    reference: str
    status: str
    severity: str
    severity_reasons: tuple[str, ...]
    severity_override: str
    category: str
    channel: str
    customer: str
    phone_masked: str
    tracking_no: str
    description: str
    request: str
    days_late: int
    declared_value_fen: int
    insured: bool
    insured_amount_fen: int
    shipping_fee_fen: int
    item_damaged: bool
    repairable: bool
    compensation_kind: str
    compensation_fen: int | None
    owner: str
    owner_id: int
    responsibility: str  # who is responsible (domain.enums.Responsibility), "" when not yet
    responsible_agent_id: int | None  # the agent it counts against (responsibility "agent")
    responsible_agent: str  # their 工号 and name, "" when none
    repeat_of: str | None
    satisfaction: int | None
    clocks: tuple[Clock, ...]
    events: tuple[EventRow, ...]
    version: int
    # A resolution above the policy waiting for a supervisor (domain.enums.Approval).
    approval: Proposal | None = None
    # Set when ``customer`` is another person on the number: the customer's name on file.
    customer_on_file: str = ""


def claim_clocks(session: Session, complaint_ids: list[int]) -> dict[int, list[Clock]]:
    """The running clocks of the complaints' unpaid claims (decision, then payout)."""
    found: dict[int, list[Clock]] = {}
    for complaint_id, opened, decision, decided, payout in running_claim_clocks(
        session=session, complaint_ids=complaint_ids
    ):
        if decided is None:
            clock = Clock(ClockKind.CLAIM_DECISION, opened, decision)
        elif payout is not None:
            clock = Clock(ClockKind.CLAIM_PAYOUT, decided, payout)
        else:
            continue
        found.setdefault(complaint_id, []).append(clock)
    return found


def my_clocks(console: ServiceContext, actor: Actor) -> list[ClockRow]:
    """The actor's open complaints, most urgent clock first (their claims' clocks too)."""
    require(actor, Action.VIEW_WORKLIST)
    now, policy = console.now(), console.policy.clocks
    with read_session(console.engine) as session:
        rows = open_complaints_of(session=session, key=data_key_of(actor), owner_id=actor.id)
        replied = replied_complaints(session=session, owner_id=actor.id)
        claims = claim_clocks(session, [row.id for row in rows])
    result = []
    for row in rows:
        clocks = sorted(
            [*pending_clocks(row.times, policy), *claims.get(row.id, ())],
            key=lambda c: urgency_key(c, now, policy),
        )
        if clocks:
            result.append(
                ClockRow(
                    row.id,
                    row.reference,
                    row.severity,
                    row.category,
                    row.status,
                    mask_name(row.customer_name),
                    tuple(clocks),
                    row.id in replied,
                )
            )
    result.sort(key=lambda r: urgency_key(r.clocks[0], now, policy))
    return result


def callback_queue(console: ServiceContext, actor: Actor) -> list[QueueRow]:
    """The actor's pending callbacks in due order."""
    require(actor, Action.VIEW_WORKLIST)
    with read_session(console.engine) as session:
        rows = pending_callbacks_of(session=session, key=data_key_of(actor), owner_id=actor.id)
    return [
        QueueRow(
            r.id,
            r.kind,
            r.due_at,
            r.attempts,
            mask_name(r.customer_name),
            mask_phone(r.phone),
            r.complaint_id,
            r.complaint_reference,
            r.complaint_category,
            r.note,
        )
        for r in rows
    ]


def complaint_view(console: ServiceContext, actor: Actor, complaint_id: int) -> ComplaintView:
    """One complaint with its clocks and history, for those who may see it.

    Agents see their own and their team's, specialists their own, an outlet its outlet's,
    supervisors all (domain.permissions); anyone else is refused.
    """
    require(actor, Action.VIEW_COMPLAINT)
    with read_session(console.engine) as session:
        record = complaint_record(
            session=session, key=data_key_of(actor), complaint_id=complaint_id
        )
        if record is None:
            raise NotFound("no_such_complaint")
        c = record.complaint
        check_visible(session, actor, c)
        events = complaint_events(session=session, complaint_id=complaint_id)
        blamed = None
        if c.responsible_agent_id is not None:
            blamed = user_row(session=session, user_id=c.responsible_agent_id)
    return ComplaintView(
        c.id or 0,
        c.reference,
        c.status,
        c.severity,
        tuple(r for r in c.severity_reasons.split(",") if r),
        c.severity_override,
        c.category,
        c.channel,
        mask_name(record.contact_name or record.customer_name),
        mask_phone(record.customer_phone),
        record.tracking_no,
        c.description,
        c.request,
        c.days_late,
        c.declared_value_fen,
        c.insured,
        c.insured_amount_fen,
        c.shipping_fee_fen,
        c.item_damaged,
        c.repairable,
        c.compensation_kind,
        c.compensation_fen,
        record.owner_name,
        c.owner_id,
        c.responsibility,
        c.responsible_agent_id,
        f"{blamed.agent_no} {blamed.display_name}" if blamed else "",
        c.repeat_of,
        c.satisfaction,
        all_clocks(times_of(c), console.policy.clocks),
        tuple(_masked_corrections(events, data_key_of(actor))),
        c.version,
        Proposal(
            c.approval_status, c.proposed_kind, c.proposed_fen, c.approval_reason, c.proposed_by
        )
        if c.approval_status
        else None,
        mask_name(record.customer_name) if record.contact_name else "",
    )


def _masked_corrections(events: list[EventRow], key: DataKey) -> list[EventRow]:
    """The history as shown: a corrected name's old value (sealed in the event) masked."""
    shown = []
    for event in events:
        if event.kind == "customer_name_corrected":
            previous = open_previous_name(str(event.detail.get("previous_name", "")), key)
            event = replace(event, detail={"previous": mask_name(previous)})
        shown.append(event)
    return shown
