"""The writes the outage journal can keep: each use case as (arguments as JSON) -> call.

``send`` calls the real use case (online, or at replay) and returns its result as JSON;
``check`` refuses offline what the use case would refuse for its input or the actor's role,
so nothing invalid waits in the journal; ``phone`` names the customer who made contact (for
their callback after the outage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime, tzinfo
from typing import Any

from cs_console.domain.complaint_entry import ComplaintForm, check_complaint_form
from cs_console.domain.enums import AttemptOutcome, Channel, ContactType, NameChoice, Role
from cs_console.domain.permissions import Action, can
from cs_console.domain.validation import normalize_phone
from cs_console.services import callback_attempts, callbacks, calls, complaints
from cs_console.services.context import Actor, InvalidInput, ServiceContext, require
from cs_console.services.journal.callbacks import schedule_outage_callbacks
from cs_console.services.journal.store import JournalEntry
from cs_console.storage.sealing import DataKey

Args = dict[str, Any]
ID_ARGS = ("contact_id", "callback_id")  # may hold a provisional id (below zero) offline


@dataclass(frozen=True)
class Operation:
    action: Action
    send: Callable[[ServiceContext, Actor, Args], Any]
    check: Callable[[ServiceContext, Args], None] = lambda _console, _args: None
    phone: Callable[[Args], str] = lambda _args: ""


def actor_json(actor: Actor) -> Args:
    """The actor as the journal keeps it: never the data key, which stays in memory."""
    kept = {f.name: getattr(actor, f.name) for f in fields(actor) if f.name != "data_key"}
    return {**kept, "role": actor.role.value}


def actor_of(data: Args, data_key: DataKey | None) -> Actor:
    """The actor a journal entry was made by, with the data key of whoever replays it (one
    database has one data key, unlocked by every account's sign-in)."""
    return Actor(**{**data, "role": Role(data["role"])}, data_key=data_key)


def form_json(form: ComplaintForm) -> Args:
    return asdict(form)


def provisional_reference(entry: JournalEntry, zone: tzinfo) -> str:
    """The reference a complaint kept in the journal goes by until the server numbers it:
    ``C-YYYYMMDD-Pnnn``, the day it was typed and the entry's place in the journal."""
    day = entry.at.astimezone(zone).strftime("%Y%m%d")
    return f"C-{day}-P{entry.seq:03d}"


def owns_callbacks(actor: Args) -> bool:
    """Whether the person an entry was made by may hold callbacks (the call desk): an
    outlet's walk-ins get no callback after the outage, which the server would refuse."""
    return can(Role(actor["role"]), Action.PROMISE_REPLY)


def _end_call(console: ServiceContext, actor: Actor, args: Args) -> None:
    kind = args["contact_type"]
    calls.end_call(
        console,
        actor,
        args["contact_id"],
        contact_type=ContactType(kind) if kind else None,
        notes=args["notes"],
        outcome=args["outcome"],
        phone=args["phone"],
        tracking_no=args["tracking_no"],
    )


def _check_end_call(console: ServiceContext, args: Args) -> None:
    if not args["contact_type"]:
        raise InvalidInput({"contact_type": "required"})
    if len(args["notes"]) > console.policy.limits.max_description_chars:
        raise InvalidInput({"notes": "too_long"})


def _register(console: ServiceContext, actor: Actor, args: Args) -> Args:
    # Nobody can be asked at replay: a name differing from the one on file is kept as the
    # complaint's contact name unless the person chose a correction before it was journalled.
    choice = NameChoice(args.get("name_choice") or NameChoice.OTHER_PERSON.value)
    registered = complaints.register_complaint(
        console,
        actor,
        ComplaintForm(**args["form"]),
        contact_id=args["contact_id"],
        name_choice=choice,
    )
    return {"id": registered.id, "reference": registered.reference}


def _check_form(console: ServiceContext, args: Args) -> None:
    valid, problems = check_complaint_form(ComplaintForm(**args["form"]), console.policy.limits)
    if valid is None or problems:
        raise InvalidInput(problems)


def _promise(console: ServiceContext, actor: Actor, args: Args) -> Args:
    due = callbacks.promise_reply(
        console,
        actor,
        phone=args["phone"],
        name=args["name"],
        contact_id=args["contact_id"],
        note=args["note"],
    )
    return {"due": due.isoformat()}


def _check_phone(_console: ServiceContext, args: Args) -> None:
    if normalize_phone(args["phone"]) is None:
        raise InvalidInput({"phone": "phone_invalid" if args["phone"].strip() else "required"})


def _attempt(console: ServiceContext, actor: Actor, args: Args) -> Args:
    result = callback_attempts.record_attempt(
        console,
        actor,
        args["callback_id"],
        AttemptOutcome(args["outcome"]),
        satisfaction=args["satisfaction"],
        note=args["note"],
        phone=args.get("phone", ""),  # entries journalled before wrong numbers were asked
        reason=args.get("reason", ""),
    )
    return result.to_json()


def _check_attempt(console: ServiceContext, args: Args) -> None:
    callback_attempts.check_attempt(
        console,
        AttemptOutcome(args["outcome"]),
        satisfaction=args["satisfaction"],
        note=args["note"],
        phone=args.get("phone", ""),
        reason=args.get("reason", ""),
    )


OPERATIONS: dict[str, Operation] = {
    "start_call": Operation(
        Action.START_CALL,
        lambda console, actor, args: {
            "id": calls.start_call(console, actor, Channel(args["channel"]))
        },
    ),
    "mark_answered": Operation(
        Action.START_CALL,
        lambda console, actor, args: calls.mark_answered(
            console, actor, args["contact_id"], datetime.fromisoformat(args["at"])
        ),
    ),
    "end_call": Operation(
        Action.START_CALL, _end_call, _check_end_call, lambda args: args["phone"]
    ),
    "register_complaint": Operation(
        Action.REGISTER_COMPLAINT, _register, _check_form, lambda args: args["form"]["phone"]
    ),
    "promise_reply": Operation(
        Action.PROMISE_REPLY, _promise, _check_phone, lambda args: args["phone"]
    ),
    "record_attempt": Operation(Action.RECORD_ATTEMPT, _attempt, _check_attempt),
    "outage_callbacks": Operation(
        Action.PROMISE_REPLY,
        lambda console, actor, args: {
            "created": schedule_outage_callbacks(console, actor, args["phones"])
        },
    ),
}

OUTAGE_CALLBACKS = "outage_callbacks"


def check_offline(console: ServiceContext, actor: Actor, operation: str, args: Args) -> None:
    """Refuse now what the server would refuse at replay for the role or the input."""
    spec = OPERATIONS[operation]
    require(actor, spec.action)
    spec.check(console, args)
