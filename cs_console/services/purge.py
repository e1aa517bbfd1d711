"""The retention purge (docs/domain.md, "Information security"): destroy what has expired.

Service records (contacts, closed complaints with their events, callbacks and attempts,
finished callbacks, drafts) go ``retention.service_records`` after they ended; customers
and parcels ``retention.customer_data`` after their last contact, complaint or callback;
the idempotency keys of applied writes ``retention.applied_writes`` after they were
applied (the outage journal's replay refuses entries older than that).
Nothing tied to an open complaint goes (storage/retention.py says exactly what stays).

One transaction: an interrupted purge leaves the database as it was. A dry run does the
same deletes and rolls them back, so it reports exactly what a real run would destroy.
A real run appends a ``purge`` entry to the audit trail with the counts per table and the
first and last complaint reference destroyed: what was destroyed, never the data itself.

A customer is kept ``customer_data`` from their last contact, not their first: each
contact, complaint or reply promise writes it on the customer (storage.customers), and
before service records go the purge writes their newest activity there too, so a customer
whose records an earlier purge destroyed still counts from when they were last in touch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from cs_console.domain.enums import AuditAction
from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, ServiceContext, require
from cs_console.services.import_publish import discard_abandoned
from cs_console.storage import retention
from cs_console.storage.audit import append_audit
from cs_console.storage.engine import write_session

# In the order they are reported.
TABLES = (
    "customers",
    "parcels",
    "contacts",
    "complaints",
    "callbacks",
    "callback_attempts",
    "events",
    "drafts",
    "applied_writes",
)

Progress = Callable[[str, int, int], None]  # (stage, steps done, steps in all)


@dataclass(frozen=True)
class PurgeReport:
    """What a purge destroyed (or, for a dry run, would destroy)."""

    dry_run: bool
    at: datetime
    service_cutoff: datetime  # service records that ended before this went
    customer_cutoff: datetime  # customers and parcels idle since before this went
    counts: dict[str, int] = field(default_factory=dict)  # per table, every table in TABLES
    first_reference: str | None = None  # complaint references destroyed, by registration
    last_reference: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict[str, Any]:
        """The summary, as ``cs-console purge`` prints it and the audit entry holds it."""
        return {
            "dry_run": self.dry_run,
            "at": self.at.isoformat(),
            "service_cutoff": self.service_cutoff.isoformat(),
            "customer_cutoff": self.customer_cutoff.isoformat(),
            "counts": dict(self.counts),
            "total": self.total,
            "first_reference": self.first_reference,
            "last_reference": self.last_reference,
        }


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back, carrying its report."""

    def __init__(self, report: PurgeReport) -> None:
        super().__init__("dry run")
        self.report = report


def purge(
    console: ServiceContext, actor: Actor, *, dry_run: bool, progress: Progress | None = None
) -> PurgeReport:
    """Destroy the records the retention policy says have expired; administrators only."""
    require(actor, Action.PURGE)
    if not dry_run:
        discard_abandoned(console)  # a stopped import's staged rows (not a record: no count)
    now = console.now()
    service_cutoff = now - console.policy.retention.service_records
    customer_cutoff = now - console.policy.retention.customer_data
    counts = dict.fromkeys(TABLES, 0)
    try:
        with write_session(console.engine) as session:
            # Asked first: the service records about to go still show recent activity.
            customers = retention.customer_candidates(session=session, cutoff=customer_cutoff)
            parcels = retention.parcel_candidates(session=session, cutoff=customer_cutoff)
            first, last = retention.expired_reference_range(session=session, cutoff=service_cutoff)
            retention.keep_last_contacts(session=session, cutoff=service_cutoff)
            expired = (
                ("complaints", retention.purge_closed_complaints),
                ("callbacks", retention.purge_finished_callbacks),
                ("contacts", retention.purge_contacts),
                ("events", retention.purge_loose_events),
                ("drafts", retention.purge_drafts),
            )
            keys = retention.purge_applied_writes  # keys no replay may still need
            idle = (
                ("parcels", retention.purge_parcels, parcels),
                ("customers", retention.purge_customers, customers),
            )
            steps: tuple[tuple[str, Callable[[], None]], ...] = tuple(
                (stage, partial(step, session=session, cutoff=service_cutoff, counts=counts))
                for stage, step in expired
            ) + tuple(
                (stage, partial(step, session=session, candidates=candidates, counts=counts))
                for stage, step, candidates in idle
            )
            keys_cutoff = now - console.policy.retention.applied_writes
            steps += (
                (
                    "applied_writes",
                    partial(keys, session=session, cutoff=keys_cutoff, counts=counts),
                ),
            )
            for done, (stage, work) in enumerate(steps):
                if progress is not None:
                    progress(stage, done, len(steps))
                work()
            if progress is not None:
                progress(steps[-1][0], len(steps), len(steps))
            report = PurgeReport(dry_run, now, service_cutoff, customer_cutoff, counts, first, last)
            if dry_run:
                raise _DryRun(report)
            summary = report.as_json()
            append_audit(
                session=session,
                at=now,
                actor_id=actor.id,
                action=AuditAction.PURGE,
                target="retention",
                key=actor.data_key,
                counts=summary["counts"],
                first_reference=first,
                last_reference=last,
                service_cutoff=summary["service_cutoff"],
                customer_cutoff=summary["customer_cutoff"],
            )
    except _DryRun as rolled_back:
        return rolled_back.report
    return report
