"""Every table of cs_console.

Enums are stored as short strings guarded by named CHECK constraints (PITFALLS.md), money as
integer fen, times as timezone-aware UTC. Personal data (names, phones, addresses, ID
numbers) lives only in ``customers``, sealed with AES-256-GCM (storage/sealing.py); lookups
go through ``phone_key``, a keyed hash, and only storage/customers.py reads or writes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from cs_console.domain.enums import (
    Approval,
    AttemptOutcome,
    AuditAction,
    CallbackKind,
    CallbackStatus,
    Category,
    Channel,
    ComplaintStatus,
    ContactType,
    Role,
    Severity,
)
from cs_console.domain.incidents import IncidentKind, IncidentStatus, IssueDimension

OPEN_CONDITION = "status <> 'closed'"  # the partial index of open complaints (exact text)
HANDED_OVER_CONDITION = "kind = 'handed_over'"  # the partial index of hand-overs (exact text)


def _one_of(column: str, enum: type, name: str) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name)


def _utc(nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (_one_of("role", Role, "ck_users_role"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    agent_no: str = Field(max_length=20, unique=True)  # 工号
    role: str = Field(max_length=20)
    team: str = Field(default="", max_length=50)
    outlet: str = Field(default="", max_length=50)
    password_hash: str = Field(max_length=300)
    password_changed_at: datetime = Field(sa_column=_utc())
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    active: bool = True
    created_at: datetime = Field(sa_column=_utc())
    # The data key wrapped with this person's password-derived key; "" = no access yet.
    wrapped_data_key: str = Field(default="", max_length=200)


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    id: int | None = Field(default=None, primary_key=True)
    phone_key: str = Field(max_length=100, unique=True)  # HMAC-SHA256 of the E.164 number
    # Sealed (base64 of nonce, ciphertext, tag): room for the longest clear value allowed
    # (storage.customers.MAX_CHARS) in 4-byte UTF-8.
    name: str = Field(default="", max_length=1200)
    phone: str = Field(max_length=100)
    address: str = Field(default="", max_length=2800)
    created_at: datetime = Field(sa_column=_utc())
    id_number: str = Field(default="", max_length=100)  # 身份证号, sealed
    # Their latest contact, complaint or callback (retention counts from it, storage.retention).
    last_contact_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class Parcel(SQLModel, table=True):
    __tablename__ = "parcels"

    id: int | None = Field(default=None, primary_key=True)
    tracking_no: str = Field(max_length=30, unique=True)
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    route: str = Field(default="", max_length=100)
    hub: str = Field(default="", max_length=100)
    outlet: str = Field(default="", max_length=50)
    batch: str = Field(default="", max_length=50)
    created_at: datetime = Field(sa_column=_utc())


class Contact(SQLModel, table=True):
    """One call, chat or counter visit."""

    __tablename__ = "contacts"
    __table_args__ = (
        _one_of("channel", Channel, "ck_contacts_channel"),
        CheckConstraint(
            "contact_type IS NULL OR contact_type IN ("
            + ", ".join(f"'{m.value}'" for m in ContactType)
            + ")",
            name="ck_contacts_type",
        ),
        # Also covers the measures per agent (answered in time, first-contact resolution).
        Index(
            "ix_contacts_agent_started",
            "agent_id",
            "started_at",
            "channel",
            "answered_at",
            "ended_at",
        ),
        Index("ix_contacts_customer_started", "customer_id", "started_at"),
        # The same by start time first: the overview counts today's contacts of everyone,
        # and PostgreSQL (before 18) cannot skip-scan the index above agent by agent.
        Index(
            "ix_contacts_started",
            "started_at",
            "agent_id",
            "channel",
            "answered_at",
            "ended_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="users.id")
    customer_id: int | None = Field(default=None, foreign_key="customers.id")
    parcel_id: int | None = Field(default=None, foreign_key="parcels.id", index=True)
    channel: str = Field(max_length=20)
    contact_type: str | None = Field(default=None, max_length=20)
    started_at: datetime = Field(sa_column=_utc())
    answered_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    ended_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    notes: str = Field(default="", max_length=4000)
    outcome: str = Field(default="", max_length=1000)


class Complaint(SQLModel, table=True):
    __tablename__ = "complaints"
    __table_args__ = (
        _one_of("category", Category, "ck_complaints_category"),
        _one_of("severity", Severity, "ck_complaints_severity"),
        _one_of("status", ComplaintStatus, "ck_complaints_status"),
        _one_of("channel", Channel, "ck_complaints_channel"),
        _one_of("approval_status", Approval, "ck_complaints_approval_status"),
        Index("ix_complaints_owner_status", "owner_id", "status"),
        Index("ix_complaints_customer_status", "customer_id", "status"),
        Index("ix_complaints_parcel_status", "parcel_id", "status"),
        Index("ix_complaints_status_registered", "status", "registered_at"),
        UniqueConstraint("import_key", name="uq_complaints_import_key"),
        Index("ix_complaints_responsible_registered", "responsible_agent_id", "registered_at"),
        # The overview reads open complaints only: a partial index finds them without the
        # closed million (SQLite's statistics would otherwise scan the table).
        Index(
            "ix_complaints_open",
            "owner_id",
            "severity",
            "status",
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
        # Measures and the monthly report count outcomes by registration time, index only.
        Index(
            "ix_complaints_registered_outcome",
            "registered_at",
            "verified_at",
            "closed_at",
            "verify_due",
            "owner_id",
        ),
        # First-contact resolution asks, per contact, whether a complaint was left open.
        Index("ix_complaints_contact_resolved", "contact_id", "resolved_at"),
        # Mass-complaint detection counts one category's complaints of the last hour.
        Index("ix_complaints_category_registered", "category", "registered_at"),
        # The outlet counter lists its outlet's newest complaints (a small outlet's few
        # would otherwise be found by reading every complaint).
        Index("ix_complaints_outlet_id", "outlet", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=30, unique=True)
    # Found by ix_complaints_contact_resolved (it leads with contact_id), so deleting
    # contacts (the purge) need not scan every complaint.
    contact_id: int | None = Field(default=None, foreign_key="contacts.id")
    customer_id: int = Field(foreign_key="customers.id")
    parcel_id: int = Field(foreign_key="parcels.id")
    category: str = Field(max_length=20)
    severity: str = Field(max_length=20)
    severity_reasons: str = Field(default="", max_length=100)
    severity_override: str = Field(default="", max_length=500)
    status: str = Field(max_length=20)
    channel: str = Field(max_length=20)
    outlet: str = Field(default="", max_length=50)
    description: str = Field(max_length=10000)
    request: str = Field(max_length=10000)
    days_late: int = 0
    declared_value_fen: int = 0
    insured: bool = False
    insured_amount_fen: int = 0
    shipping_fee_fen: int = 0
    item_damaged: bool = False
    repairable: bool = False
    repeat_of: str | None = Field(default=None, max_length=30)
    owner_id: int = Field(foreign_key="users.id")
    registered_at: datetime = Field(sa_column=_utc(index=True))
    verify_due: datetime = Field(sa_column=_utc())
    verified_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    resolve_due: datetime = Field(sa_column=_utc())
    resolved_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    followup_due: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    followup_done_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    second_followup_due: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    compensation_kind: str = Field(default="", max_length=30)
    compensation_fen: int | None = None
    responsibility: str = Field(default="", max_length=30)
    satisfaction: int | None = None
    version: int = 1
    # A row backfilled from a paper or spreadsheet register: the hash of the normalised
    # row (services/complaint_import.py), so importing the same file twice adds nothing.
    import_key: str | None = Field(default=None, max_length=64)
    # Another person on the customer's number (NameChoice.OTHER_PERSON): their name, sealed
    # like the customer's (storage.customers), "" when the complaint is the customer's own.
    contact_name: str = Field(default="", max_length=1200)
    # The agent a complaint counts against (DOMAIN.md Measures), set with the responsibility.
    responsible_agent_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", name="fk_complaints_responsible_agent"), nullable=True
        ),
    )
    # A resolution the customer accepted that offers more than the policy suggests
    # (domain.compensation.needs_approval): held, with its reason, until a supervisor other
    # than its proposer approves it; only then does it count as agreed.
    approval_status: str = Field(default="", max_length=20)  # domain.enums.Approval
    approval_reason: str = Field(default="", max_length=500)
    proposed_kind: str = Field(default="", max_length=30)
    proposed_fen: int | None = None
    proposed_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", name="fk_complaints_proposed_by"), nullable=True
        ),
    )


class Callback(SQLModel, table=True):
    __tablename__ = "callbacks"
    __table_args__ = (
        _one_of("kind", CallbackKind, "ck_callbacks_kind"),
        _one_of("status", CallbackStatus, "ck_callbacks_status"),
        Index("ix_callbacks_owner_status_due", "owner_id", "status", "due_at"),
        Index("ix_callbacks_customer_status", "customer_id", "status"),
        Index("ix_callbacks_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaints.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    owner_id: int = Field(foreign_key="users.id")
    due_at: datetime = Field(sa_column=_utc())
    attempts: int = 0
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(sa_column=_utc())
    done_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    # The incident (disaster, outage, mass complaint) that queued it: queued once per customer.
    incident_id: int | None = Field(default=None, foreign_key="incidents.id", index=True)
    # The number to dial when the customer's was wrong and the right one was given (sealed
    # like customers.phone, under its own associated data); "" dials the customer's.
    phone: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})


class CallbackAttempt(SQLModel, table=True):
    __tablename__ = "callback_attempts"
    __table_args__ = (
        _one_of("outcome", AttemptOutcome, "ck_callback_attempts_outcome"),
        Index("ix_callback_attempts_at", "at", "actor_id", "satisfaction"),
    )

    id: int | None = Field(default=None, primary_key=True)
    callback_id: int = Field(foreign_key="callbacks.id", index=True)
    actor_id: int = Field(foreign_key="users.id")
    at: datetime = Field(sa_column=_utc())
    outcome: str = Field(max_length=20)
    satisfaction: int | None = None
    note: str = Field(default="", max_length=1000)
    # An outcome taken back within the policy's undo window: kept, marked, and not counted.
    undone_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    # What the attempt changed, as JSON, so that the undo can put it back.
    prior: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Event(SQLModel, table=True):
    """Append-only history: every change to a complaint, callback or contact.

    The largest id doubles as the cheap change marker other consoles poll.
    """

    __tablename__ = "events"
    __table_args__ = (
        # The hand-overs of a complaint: the monthly report asks, for every complaint whose
        # verify clock ran out, whether it was handed over (a few in a hundred were).
        Index(
            "ix_events_handed_over",
            "complaint_id",
            sqlite_where=text(HANDED_OVER_CONDITION),
            postgresql_where=text(HANDED_OVER_CONDITION),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_utc())
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaints.id", index=True)
    callback_id: int | None = Field(default=None, foreign_key="callbacks.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    kind: str = Field(max_length=40)
    detail: str = Field(default="{}", max_length=20000)  # JSON


class Draft(SQLModel, table=True):
    """What a person is typing, saved as they type, one per person and form."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_drafts_user_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(max_length=30)
    payload: str = Field(max_length=100000)  # JSON
    updated_at: datetime = Field(sa_column=_utc())


class ReferenceCounter(SQLModel, table=True):
    """Per-day sequence behind complaint references C-YYYYMMDD-NNNN."""

    __tablename__ = "reference_counters"

    day: str = Field(primary_key=True, max_length=8)
    last: int = 0


class AuditEntry(SQLModel, table=True):
    """The audit trail (信息安全): logins, reveals, exports, hand-overs, purges, accounts.

    Append-only and hash-chained (storage/audit.py): each row's ``hash`` covers its content
    and ``prev_hash``, the previous row's hash. Ids are handed out by the writer from
    ``audit_head`` (no sequence), so they have no gaps and a missing id means a deleted row.
    ``detail`` never holds customers' personal data: this table is never purged.
    """

    __tablename__ = "audit_log"
    __table_args__ = (_one_of("action", AuditAction, "ck_audit_log_action"),)

    id: int | None = Field(
        default=None, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    at: datetime = Field(sa_column=_utc())
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=20)
    target: str = Field(max_length=200)  # "complaint:C-20261122-0001", "user:wangfang"
    detail: str = Field(default="{}", max_length=20000)  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The newest audit entry (one row): deleting the newest entries is detected too."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="ck_audit_head_single_row"),)

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_id: int = 0
    last_hash: str = Field(max_length=64)


class DataKeyRecord(SQLModel, table=True):
    """The database's data key, never in clear: its fingerprint tells that one exists (and
    which), and the recovery key printed once at ``init`` wraps it."""

    __tablename__ = "data_keys"
    __table_args__ = (UniqueConstraint("fingerprint", name="uq_data_keys_fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64)
    recovery_wrapped: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=_utc())


class LoginSession(SQLModel, table=True):
    """A remembered login: the token lives in the person's OS keyring, only its hash here,
    with the data key wrapped by a key derived from the token; valid for one shift."""

    __tablename__ = "login_sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_login_sessions_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64)
    wrapped_data_key: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=_utc())
    expires_at: datetime = Field(sa_column=_utc())


class AppliedWrite(SQLModel, table=True):
    """A write replayed from a console's outage journal, by its idempotency key.

    Inserted in the same transaction as the write itself, so a replay that crashed after
    the commit finds the key here and never applies the write twice; ``result`` holds what
    the write returned (a contact id, a complaint's reference) as JSON for the journal.
    """

    __tablename__ = "applied_writes"
    __table_args__ = (UniqueConstraint("key", name="uq_applied_writes_key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=36)
    operation: str = Field(max_length=40)
    applied_at: datetime = Field(sa_column=_utc())
    result: str = Field(default="null", max_length=400)


class AgentRating(SQLModel, table=True):
    """The supervisor's 40 % of an agent's monthly score: attitude and rule compliance."""

    __tablename__ = "agent_ratings"
    __table_args__ = (
        UniqueConstraint("agent_id", "month", name="uq_agent_ratings_agent_month"),
        CheckConstraint("attitude BETWEEN 0 AND 100", name="ck_agent_ratings_attitude"),
        CheckConstraint("compliance BETWEEN 0 AND 100", name="ck_agent_ratings_compliance"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="users.id")
    month: str = Field(max_length=7)  # "2026-11"
    attitude: int
    compliance: int
    rated_by: int = Field(foreign_key="users.id")
    rated_at: datetime = Field(sa_column=_utc())


class Incident(SQLModel, table=True):
    """A declared incident (应急): a mass complaint, a natural disaster or a system outage.

    Mass complaints carry their issue (category, dimension, value) and the 48 h clock
    (``close_due``); disasters their regions (one per line) and expected delay in days;
    outages their start and end.
    """

    __tablename__ = "incidents"
    __table_args__ = (
        _one_of("kind", IncidentKind, "ck_incidents_kind"),
        _one_of("status", IncidentStatus, "ck_incidents_status"),
        Index("ix_incidents_status_kind", "status", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    category: str = Field(default="", max_length=20)
    dimension: str = Field(default="", max_length=20)
    value: str = Field(default="", max_length=100)
    regions: str = Field(default="", max_length=2000)
    delay_days: int = 0
    started_at: datetime = Field(sa_column=_utc())
    ended_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    close_due: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    declared_by: int = Field(foreign_key="users.id")
    ended_by: int | None = Field(default=None, foreign_key="users.id")


class MassAlert(SQLModel, table=True):
    """A mass-complaint alert: more complaints about one issue in an hour than the policy allows.

    ``open_key`` holds the issue's key while the alert is open (NULL once dismissed or its
    incident ended); being unique, it makes one open alert per issue however many consoles
    register at once.
    """

    __tablename__ = "mass_alerts"
    __table_args__ = (
        _one_of("dimension", IssueDimension, "ck_mass_alerts_dimension"),
        UniqueConstraint("open_key", name="uq_mass_alerts_open_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    open_key: str | None = Field(default=None, max_length=200)
    category: str = Field(max_length=20)
    dimension: str = Field(max_length=20)
    value: str = Field(max_length=100)
    count: int = 0  # complaints in the window at the latest matching registration
    fired_at: datetime = Field(sa_column=_utc())
    last_at: datetime = Field(sa_column=_utc())
    incident_id: int | None = Field(default=None, foreign_key="incidents.id")
    closed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class IncidentComplaint(SQLModel, table=True):
    """A complaint linked to a mass-complaint incident."""

    __tablename__ = "incident_complaints"
    __table_args__ = (
        UniqueConstraint("incident_id", "complaint_id", name="uq_incident_complaints_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incidents.id")
    complaint_id: int = Field(foreign_key="complaints.id", index=True)
    linked_at: datetime = Field(sa_column=_utc())
    linked_by: int | None = Field(default=None, foreign_key="users.id")
