"""The console's write path through outages: to the server, or into the outage journal.

The UI's workers call these instead of the use cases. While the server answers and the
journal is empty, each call is the use case itself, with its typed values (an operation of
services/journal/ops.py, sent as it is), its idempotency key recorded in the same transaction
(services/journal/once.py). When the server is unreachable (or earlier writes
still wait in the journal: order is kept), the operation is checked offline, journalled as
JSON with the time the agent made it, and answered provisionally: a contact id below zero,
a complaint reference ``C-YYYYMMDD-Pnnn`` marked pending. The replay
(services/journal/replay.py) sends them when the server is back.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from cs_console.config.paths import journal_path
from cs_console.domain.complaint_entry import ComplaintForm
from cs_console.domain.enums import AttemptOutcome, Channel, ContactType, NameChoice
from cs_console.services.callback_attempts import AttemptResult
from cs_console.services.complaints import RegisteredComplaint
from cs_console.services.context import Actor, ServiceContext, data_key_of
from cs_console.services.drafts import KeptDraft
from cs_console.services.journal.once import apply_once
from cs_console.services.journal.operation import Operation, actor_json
from cs_console.services.journal.ops import (
    EndCall,
    MarkAnswered,
    PromiseReply,
    RecordAttempt,
    RegisterComplaint,
    StartCall,
    check_offline,
)
from cs_console.services.journal.provisional import provisional_complaint
from cs_console.services.journal.store import Journal, JournalEntry
from cs_console.storage.engine import ping, server_unreachable

R = TypeVar("R")
T = TypeVar("T")


@dataclass(frozen=True)
class Written(Generic[T]):
    """A write's answer: the use case's result, or what is known while the journal keeps
    it (``entry``)."""

    result: T
    entry: JournalEntry | None = None

    @property
    def pending(self) -> bool:
        return self.entry is not None


def is_outage(error: BaseException) -> bool:
    """Whether a failed call failed because the database server is unreachable."""
    return server_unreachable(error)


def open_journal(console: ServiceContext) -> Journal:
    """The outage journal of the console's database (in the user's data directory)."""
    url = console.engine.url.render_as_string(hide_password=True)
    return Journal(journal_path(url))


class JournalledWrites:
    """Writes that survive an unreachable server; ``offline`` is the last thing learnt."""

    def __init__(self, console: ServiceContext, journal: Journal) -> None:
        self.console, self.journal = console, journal
        self.offline_since: datetime | None = None  # when the server was last found away
        self._lock = threading.Lock()  # one write decides online/journal at a time: order

    @property
    def offline(self) -> bool:
        """Whether the server was found unreachable (and has not answered since)."""
        return self.offline_since is not None

    @offline.setter
    def offline(self, offline: bool) -> None:
        if not offline:
            self.offline_since = None
        elif self.offline_since is None:
            self.offline_since = self.console.now()

    def start_call(self, actor: Actor, channel: Channel = Channel.PHONE) -> int:
        started = self._write(actor, StartCall(channel))
        return started.provisional_id if isinstance(started, JournalEntry) else started

    def mark_answered(self, actor: Actor, contact_id: int, at: datetime) -> None:
        self._write(actor, MarkAnswered(contact_id, at))

    def end_call(
        self,
        actor: Actor,
        contact_id: int,
        *,
        contact_type: ContactType | None,
        notes: str,
        outcome: str,
        phone: str = "",
        tracking_no: str = "",
        tracking_state: str = "",
    ) -> bool:
        """Store the finished contact; True when it waits in the journal."""
        ended = self._write(
            actor,
            EndCall(contact_id, contact_type, notes, outcome, phone, tracking_no, tracking_state),
        )
        return isinstance(ended, JournalEntry)

    def register_complaint(
        self,
        actor: Actor,
        form: ComplaintForm,
        *,
        contact_id: int | None = None,
        name_choice: NameChoice | None = None,
    ) -> RegisteredComplaint:
        """Register now; while the server is away, journal it (replayed with ``name_choice``,
        or keeping the stored name when none was given: services/journal/ops.py)."""
        registered = self._write(actor, RegisterComplaint(form, contact_id, name_choice))
        if isinstance(registered, JournalEntry):
            return provisional_complaint(self.console, actor, form, registered)
        return registered

    def promise_reply(
        self, actor: Actor, *, phone: str, name: str = "", contact_id: int | None = None
    ) -> Written[datetime]:
        promised = self._write(actor, PromiseReply(phone, name, contact_id))
        if isinstance(promised, JournalEntry):
            return Written(promised.at + self.console.policy.call.reply_promise, promised)
        return Written(promised)

    def record_attempt(
        self,
        actor: Actor,
        callback_id: int,
        outcome: AttemptOutcome,
        *,
        satisfaction: int | None = None,
        note: str = "",
        phone: str = "",
        reason: str = "",
    ) -> Written[AttemptResult | None]:
        """The attempt's ``AttemptResult``, or the journal entry that keeps it (no undo
        then: the undo needs the server)."""
        attempt = RecordAttempt(callback_id, outcome, satisfaction, note, phone, reason)
        recorded = self._write(actor, attempt)
        if isinstance(recorded, JournalEntry):
            return Written(None, recorded)
        return Written(recorded)

    def check_server(self) -> bool:
        """Ask the server whether it answers again (after an outage); updates ``offline``."""
        try:
            ping(self.console.engine)
        except Exception as error:
            if not server_unreachable(error):
                raise
            self.offline = True
        else:
            self.offline = False
        return not self.offline

    # -- drafts: in the database, or in the journal file while the server is away ---------

    def save_draft(self, actor: Actor, kind: str, payload: dict[str, Any] | None) -> None:
        """Keep what is typed (``None``: discard the draft), locally if the server is away."""
        from cs_console.services import drafts

        try:
            if payload is None:
                drafts.discard_draft(self.console, actor, kind)
            else:
                drafts.save_draft(self.console, actor, kind, payload)
        except Exception as error:
            if not server_unreachable(error):
                raise
            self.offline = True
            self.journal.unlock(data_key_of(actor))
            self.journal.keep_draft(actor.id, kind, payload, self.console.now())
            return
        self.journal.drop_draft(actor.id, kind)

    def load_draft(self, actor: Actor, kind: str) -> tuple[dict, datetime] | None:
        """The person's draft: the one kept locally during an outage wins (it is newer)."""
        from cs_console.services import drafts

        self.journal.unlock(data_key_of(actor))
        local = self.journal.draft(actor.id, kind)
        if local is not None:
            payload, saved_at = local
            return None if payload is None else (payload, saved_at)
        try:
            return drafts.load_draft(self.console, actor, kind)
        except Exception as error:
            if not server_unreachable(error):
                raise
            self.offline = True
            return None

    def kept_drafts(self, actor: Actor) -> list[KeptDraft]:
        """The forms kept for later, newest first. Those kept in the journal during an
        outage go to the database first; while it is away, the journal's are listed."""
        from cs_console.services import drafts

        self.journal.unlock(data_key_of(actor))
        local = {}
        for kind in self.journal.draft_kinds(actor.id, drafts.KEPT):
            found = self.journal.draft(actor.id, kind)
            if found is not None:
                local[kind] = found
        for kind, (payload, _saved_at) in local.items():
            self.save_draft(actor, kind, payload)  # to the database, or kept locally
        try:
            return drafts.kept_drafts(self.console, actor)
        except Exception as error:
            if not server_unreachable(error):
                raise
            self.offline = True
        kept = [
            drafts.KeptDraft(kind, payload, saved_at)
            for kind, (payload, saved_at) in local.items()
            if payload is not None
        ]
        return sorted(kept, key=lambda draft: draft.saved_at, reverse=True)

    # -- the decision ---------------------------------------------------------------------

    def _write(self, actor: Actor, write: Operation[R]) -> R | JournalEntry:
        """The use case's answer, or the journal entry that keeps the write."""
        key = str(uuid.uuid4())  # from the first attempt: the journal keeps the same one
        with self._lock:
            write = write.with_ids(self._known_ids(write))
            if not write.provisional_ids() and self.journal.pending_count() == 0:
                try:
                    result, _kept = apply_once(
                        self.console, actor, write, key=key, at=self.console.now()
                    )
                except Exception as error:
                    if not server_unreachable(error):
                        raise
                    # Maybe applied all the same (its COMMIT arrived, the answer did not):
                    # the replay finds the key if so.
                    self.offline = True
                else:
                    self.offline = False
                    return result
            check_offline(self.console, actor, write)
            self.journal.unlock(data_key_of(actor))
            return self.journal.append(
                write.operation, actor_json(actor), write.to_json(), self.console.now(), key=key
            )

    def _known_ids(self, write: Operation[Any]) -> dict[str, int]:
        """Provisional ids whose entries were sent meanwhile, with the real ones."""
        known = {}
        for name, provisional in write.provisional_ids().items():
            real = self.journal.real_id(provisional)
            if real is not None:
                known[name] = real
        return known
