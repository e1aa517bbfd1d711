"""Replaying the outage journal once the database server answers again.

Entries are read back into their operations (services/journal/ops.py, the table online
writes go through too) and sent in the order they were made, each in one transaction with
its idempotency key (``applied_writes``): if the console dies after the server committed an
entry but before the journal marked it sent, the next replay finds the key and takes the
stored result instead of writing again. Each entry runs with the clock stopped at the
time the agent made it, so a complaint's clocks count from when it was typed. Before the
first entry of an outage is sent, one ``outage_callbacks`` entry per agent is journalled:
the customers who made contact meanwhile get a callback due after the recovery (not those
of an outlet's walk-ins: outlet staff hold no callbacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from cs_console.services.context import ServiceContext, ServiceError
from cs_console.services.journal.once import apply_once
from cs_console.services.journal.operation import Operation, actor_of, owns_callbacks
from cs_console.services.journal.ops import OPERATIONS, OutageCallbacks, RegisterComplaint
from cs_console.services.journal.provisional import provisional_reference
from cs_console.services.journal.store import Journal, JournalEntry
from cs_console.storage.applied_writes import NOT_APPLIED, applied_result
from cs_console.storage.engine import ping, read_session, server_unreachable
from cs_console.storage.sealing import DataKey

EXPIRED = "journal_entry_expired"  # older than the applied writes' keys are kept


@dataclass(frozen=True)
class SentWrite:
    """An entry the server applied (or refused: ``error`` is an i18n error code);
    ``provisional`` is the reference a complaint went by while it waited."""

    seq: int
    operation: str
    result: Any
    error: str = ""
    provisional: str = ""


@dataclass
class ReplayReport:
    """What one replay did; ``unreachable`` when the server went away (again) meanwhile."""

    sent: list[SentWrite] = field(default_factory=list)
    failed: list[SentWrite] = field(default_factory=list)
    unreachable: bool = False

    @property
    def references(self) -> list[str]:
        """The real references of the complaints sent."""
        registered = RegisterComplaint.operation
        return [s.result["reference"] for s in self.sent if s.operation == registered]


def replay_journal(
    console: ServiceContext, journal: Journal, data_key: DataKey | None
) -> ReplayReport:
    """Send every pending entry, oldest first, exactly once; stop when the server is away.

    ``data_key`` is the signed-in person's: the journal never holds it.
    """
    report = ReplayReport()
    if data_key is not None:
        journal.unlock(data_key)
    if journal.pending_count() == 0:
        return report
    try:
        ping(console.engine)
    except Exception as error:
        if not server_unreachable(error):
            raise
        report.unreachable = True
        return report
    _journal_outage_callbacks(console, journal)
    while batch := journal.pending():
        for entry in batch:
            if entry.refused:  # changed in the file, or never authenticated: not sent
                _refuse(console, journal, report, entry, entry.refused)
                continue
            if entry.at < console.now() - console.policy.retention.applied_writes:
                # Its key may have been purged: applied already or not, nobody can tell.
                _refuse(console, journal, report, entry, EXPIRED)
                continue
            try:
                result = _send_once(console, journal, entry, data_key)
            except Exception as error:
                if server_unreachable(error):
                    report.unreachable = True
                    return report
                code = error.code if isinstance(error, ServiceError) else "replay_failed"
                _refuse(console, journal, report, entry, code)
                continue
            journal.mark_sent(entry.seq, result, console.now())
            if entry.operation != OutageCallbacks.operation:
                report.sent.append(
                    SentWrite(entry.seq, entry.operation, result, "", _provisional(console, entry))
                )
    return report


def _refuse(
    console: ServiceContext, journal: Journal, report: ReplayReport, entry: JournalEntry, code: str
) -> None:
    """Refused (or a fault of ours): reported, never retried, kept in the file."""
    journal.mark_failed(entry.seq, code, console.now())
    report.failed.append(
        SentWrite(entry.seq, entry.operation, entry.args, code, _provisional(console, entry))
    )


def _journal_outage_callbacks(console: ServiceContext, journal: Journal) -> None:
    """Journal the outage's callbacks: the phones of entries since the last such entry."""
    entries = journal.entries()
    last = max((e.seq for e in entries if e.operation == OutageCallbacks.operation), default=0)
    phones: dict[int, tuple[dict, list[str]]] = {}
    for entry in entries:
        if entry.seq <= last or entry.status != "pending" or entry.refused:
            continue
        phone = OPERATIONS[entry.operation].from_json(entry.args).caller_phone()
        if phone and owns_callbacks(entry.actor):
            phones.setdefault(entry.actor["id"], (entry.actor, []))[1].append(phone)
    recovered = console.now()
    for actor, numbers in phones.values():
        callbacks = OutageCallbacks(tuple(numbers))
        journal.append(callbacks.operation, actor, callbacks.to_json(), recovered)


def _provisional(console: ServiceContext, entry: JournalEntry) -> str:
    if entry.operation != RegisterComplaint.operation:
        return ""
    return provisional_reference(entry, console.zone)


def _send_once(
    console: ServiceContext, journal: Journal, entry: JournalEntry, data_key: DataKey | None
) -> Any:
    """Apply one entry with its key in the same transaction, or return the stored result."""
    write = _with_real_ids(journal, OPERATIONS[entry.operation].from_json(entry.args))
    with read_session(console.engine) as session:
        done = applied_result(session=session, key=entry.key)
    if done is not NOT_APPLIED:
        return done
    at_the_time = replace(console, clock=lambda: entry.at)
    try:
        _result, kept = apply_once(
            at_the_time, actor_of(entry.actor, data_key), write, key=entry.key, at=console.now()
        )
    except IntegrityError:  # another replay of this journal applied it meanwhile
        with read_session(console.engine) as session:
            done = applied_result(session=session, key=entry.key)
        if done is NOT_APPLIED:
            raise
        return done
    return kept


def _with_real_ids(journal: Journal, write: Operation[Any]) -> Operation[Any]:
    """The write with the server's ids for what earlier entries created, as the replay
    sends it."""
    real_ids = {}
    for name, provisional in write.provisional_ids().items():
        real = journal.real_id(provisional)
        if real is None:  # what it refers to was refused: so is this
            raise ServiceError(f"no_such_{name.removesuffix('_id')}")
        real_ids[name] = real
    return write.with_ids(real_ids).at_replay()
