"""The documents behind a data-subject request: one person's records gathered in clear for
their export, and the JSON kept elsewhere (events, drafts, this machine's outage journal)
rewritten for their erasure. Used by services/data_subjects.py only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from cs_console.config.paths import journal_path
from cs_console.domain.erasure import MARKER, mentions_phone, scrub
from cs_console.domain.masking import display_phone
from cs_console.domain.text import clean_text
from cs_console.services.context import ServiceContext
from cs_console.services.drafts import SEALED, SEALED_FOR
from cs_console.services.journal.store import Journal
from cs_console.storage import data_subjects as records_of
from cs_console.storage.callbacks import CALLBACK_PHONE
from cs_console.storage.customers import (
    PREVIOUS_NAME,
    CustomerRecord,
    open_contact_name,
    open_previous_name,
)
from cs_console.storage.sealing import DataKey, KeyMismatch
from cs_console.storage.tables import (
    Callback,
    CallbackAttempt,
    Complaint,
    Contact,
    Customer,
    Draft,
    Event,
    Parcel,
)

# Columns that say nothing about the person (keys and bookkeeping), left out of an export.
_INTERNAL = frozenset({"customer_id", "import_key", "version", "prior", "phone_key"})


def _plain(value: Any, console: ServiceContext) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(console.zone).isoformat()
    if isinstance(value, str):
        return clean_text(value)  # neutralised as in every export
    if isinstance(value, dict):
        return {k: _plain(v, console) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, console) for v in value]
    return value


def _rows(session: Session, model: Any, ids: tuple[int, ...]) -> list[dict[str, Any]]:
    rows = records_of.rows_of(session=session, model=model, ids=ids)
    return [{k: v for k, v in row.items() if k not in _INTERNAL} for row in rows]


def _event(row: dict[str, Any], key: DataKey) -> dict[str, Any]:
    try:
        detail = json.loads(row["detail"] or "{}")
    except ValueError:
        detail = {}
    if isinstance(detail, dict) and detail.get("previous_name"):
        detail["previous_name"] = open_previous_name(str(detail["previous_name"]), key)
    return {**row, "detail": detail}


def _opened_draft(payload: Any, key: DataKey) -> Any:
    """A draft's stored object opened (drafts are sealed; old ones were kept in clear)."""
    if isinstance(payload, dict) and isinstance(payload.get(SEALED), str):
        try:
            return json.loads(key.open(payload[SEALED], SEALED_FOR))
        except (KeyMismatch, ValueError):
            return None  # damaged, or another database's key: nothing readable in it
    return payload


def person_document(
    console: ServiceContext, session: Session, key: DataKey, customer: CustomerRecord, e164: str
) -> dict[str, Any]:
    """Everything stored about ``customer``, in clear, ready for JSON."""
    records = records_of.person_records(session=session, customer_id=customer.id)
    events = [_event(row, key) for row in _rows(session, Event, records.events)]
    attempts = _rows(session, CallbackAttempt, records.attempts)
    complaints = _rows(session, Complaint, records.complaints)
    for complaint in complaints:
        complaint["contact_name"] = open_contact_name(complaint["contact_name"], key)
        complaint["events"] = [e for e in events if e["complaint_id"] == complaint["id"]]
    callbacks = _rows(session, Callback, records.callbacks)
    for callback in callbacks:
        number = key.open(callback["phone"], CALLBACK_PHONE) if callback["phone"] else ""
        callback["phone"] = display_phone(number) if number else ""
        callback["attempts"] = [a for a in attempts if a["callback_id"] == callback["id"]]
        callback["events"] = [e for e in events if e["callback_id"] == callback["id"]]
    contacts = _rows(session, Contact, records.contacts)
    for contact in contacts:
        contact["events"] = [
            e for e in events if e["contact_id"] == contact["id"] and not e["complaint_id"]
        ]
    drafts = []
    for draft in _rows(session, Draft, records_of.all_draft_ids(session=session)):
        opened = _opened_draft(json.loads(draft["payload"] or "null"), key)
        if mentions_phone(opened, e164):
            drafts.append({"kind": draft["kind"], "saved_at": draft["updated_at"], "form": opened})
    (stored,) = records_of.rows_of(session=session, model=Customer, ids=(customer.id,))
    return _plain(
        {
            "exported_at": console.now(),
            "customer": {
                "name": customer.name,
                "phone": display_phone(customer.phone),
                "address": customer.address,
                "id_number": customer.id_number,
                "first_seen": stored["created_at"],
                "last_contact": stored["last_contact_at"],
            },
            "parcels": [p["tracking_no"] for p in _rows(session, Parcel, records.parcels)],
            "complaints": complaints,
            "contacts": contacts,
            "callbacks": callbacks,
            "drafts": drafts,
        },
        console,
    )


def erase_events(session: Session, key: DataKey, records: records_of.PersonRecords) -> int:
    """The events of the person's records, their notes and names replaced by the marker (a
    replaced name sealed, as it was); returns how many changed. Their attempts' undo data
    loses the corrected number too (an undo then dials the customer's, the marker)."""

    def marker(field: str) -> str:
        return key.seal(MARKER, PREVIOUS_NAME) if field == "previous_name" else MARKER

    changed = records_of.rewrite_json_column(
        session=session,
        model=Event,
        column="detail",
        ids=records.events,
        rewrite=lambda detail: scrub(detail, marker),
    )
    records_of.rewrite_json_column(
        session=session,
        model=CallbackAttempt,
        column="prior",
        ids=records.attempts,
        rewrite=lambda prior: scrub(prior, lambda field: "" if field == "phone" else MARKER),
    )
    return changed


def erase_drafts(session: Session, key: DataKey, e164: str) -> int:
    """Every draft (anyone's) in which the phone ``e164`` was typed: its personal fields
    replaced by the marker, sealed again; returns how many changed."""

    def rewrite(payload: Any) -> tuple[Any, int]:
        opened = _opened_draft(payload, key)
        if not mentions_phone(opened, e164):
            return payload, 0
        erased, count = scrub(opened)
        sealed = key.seal(json.dumps(erased, ensure_ascii=False), SEALED_FOR)
        return {SEALED: sealed}, max(count, 1)

    return records_of.rewrite_json_column(
        session=session,
        model=Draft,
        column="payload",
        ids=records_of.all_draft_ids(session=session),
        rewrite=rewrite,
    )


def erase_local_journal(console: ServiceContext, key: DataKey, e164: str) -> int:
    """This machine's outage journal of the console's database, if it has one: entries and
    drafts in which ``e164`` was typed, erased like drafts; returns how many changed.

    Other machines' journals are out of reach: the README says what happens to them.
    """
    url = console.engine.url.render_as_string(hide_password=True)
    path = journal_path(url)
    if not path.exists():
        return 0  # never create a journal here only to find it empty
    journal = Journal(path)
    try:
        journal.unlock(key)
        return journal.erase_mentions(lambda value: mentions_phone(value, e164), scrub)
    finally:
        journal.close()
