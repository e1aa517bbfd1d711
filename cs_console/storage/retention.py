"""The deletes behind the retention purge, each returning how many rows it destroyed.

Every function runs inside the caller's one write transaction and never touches anything
tied to an open complaint: an open complaint keeps its customer, parcel, contact, callbacks
and events, and a closed complaint that an open one repeats (``repeat_of``) stays too.
The order of the steps matters (children before parents; later steps ask what earlier steps
left), so services/purge.py calls them in the order they appear here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Delete,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlmodel import Session, col

from cs_console.domain.enums import CallbackStatus, ComplaintStatus
from cs_console.storage.tables import (
    AppliedWrite,
    Callback,
    CallbackAttempt,
    Complaint,
    Contact,
    Customer,
    Draft,
    Event,
    Parcel,
    ParcelHub,
    table_of,
)

_CLOSED = ComplaintStatus.CLOSED.value
_PENDING = CallbackStatus.PENDING.value
_CHUNK = 500  # ids per statement: well inside SQLite's and PostgreSQL's parameter limits


def _count(session: Session, statement: Delete) -> int:
    # No ORM bookkeeping: this session holds none of the rows, and "fetch" would add a
    # RETURNING of every deleted id.
    return session.exec(statement.execution_options(synchronize_session=False)).rowcount


def _open_complaint(*where: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(col(Complaint.status) != _CLOSED, *where)


def _expired_complaints(cutoff: datetime) -> Select:
    """Closed before ``cutoff``, and not the earlier complaint an open one repeats."""
    repeated = select(col(Complaint.repeat_of)).where(
        col(Complaint.status) != _CLOSED, col(Complaint.repeat_of).is_not(None)
    )
    return select(col(Complaint.id)).where(
        col(Complaint.status) == _CLOSED,
        col(Complaint.closed_at) < cutoff,
        col(Complaint.reference).not_in(repeated),
    )


def expired_reference_range(*, session: Session, cutoff: datetime) -> tuple[str | None, str | None]:
    """The first and last reference (by registration) of the complaints about to go."""
    expired = col(Complaint.id).in_(_expired_complaints(cutoff))
    order = (col(Complaint.registered_at), col(Complaint.id))
    first = session.execute(
        select(col(Complaint.reference)).where(expired).order_by(*order).limit(1)
    ).scalar()
    last = session.execute(
        select(col(Complaint.reference))
        .where(expired)
        .order_by(*(o.desc() for o in order))
        .limit(1)
    ).scalar()
    return first, last


def _delete_callbacks(session: Session, callbacks: Select, counts: dict[str, int]) -> None:
    counts["callback_attempts"] += _count(
        session, delete(CallbackAttempt).where(col(CallbackAttempt.callback_id).in_(callbacks))
    )
    counts["events"] += _count(session, delete(Event).where(col(Event.callback_id).in_(callbacks)))
    counts["callbacks"] += _count(session, delete(Callback).where(col(Callback.id).in_(callbacks)))


def purge_closed_complaints(*, session: Session, cutoff: datetime, counts: dict[str, int]) -> None:
    """Complaints closed before ``cutoff``, with their events, callbacks and attempts."""
    expired = _expired_complaints(cutoff)
    their_callbacks = select(col(Callback.id)).where(col(Callback.complaint_id).in_(expired))
    _delete_callbacks(session, their_callbacks, counts)
    counts["events"] += _count(session, delete(Event).where(col(Event.complaint_id).in_(expired)))
    counts["complaints"] += _count(session, delete(Complaint).where(col(Complaint.id).in_(expired)))


def purge_finished_callbacks(*, session: Session, cutoff: datetime, counts: dict[str, int]) -> None:
    """Callbacks of no complaint (reply promises, outages), done or given up before ``cutoff``.

    A pending callback is open work and stays; so does one made during the contact that
    registered a still open complaint.
    """
    finished = select(col(Callback.id)).where(
        col(Callback.complaint_id).is_(None),
        col(Callback.status) != _PENDING,
        func.coalesce(col(Callback.done_at), col(Callback.created_at)) < cutoff,
        or_(
            col(Callback.contact_id).is_(None),
            ~_open_complaint(col(Complaint.contact_id) == col(Callback.contact_id)),
        ),
    )
    _delete_callbacks(session, finished, counts)


def purge_contacts(*, session: Session, cutoff: datetime, counts: dict[str, int]) -> None:
    """Contacts started before ``cutoff`` that no remaining complaint, callback or event of
    one needs, with their own events."""
    still_linked = or_(
        exists().where(col(Complaint.contact_id) == col(Contact.id)),
        exists().where(col(Callback.contact_id) == col(Contact.id)),
        exists().where(
            col(Event.contact_id) == col(Contact.id),
            or_(col(Event.complaint_id).is_not(None), col(Event.callback_id).is_not(None)),
        ),
    )
    expired = select(col(Contact.id)).where(col(Contact.started_at) < cutoff, ~still_linked)
    counts["events"] += _count(session, delete(Event).where(col(Event.contact_id).in_(expired)))
    counts["contacts"] += _count(session, delete(Contact).where(col(Contact.id).in_(expired)))


def purge_loose_events(*, session: Session, cutoff: datetime, counts: dict[str, int]) -> None:
    """Events tied to no complaint, callback or contact, older than ``cutoff``."""
    counts["events"] += _count(
        session,
        delete(Event).where(
            col(Event.complaint_id).is_(None),
            col(Event.callback_id).is_(None),
            col(Event.contact_id).is_(None),
            col(Event.at) < cutoff,
        ),
    )


def purge_applied_writes(*, session: Session, cutoff: datetime, counts: dict[str, int]) -> None:
    """Idempotency keys of writes applied before ``cutoff``: no replay may still need them
    (the replay refuses journal entries made before it, services/journal/replay.py)."""
    statement = delete(AppliedWrite).where(col(AppliedWrite.applied_at) < cutoff)
    counts["applied_writes"] += _count(session, statement)


def purge_drafts(*, session: Session, cutoff: datetime, counts: dict[str, int]) -> None:
    """Drafts last saved before ``cutoff`` (they hold what was typed about customers)."""
    counts["drafts"] += _count(session, delete(Draft).where(col(Draft.updated_at) < cutoff))


def _complaint_since(cutoff: datetime, *where: ColumnElement[bool]) -> ColumnElement[bool]:
    """A complaint that is open, or was registered or closed at or after ``cutoff``."""
    return exists().where(
        *where,
        or_(
            col(Complaint.status) != _CLOSED,
            col(Complaint.registered_at) >= cutoff,
            col(Complaint.closed_at) >= cutoff,
        ),
    )


def customer_candidates(*, session: Session, cutoff: datetime) -> list[int]:
    """Customers whose data has expired: last contacted (else first seen) before ``cutoff``
    and with no contact, complaint, callback or parcel since (nor an open complaint or
    pending callback).

    Asked before the service records go, so the activity they show still counts.
    """
    customer = col(Customer.id)
    query = select(col(Customer.id)).where(
        func.coalesce(col(Customer.last_contact_at), col(Customer.created_at)) < cutoff,
        ~exists().where(col(Contact.customer_id) == customer, col(Contact.started_at) >= cutoff),
        ~_complaint_since(cutoff, col(Complaint.customer_id) == customer),
        ~exists().where(
            col(Callback.customer_id) == customer,
            or_(
                col(Callback.status) == _PENDING,
                func.coalesce(col(Callback.done_at), col(Callback.created_at)) >= cutoff,
            ),
        ),
        ~exists().where(col(Parcel.customer_id) == customer, col(Parcel.created_at) >= cutoff),
    )
    return list(session.execute(query).scalars())


def parcel_candidates(*, session: Session, cutoff: datetime) -> list[int]:
    """Parcels first seen before ``cutoff`` with no contact or complaint since (nor open)."""
    parcel = col(Parcel.id)
    query = select(col(Parcel.id)).where(
        col(Parcel.created_at) < cutoff,
        ~exists().where(col(Contact.parcel_id) == parcel, col(Contact.started_at) >= cutoff),
        ~_complaint_since(cutoff, col(Complaint.parcel_id) == parcel),
    )
    return list(session.execute(query).scalars())


def keep_last_contacts(*, session: Session, cutoff: datetime) -> int:
    """Write on each customer the newest activity of their service records that ended
    before ``cutoff`` (those the purge is about to destroy), where it is later than what
    the customer row holds: once the records are gone, retention still counts from their
    last contact, not from when they were first seen. Returns how many customers moved."""
    latest: dict[int, datetime] = {}
    for query in (
        select(col(Contact.customer_id), func.max(col(Contact.started_at)))
        .where(col(Contact.customer_id).is_not(None), col(Contact.started_at) < cutoff)
        .group_by(col(Contact.customer_id)),
        select(col(Complaint.customer_id), func.max(col(Complaint.closed_at)))
        .where(col(Complaint.status) == _CLOSED, col(Complaint.closed_at) < cutoff)
        .group_by(col(Complaint.customer_id)),
        select(
            col(Callback.customer_id),
            func.max(func.coalesce(Callback.done_at, Callback.created_at)),
        )
        .where(
            col(Callback.status) != _PENDING,
            func.coalesce(Callback.done_at, Callback.created_at) < cutoff,
        )
        .group_by(col(Callback.customer_id)),
    ):
        for customer_id, at in session.execute(query):
            if at is not None and (customer_id not in latest or at > latest[customer_id]):
                latest[customer_id] = at
    if not latest:
        return 0
    table = table_of(Customer)
    later = (
        update(table)
        .where(
            table.c.id == bindparam("customer"),
            or_(table.c.last_contact_at.is_(None), table.c.last_contact_at < bindparam("at")),
        )
        .values(last_contact_at=bindparam("at"))
    )
    rows = [{"customer": customer, "at": at} for customer, at in latest.items()]
    result = session.connection().execute(later, rows)
    return result.rowcount or 0


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def purge_parcels(*, session: Session, candidates: Sequence[int], counts: dict[str, int]) -> None:
    """The candidate parcels no remaining contact or complaint points at."""
    unreferenced = and_(
        ~exists().where(col(Contact.parcel_id) == col(Parcel.id)),
        ~exists().where(col(Complaint.parcel_id) == col(Parcel.id)),
    )
    for chunk in _chunks(candidates):
        going = select(col(Parcel.id)).where(col(Parcel.id).in_(chunk), unreferenced)
        session.execute(delete(ParcelHub).where(col(ParcelHub.parcel_id).in_(going)))
        counts["parcels"] += _count(
            session, delete(Parcel).where(col(Parcel.id).in_(chunk), unreferenced)
        )


def purge_customers(*, session: Session, candidates: Sequence[int], counts: dict[str, int]) -> None:
    """The candidate customers no remaining record points at."""
    customer = col(Customer.id)
    unreferenced = and_(
        ~exists().where(col(Contact.customer_id) == customer),
        ~exists().where(col(Complaint.customer_id) == customer),
        ~exists().where(col(Callback.customer_id) == customer),
        ~exists().where(col(Parcel.customer_id) == customer),
    )
    for chunk in _chunks(candidates):
        counts["customers"] += _count(
            session, delete(Customer).where(customer.in_(chunk), unreferenced)
        )
