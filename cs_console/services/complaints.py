"""Registering a complaint: the checks asked while typing, then one transaction to store it
(verifying, resolving and handing over are services.complaint_progress)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.classification import Classification, classify
from cs_console.domain.clocks import Clock, initial_clocks
from cs_console.domain.compensation import Suggestion, suggest_compensation
from cs_console.domain.complaint_entry import ComplaintForm, ValidComplaint, check_complaint_form
from cs_console.domain.enums import (
    Channel,
    ComplaintStatus,
    NameChoice,
    Role,
    Severity,
)
from cs_console.domain.masking import mask_name
from cs_console.domain.names import names_differ
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_line
from cs_console.domain.validation import FieldError, normalize_phone, normalize_tracking_no
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    ServiceContext,
    ServiceError,
    data_key_of,
    require,
)
from cs_console.services.incidents import check_new_complaint
from cs_console.services.recorded_reasons import checked_reason
from cs_console.services.registration_groundwork import Groundwork, give_reference, groundwork
from cs_console.services.tracking.setup import other_carrier_of
from cs_console.services.tracking.ways import ParcelWay, tracked_way
from cs_console.storage import complaints as complaint_queries
from cs_console.storage import contacts as contact_queries
from cs_console.storage import customers as customer_queries
from cs_console.storage.drafts import delete_draft
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.incidents import AlertRow
from cs_console.storage.parcel_routes import fill_parcel_way
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Complaint, max_chars

WORKSPACE_DRAFT = "workspace"
PROVISIONAL_MARK = "~"  # a complaint's reference until its transaction numbers it
OUTLET_DRAFT = "outlet"  # the outlet counter's form (ui/screens/outlet.py)


@dataclass(frozen=True)
class RegisteredComplaint:
    id: int
    reference: str
    classification: Classification
    verify: Clock
    resolve: Clock
    suggestion: Suggestion
    customer_id: int
    parcel_id: int
    pending: bool = False  # kept in the outage journal; ``reference`` is provisional
    incidents: tuple[str, ...] = ()  # open incidents it was linked to (I0003 …)
    alerts: tuple[AlertRow, ...] = ()  # mass-complaint alerts its registration raised
    repeat_of: str | None = None  # the earlier unresolved complaint it was classified against


class NameOnFileDiffers(ServiceError):
    """The phone is on file under another name and nobody said whose name was typed:
    nothing was written; ask, then register again with a ``NameChoice``."""

    def __init__(self, on_file_masked: str) -> None:
        super().__init__("name_on_file_differs", on_file=on_file_masked)
        self.on_file_masked = on_file_masked


def name_on_file(console: ServiceContext, actor: Actor, phone: str) -> str | None:
    """The name on file for a typed phone, masked (``张*``); None when the phone is not a
    valid number on file (or its customer has no name). Asked while registering."""
    require(actor, Action.REGISTER_COMPLAINT)
    e164 = normalize_phone(phone)
    if e164 is None:
        return None
    with read_session(console.engine) as session:
        name = customer_queries.stored_name(session=session, key=data_key_of(actor), phone=e164)
    return mask_name(name) if name else None


def find_repeat(console: ServiceContext, actor: Actor, phone: str, tracking_no: str) -> str | None:
    """The reference of an unresolved complaint with this phone or tracking number (the
    repeat rule, told while registering: an outlet at its counter too)."""
    require(actor, Action.REGISTER_COMPLAINT)
    key = data_key_of(actor)
    e164, number = normalize_phone(phone), normalize_tracking_no(tracking_no)
    if e164 is None and number is None:
        return None
    with read_session(console.engine) as session:
        customer = (
            customer_queries.find_customer(session=session, key=key, phone=e164) if e164 else None
        )
        parcel = customer_queries.parcel_id(session=session, tracking_no=number) if number else None
        return complaint_queries.open_complaint_reference(
            session=session, customer_id=customer.id if customer else None, parcel_id=parcel
        )


def checked_registration(
    console: ServiceContext, form: ComplaintForm
) -> tuple[ValidComplaint | None, dict[str, str]]:
    """The form checked by the form's rules, plus what the columns hold (PostgreSQL would
    refuse a longer outlet) and whose parcel it is (another carrier's is not ours to take
    a complaint about); ``(valid, {})`` or ``(None, errors by field)``."""
    valid, problems = check_complaint_form(form, console.policy.limits)
    number = normalize_tracking_no(form.tracking_no)
    if number is not None and other_carrier_of(number) is not None:  # told with the rest
        problems = {**problems, "tracking_no": "tracking_not_ours"}
    outlet_chars = max_chars(Complaint, "outlet")
    if "outlet" not in problems and len(clean_line(form.outlet).strip()) > outlet_chars:
        problems = {**problems, "outlet": FieldError.TOO_LONG.value}
    return (valid, {}) if valid is not None and not problems else (None, problems)


def register_complaint(
    console: ServiceContext,
    actor: Actor,
    form: ComplaintForm,
    *,
    contact_id: int | None = None,
    override: tuple[Severity, str] | None = None,
    name_choice: NameChoice | None = None,
) -> RegisteredComplaint:
    """Validate and store a complaint; the registering person becomes its owner.

    Severity is classified by the policy (including the repeat rule, checked inside the
    transaction); ``override`` sets another severity with a reason, recorded as an event.
    A phone on file under another name needs ``name_choice`` (else ``NameOnFileDiffers``,
    nothing written): see ``store_complaint``.
    """
    require(actor, Action.REGISTER_COMPLAINT)
    if actor.role is Role.OUTLET:
        form = replace(form, channel=Channel.WALK_IN.value, outlet=actor.outlet)
    if override is not None:
        reason = checked_reason(
            console,
            override[1],
            limit=max_chars(Complaint, "severity_override"),
            field="severity",
            required_code="override_reason_required",
        )
        override = (override[0], reason)
    now = console.now()
    valid, problems = checked_registration(console, form)
    if valid is None:
        raise InvalidInput(problems)
    key = data_key_of(actor)
    way = tracked_way(console, valid.tracking_no)  # before the write lock: it may be slow
    # Looked up, sealed and classified before the write transaction: the write lock (and
    # on PostgreSQL the day's counter row) is held for the inserts only.
    with read_session(console.engine) as session:
        ground = groundwork(session, console, valid, key=key, registered_at=now)
    if ground.on_file is not None and name_choice is None:
        _check_name(ground.on_file, valid)  # asked before anything is written
    with write_session(console.engine) as session:
        if contact_id is not None:
            taker = contact_queries.contact_agent(session=session, contact_id=contact_id)
            if taker != actor.id:
                raise NotFound("no_such_contact")
        registered = _store(
            session,
            console,
            actor,
            valid,
            ground,
            key=key,
            registered_at=now,
            contact_id=contact_id,
            override=override,
            name_choice=name_choice,
            way=way,
        )
        if contact_id is not None:
            contact_queries.attach_complaint(
                session=session,
                contact_id=contact_id,
                customer_id=registered.customer_id,
                parcel_id=registered.parcel_id,
            )
        draft = OUTLET_DRAFT if actor.role is Role.OUTLET else WORKSPACE_DRAFT
        delete_draft(session=session, user_id=actor.id, kind=draft)
        detection = check_new_complaint(  # mass complaints (DOMAIN.md Incidents)
            session,
            console.policy,
            complaint_id=registered.id,
            category=valid.facts.category.value,
            parcel_id=registered.parcel_id,
            now=now,
            actor_id=actor.id,
        )
        # Last: on PostgreSQL the day's counter row stays locked until the commit.
        reference = give_reference(session, console, registered.id, registered_at=now)
        return replace(
            registered, reference=reference, incidents=detection.linked, alerts=detection.raised
        )


def _check_name(on_file: str, valid: ValidComplaint) -> None:
    if names_differ(on_file, valid.customer_name):
        raise NameOnFileDiffers(mask_name(on_file))


def store_complaint(
    session: Session,
    console: ServiceContext,
    actor: Actor,
    valid: ValidComplaint,
    *,
    key: DataKey,
    registered_at: datetime,
    contact_id: int | None = None,
    override: tuple[Severity, str] | None = None,
    import_key: str | None = None,
    name_choice: NameChoice | None = None,
    way: ParcelWay | None = None,
) -> RegisteredComplaint:
    """Store a checked complaint inside the caller's write transaction, owned by ``actor``.

    Its clocks start at ``registered_at`` (now for the form, the register's time for an
    import, whose clocks may then be breached already); ``import_key`` marks an imported row.
    Prebuilt statements throughout: this is the path of every complaint saved.

    A stored name is never overwritten silently: when the phone is on file under another
    name, ``name_choice`` says whose name was typed. ``OTHER_PERSON`` keeps it as the
    complaint's own contact name (sealed), the customer's unchanged; ``CORRECTION`` replaces
    the customer's name and records a ``customer_name_corrected`` event holding the old one
    (sealed); None raises ``NameOnFileDiffers``. Registering and importing both store
    through here: the registering role is asked again, whoever calls. ``way`` (from the
    tracking, asked before the transaction) fills a parcel stored without one.
    """
    require(actor, Action.REGISTER_COMPLAINT)
    ground = groundwork(session, console, valid, key=key, registered_at=registered_at)
    registered = _store(
        session,
        console,
        actor,
        valid,
        ground,
        key=key,
        registered_at=registered_at,
        contact_id=contact_id,
        override=override,
        import_key=import_key,
        name_choice=name_choice,
        way=way,
    )
    reference = give_reference(session, console, registered.id, registered_at=registered_at)
    return replace(registered, reference=reference)


def _store(
    session: Session,
    console: ServiceContext,
    actor: Actor,
    valid: ValidComplaint,
    ground: Groundwork,
    *,
    key: DataKey,
    registered_at: datetime,
    contact_id: int | None = None,
    override: tuple[Severity, str] | None = None,
    import_key: str | None = None,
    name_choice: NameChoice | None = None,
    way: ParcelWay | None = None,
) -> RegisteredComplaint:
    """``store_complaint``'s inserts, with a provisional reference (``give_reference`` gives the
    real one, last). What ``ground`` read is checked again by the statements themselves."""
    customer_id, stored_name = customer_queries.upsert_sealed_customer(
        session=session, values=ground.customer
    )
    if stored_name == ground.customer["name"]:
        on_file = None  # a new caller, or one with no name on file: the typed name went in
    elif stored_name == ground.name_read:
        on_file = ground.on_file
    else:  # another console stored this caller meanwhile
        on_file = customer_queries.open_name(stored_name, key)
    differs = on_file is not None and names_differ(on_file, valid.customer_name)
    if differs and name_choice is None:
        raise NameOnFileDiffers(mask_name(on_file or ""))  # the transaction rolls back
    other_person = differs and name_choice is NameChoice.OTHER_PERSON
    previous_name = None
    if differs and name_choice is NameChoice.CORRECTION:
        previous_name = customer_queries.correct_name(
            session=session, key=key, customer_id=customer_id, name=valid.customer_name
        )
    parcel_id = customer_queries.upsert_parcel(
        session=session, tracking_no=valid.tracking_no, customer_id=customer_id, now=registered_at
    )
    if way is not None:
        fill_parcel_way(session=session, parcel_id=parcel_id, **way.columns())
    repeat = complaint_queries.open_complaint_reference(
        session=session, customer_id=customer_id, parcel_id=parcel_id
    )
    facts = replace(valid.facts, repeat_of=repeat)
    classification = (
        ground.classification
        if repeat == ground.repeat
        else classify(facts, console.policy.severity)  # a repeat registered meanwhile
    )
    severity = override[0] if override else classification.severity
    verify, resolve = initial_clocks(registered_at, severity, console.policy.clocks)
    suggestion = suggest_compensation(facts, console.policy.compensation)
    reference = PROVISIONAL_MARK + secrets.token_hex(14)  # never committed: replaced, last
    reasons = ",".join(r.value for r in classification.reasons)
    complaint_id = complaint_queries.insert_complaint(
        session=session,
        reference=reference,
        contact_id=contact_id,
        customer_id=customer_id,
        parcel_id=parcel_id,
        category=facts.category.value,
        severity=severity.value,
        severity_reasons=reasons,
        severity_override=override[1] if override else "",
        status=ComplaintStatus.REGISTERED.value,
        channel=valid.channel.value,
        outlet=valid.outlet,
        description=valid.description,
        request=valid.request,
        days_late=facts.days_late,
        declared_value_fen=facts.declared_value_fen,
        insured=facts.insured,
        insured_amount_fen=facts.insured_amount_fen,
        shipping_fee_fen=facts.shipping_fee_fen,
        item_damaged=facts.item_damaged,
        repairable=facts.repairable,
        repeat_of=repeat,
        owner_id=actor.id,
        registered_at=registered_at,
        verify_due=verify.due,
        resolve_due=resolve.due,
        compensation_kind=suggestion.kind.value,
        compensation_fen=suggestion.amount_fen,
        import_key=import_key,
        contact_name=customer_queries.seal_contact_name(
            valid.customer_name if other_person else "", key
        ),
    )
    imported = {"imported": True} if import_key is not None else {}
    append_event(
        session=session,
        at=registered_at,
        actor_id=actor.id,
        kind="registered",
        complaint_id=complaint_id,
        severity=severity.value,
        reasons=reasons,
        repeat_of=repeat,
        **imported,
    )
    if previous_name is not None:
        append_event(
            session=session,
            at=registered_at,
            actor_id=actor.id,
            kind="customer_name_corrected",
            complaint_id=complaint_id,
            customer_id=customer_id,
            previous_name=previous_name,  # sealed: personal data, like the stored name
        )
    if override is not None and override[0] is not classification.severity:
        append_event(
            session=session,
            at=registered_at,
            actor_id=actor.id,
            kind="severity_overridden",
            complaint_id=complaint_id,
            classified=classification.severity.value,
            chosen=severity.value,
            reason=override[1],
        )
    return RegisteredComplaint(
        complaint_id,
        reference,
        replace(classification, severity=severity),
        verify,
        resolve,
        suggestion,
        customer_id,
        parcel_id,
        repeat_of=repeat,
    )
