"""A person's rights under PIPL (个人信息保护法): a copy of everything stored about them,
and the deletion of their personal data.

``export_person`` (supervisors and administrators) gathers one customer's records, opened
with the actor's data key, into one JSON document and records the export (who, why, which
file, how many records; never the data). ``erase_person`` (administrators) replaces their
personal data with ``domain.erasure.MARKER`` everywhere it is stored, in one transaction,
and drops their phone lookup key: their complaints stay, with categories, clocks, scores
and statistics, but nothing in them says who made them. It records a destruction entry
with the counts per table. Drafts and journal entries are found by the phone typed in them
(services/data_subject_documents.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cs_console.domain.enums import AuditAction
from cs_console.domain.erasure import MARKER
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_line
from cs_console.domain.validation import normalize_phone
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    ServiceContext,
    data_key_of,
    require,
)
from cs_console.services.data_subject_documents import (
    erase_drafts,
    erase_events,
    erase_local_journal,
    person_document,
)
from cs_console.services.recorded_reasons import checked_reason
from cs_console.storage import customers as customer_queries
from cs_console.storage.audit import append_audit
from cs_console.storage.data_subjects import erase_texts, person_records
from cs_console.storage.engine import write_session

# The tables an erasure reports, in this order (the journal is this machine's file).
ERASED_TABLES = (
    "customers",
    "complaints",
    "contacts",
    "callbacks",
    "callback_attempts",
    "events",
    "drafts",
    "journal",
)


def _checked(console: ServiceContext, phone: str, reason: str) -> tuple[str, str]:
    """The phone in E.164 and the reason, or InvalidInput."""
    e164 = normalize_phone(phone)
    if e164 is None:
        raise InvalidInput({"phone": "phone_invalid" if phone.strip() else "required"})
    return e164, checked_reason(console, reason, limit=console.policy.limits.max_field_chars)


def export_person(
    console: ServiceContext, actor: Actor, phone: str, reason: str, destination: str
) -> dict[str, Any]:
    """Everything stored about the customer on ``phone``, as one JSON-ready document.

    Refused unless the actor may answer data-subject requests; ``reason`` must be a few
    real words. NotFound ("no_such_person") when no customer has this phone. The audit
    entry (action "export", target "customer:<id>") names who, why, the ``destination``
    file and the number of records per kind, in the transaction that reads them.
    """
    require(actor, Action.EXPORT_PERSON)
    e164, reason = _checked(console, phone, reason)
    key = data_key_of(actor)
    with write_session(console.engine) as session:
        customer = customer_queries.find_customer(session=session, key=key, phone=e164)
        if customer is None:
            raise NotFound("no_such_person")
        document = person_document(console, session, key, customer, e164)
        append_audit(
            session=session,
            at=console.now(),
            actor_id=actor.id,
            action=AuditAction.EXPORT,
            target=f"customer:{customer.id}",
            key=key,
            request="data_subject_export",
            reason=reason,
            destination=clean_line(destination)[:200],
            records={
                name: len(document[name])
                for name in ("complaints", "contacts", "callbacks", "parcels", "drafts")
            },
        )
    return document


@dataclass(frozen=True)
class Erasure:
    """What an erasure changed: rows per table (``ERASED_TABLES``), never the data."""

    customer_id: int | None  # None: no customer had this phone (erased before, or never)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict[str, Any]:
        """The summary, as ``cs-console customer erase`` prints it."""
        return {"customer_id": self.customer_id, "counts": dict(self.counts), "total": self.total}


def erase_person(console: ServiceContext, actor: Actor, phone: str, reason: str) -> Erasure:
    """Replace the personal data of the customer on ``phone`` with the marker everywhere.

    One transaction for the database: the customer's name, phone, address and ID number
    (sealed marker, lookup key dropped), their complaints' description, request and contact
    name, their contacts' notes, their callbacks' notes and numbers, the events and drafts
    that hold any of it, and this machine's outage journal. A second erase finds nothing
    (total 0). Administrators only; recorded (action "purge", target "customer:<id>" or
    "person") with the reason and the counts per table.
    """
    require(actor, Action.ERASE_PERSON)
    e164, reason = _checked(console, phone, reason)
    key = data_key_of(actor)
    counts = dict.fromkeys(ERASED_TABLES, 0)
    with write_session(console.engine) as session:
        customer = customer_queries.find_customer(session=session, key=key, phone=e164)
        customer_id = customer.id if customer is not None else None
        if customer is not None:
            records = person_records(session=session, customer_id=customer.id)
            counts.update(
                erase_texts(
                    session=session,
                    records=records,
                    marker=MARKER,
                    sealed_contact_name=customer_queries.seal_contact_name(MARKER, key),
                )
            )
            counts["events"] = erase_events(session, key, records)
            counts["customers"] = int(
                customer_queries.erase_customer(
                    session=session, key=key, customer_id=customer.id, marker=MARKER
                )
            )
        counts["drafts"] = erase_drafts(session, key, e164)
        # This machine's copy of what was typed offline: before the entry, so it counts.
        counts["journal"] = erase_local_journal(console, key, e164)
        append_audit(
            session=session,
            at=console.now(),
            actor_id=actor.id,
            action=AuditAction.PURGE,
            target=f"customer:{customer_id}" if customer_id is not None else "person",
            key=key,
            request="data_subject_erasure",
            reason=reason,
            counts=counts,
        )
    return Erasure(customer_id, counts)
