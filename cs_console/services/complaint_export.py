"""Exporting complaints (信息安全: nothing leaves except through an authorised, recorded export).

Supervisors only. Personal data is masked unless the export is unmasked, which needs a
reason; every export is written to the audit trail (who, which period, masked or not, why,
how many rows) before the first row is handed out. Rows are read a page at a time, so an
export of a million complaints never holds them all in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from cs_console.domain.enums import AuditAction
from cs_console.domain.masking import display_phone, mask_name, mask_phone
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_line, clean_text
from cs_console.services.context import Actor, InvalidInput, ServiceContext, data_key_of, require
from cs_console.services.recorded_reasons import checked_reason
from cs_console.storage.audit import append_audit
from cs_console.storage.complaint_pages import ComplaintLine, complaint_page, count_complaints
from cs_console.storage.customers import customers_by_ids, open_contact_name
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import DataKey

PAGE = 1000
FIELDS = (
    "id",
    "reference",
    "tracking_no",
    "category",
    "severity",
    "status",
    "channel",
    "outlet",
    "registered_at",
    "verify_due",
    "resolve_due",
    "followup_due",
    "verified_at",
    "resolved_at",
    "closed_at",
    "compensation",
    "owner",
    "customer_name",
    "customer_phone",
    "days_late",
    "description",
    "request",
)
# Customer text: written as text cells in spreadsheets, never as numbers or formulas.
CUSTOMER_TEXT = frozenset({"customer_name", "customer_phone", "description", "request", "outlet"})


@dataclass(frozen=True)
class ExportRequest:
    """What to export: complaints registered on ``since``..``until`` (local days, inclusive)."""

    format: str
    since: date | None = None
    until: date | None = None
    unmask: bool = False
    reason: str = ""
    destination: str = "-"  # the output file's name, for the audit trail; "-" is stdout


@dataclass(frozen=True)
class ComplaintExport:
    """An authorised, recorded export: ``total`` rows, read by iterating ``rows()``."""

    console: ServiceContext
    request: ExportRequest
    total: int
    since: datetime | None
    until: datetime | None
    data_key: DataKey = field(repr=False)  # the exporter's: customers are stored sealed

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each complaint as a dict of FIELDS, in id order, a page at a time."""
        after = 0
        zone = self.console.zone
        with read_session(self.console.engine) as session:
            while True:
                page = complaint_page(
                    session=session, after_id=after, limit=PAGE, since=self.since, until=self.until
                )
                if not page:
                    return
                customers = customers_by_ids(
                    session=session,
                    key=self.data_key,
                    customer_ids={line.customer_id for line in page},
                )
                for line in page:
                    customer = customers.get(line.customer_id)
                    name, phone = (customer.name, customer.phone) if customer else ("", "")
                    # Another person on the customer's number: the complaint is theirs.
                    name = open_contact_name(line.contact_name, self.data_key) or name
                    yield _as_dict(line, name, phone, zone, self.request.unmask)
                after = page[-1].id


def _local(moment: datetime | None, zone: tzinfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment is not None else None


def _as_dict(
    line: ComplaintLine, name: str, phone: str, zone: tzinfo, unmask: bool
) -> dict[str, Any]:
    """One complaint as exported; every text passes through ``clean_text`` again, so a value
    stored before a cleaning rule existed (a bidirectional override) is neutralised too."""
    amount = line.compensation_fen / 100 if line.compensation_fen is not None else None
    row = {
        "id": line.id,
        "reference": line.reference,
        "tracking_no": line.tracking_no,
        "category": line.category,
        "severity": line.severity,
        "status": line.status,
        "channel": line.channel,
        "outlet": line.outlet,
        "registered_at": _local(line.registered_at, zone),
        "verify_due": _local(line.verify_due, zone),
        "resolve_due": _local(line.resolve_due, zone),
        "followup_due": _local(line.followup_due, zone),
        "verified_at": _local(line.verified_at, zone),
        "resolved_at": _local(line.resolved_at, zone),
        "closed_at": _local(line.closed_at, zone),
        "compensation": {"kind": line.compensation_kind or None, "amount": amount},
        "owner": line.owner,
        "customer_name": name if unmask else mask_name(name),
        "customer_phone": display_phone(phone) if unmask else mask_phone(phone),
        "days_late": line.days_late,
        "description": line.description,
        "request": line.request,
    }
    return {
        key: clean_text(value) if isinstance(value, str) else value for key, value in row.items()
    }


def _day_start(day: date | None, console: ServiceContext) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=console.zone) if day is not None else None


def open_export(console: ServiceContext, actor: Actor, request: ExportRequest) -> ComplaintExport:
    """Authorise and record an export, returning it ready to be read.

    Refused unless the actor may export (supervisors); an unmasked export needs a reason
    of a few real words.
    The audit entry (action "export", target "complaints") names who, the period, the
    format, the destination, masked or not and why, and the number of rows.
    """
    require(actor, Action.EXPORT)
    key = data_key_of(actor)
    reason = (  # a few real words (domain.reasons); a masked export records none
        checked_reason(console, request.reason, limit=console.policy.limits.max_field_chars)
        if request.unmask
        else ""
    )
    if request.since and request.until and request.since > request.until:
        raise InvalidInput({"since": "since_after_until"})
    since = _day_start(request.since, console)
    until = _day_start(request.until + timedelta(days=1) if request.until else None, console)
    with write_session(console.engine) as session:
        total = count_complaints(session=session, since=since, until=until)
        append_audit(
            session=session,
            at=console.now(),
            actor_id=actor.id,
            action=AuditAction.EXPORT,
            target="complaints",
            key=actor.data_key,
            format=request.format,
            since=request.since.isoformat() if request.since else None,
            until=request.until.isoformat() if request.until else None,
            unmasked=request.unmask,
            reason=reason if request.unmask else None,
            destination=clean_line(request.destination)[:200],
            rows=total,
        )
    return ComplaintExport(console, request, total, since, until, key)
