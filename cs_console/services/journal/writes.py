"""The console's write path through outages: to the server, or into the outage journal.

The UI's workers call these instead of the use cases. While the server answers and the
journal is empty, each call is the use case itself. When the server is unreachable (or
earlier writes still wait in the journal: order is kept), the call is checked offline,
journalled with the time the agent made it, and answered provisionally: a contact id
below zero, a complaint reference ``C-YYYYMMDD-Pnnn`` marked pending. The replay
(services/journal/replay.py) sends them when the server is back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cs_console.config.paths import journal_path
from cs_console.domain.classification import classify
from cs_console.domain.clocks import initial_clocks
from cs_console.domain.compensation import suggest_compensation
from cs_console.domain.complaint_entry import ComplaintForm, check_complaint_form
from cs_console.domain.enums import AttemptOutcome, Channel, ContactType, NameChoice, Role
from cs_console.services.callback_attempts import AttemptResult
from cs_console.services.complaints import RegisteredComplaint
from cs_console.services.context import Actor, ServiceContext, data_key_of
from cs_console.services.drafts import KeptDraft
from cs_console.services.journal.ops import (
    ID_ARGS,
    OPERATIONS,
    actor_json,
    check_offline,
    form_json,
    provisional_reference,
)
from cs_console.services.journal.store import Journal, JournalEntry
from cs_console.storage.engine import ping, server_unreachable


@dataclass(frozen=True)
class Written:
    """A write's answer: the use case's result, or the journal entry that keeps it."""

    result: Any
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
        self.offline = False
        self._lock = threading.Lock()  # one write decides online/journal at a time: order

    def start_call(self, actor: Actor, channel: Channel = Channel.PHONE) -> int:
        written = self._write("start_call", actor, {"channel": channel.value})
        return written.entry.provisional_id if written.entry else written.result["id"]

    def mark_answered(self, actor: Actor, contact_id: int, at: datetime) -> None:
        self._write("mark_answered", actor, {"contact_id": contact_id, "at": at.isoformat()})

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
    ) -> bool:
        """Store the finished contact; True when it waits in the journal."""
        args = {
            "contact_id": contact_id,
            "contact_type": contact_type.value if contact_type else "",
            "notes": notes,
            "outcome": outcome,
            "phone": phone,
            "tracking_no": tracking_no,
        }
        return self._write("end_call", actor, args).pending

    def register_complaint(
        self,
        actor: Actor,
        form: ComplaintForm,
        *,
        contact_id: int | None = None,
        name_choice: NameChoice | None = None,
    ) -> RegisteredComplaint:
        """Register now; while the server is away, journal it (replayed with ``name_choice``,
        or keeping the stored name when none was given: services.journal.ops)."""
        args = {
            "form": form_json(form),
            "contact_id": contact_id,
            "name_choice": name_choice.value if name_choice else None,
        }
        written = self._write("register_complaint", actor, args)
        if written.entry is None:
            return written.result["registered"]
        return self._provisional_complaint(actor, form, written.entry)

    def promise_reply(
        self, actor: Actor, *, phone: str, name: str = "", contact_id: int | None = None
    ) -> Written:
        args = {"phone": phone, "name": name, "contact_id": contact_id, "note": ""}
        written = self._write("promise_reply", actor, args)
        if written.entry is not None:
            due = written.entry.at + self.console.policy.call.reply_promise
            return Written(due, written.entry)
        return Written(datetime.fromisoformat(written.result["due"]))

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
    ) -> Written:
        """The attempt's ``AttemptResult``, or the journal entry that keeps it (no undo
        then: the undo needs the server)."""
        args = {
            "callback_id": callback_id,
            "outcome": outcome.value,
            "satisfaction": satisfaction,
            "note": note,
            "phone": phone,
            "reason": reason,
        }
        written = self._write("record_attempt", actor, args)
        if written.entry:
            return Written(None, written.entry)
        return Written(AttemptResult.from_json(written.result))

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

    def _write(self, operation: str, actor: Actor, args: dict[str, Any]) -> Written:
        with self._lock:
            args = self._known_ids(args)
            provisional = any((args.get(name) or 0) < 0 for name in ID_ARGS)
            if not provisional and self.journal.pending_count() == 0:
                try:
                    result = self._send(operation, actor, args)
                except Exception as error:
                    if not server_unreachable(error):
                        raise
                    self.offline = True
                else:
                    self.offline = False
                    return Written(result)
            check_offline(self.console, actor, operation, args)
            self.journal.unlock(data_key_of(actor))
            entry = self.journal.append(operation, actor_json(actor), args, self.console.now())
            return Written(None, entry)

    def _send(self, operation: str, actor: Actor, args: dict[str, Any]) -> Any:
        if operation == "register_complaint":  # the UI wants the whole registration
            from cs_console.services.complaints import register_complaint

            choice = args.get("name_choice")
            registered = register_complaint(
                self.console,
                actor,
                ComplaintForm(**args["form"]),
                contact_id=args["contact_id"],
                name_choice=NameChoice(choice) if choice else None,
            )
            return {"registered": registered}
        return OPERATIONS[operation].send(self.console, actor, args)

    def _known_ids(self, args: dict[str, Any]) -> dict[str, Any]:
        """Provisional ids whose entries were sent meanwhile, replaced by the real ones."""
        mapped = dict(args)
        for name in ID_ARGS:
            value = args.get(name)
            if value is not None and value < 0:
                real = self.journal.real_id(value)
                mapped[name] = real if real is not None else value
        return mapped

    def _provisional_complaint(
        self, actor: Actor, form: ComplaintForm, entry: JournalEntry
    ) -> RegisteredComplaint:
        """What the console can tell without the server: severity without the repeat rule
        (it needs the customer's history), clocks from the time it was typed."""
        policy = self.console.policy
        if actor.role is Role.OUTLET:
            form = replace(form, channel=Channel.WALK_IN.value, outlet=actor.outlet)
        valid, _problems = check_complaint_form(form, policy.limits)
        assert valid is not None  # checked before it was journalled
        classification = classify(valid.facts, policy.severity)
        verify, resolve = initial_clocks(entry.at, classification.severity, policy.clocks)
        return RegisteredComplaint(
            id=entry.provisional_id,
            reference=provisional_reference(entry, self.console.zone),
            classification=classification,
            verify=verify,
            resolve=resolve,
            suggestion=suggest_compensation(valid.facts, policy.compensation),
            customer_id=0,  # not known until the server has it
            parcel_id=0,
            pending=True,
        )
