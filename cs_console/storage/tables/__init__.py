"""Every table of cs_console, one module per aggregate, all registered on
``SQLModel.metadata`` when this package is imported (Alembic's env.py relies on it).

Enums are stored as short strings guarded by named CHECK constraints (docs/pitfalls.md), money as
integer fen, times as timezone-aware UTC. Personal data (names, phones, addresses, ID
numbers) lives only in ``customers``, sealed with AES-256-GCM (storage/sealing.py); lookups
go through ``phone_key``, a keyed hash, and only storage/customers.py reads or writes them.
"""

from cs_console.storage.tables.accounts import AgentRating, DataKeyRecord, Draft, LoginSession, User
from cs_console.storage.tables.audit import AuditEntry, AuditHead
from cs_console.storage.tables.callbacks import Callback, CallbackAttempt
from cs_console.storage.tables.claims import Claim, ClaimEvidence
from cs_console.storage.tables.columns import max_chars, table_of
from cs_console.storage.tables.complaints import Complaint, ReferenceCounter
from cs_console.storage.tables.customers import Contact, Customer, Parcel, ParcelHub
from cs_console.storage.tables.events import AppliedWrite, Event
from cs_console.storage.tables.imports import ImportBatch, ImportStagedRow
from cs_console.storage.tables.incidents import Incident, IncidentComplaint, MassAlert
from cs_console.storage.tables.keys import KeyPending, KeyRotation
from cs_console.storage.tables.tracking import TrackingAnswer
from cs_console.storage.tables.work_orders import WorkOrder

__all__ = [
    "AgentRating",
    "AppliedWrite",
    "AuditEntry",
    "AuditHead",
    "Callback",
    "CallbackAttempt",
    "Claim",
    "ClaimEvidence",
    "Complaint",
    "Contact",
    "Customer",
    "DataKeyRecord",
    "Draft",
    "Event",
    "ImportBatch",
    "ImportStagedRow",
    "Incident",
    "IncidentComplaint",
    "KeyPending",
    "KeyRotation",
    "LoginSession",
    "MassAlert",
    "Parcel",
    "ParcelHub",
    "ReferenceCounter",
    "TrackingAnswer",
    "User",
    "WorkOrder",
    "max_chars",
    "table_of",
]
