"""The table of operations the outage journal carries: every write of the console's write
path (services/journal/writes.py) is one of these, online as at replay.

Each holds the use case's arguments, typed; ``send`` calls the use case, ``check`` refuses
offline what it would refuse for its input, ``caller_phone`` names the customer who made
contact (for their callback after the outage).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Self

from cs_console.domain.complaint_entry import ComplaintForm, check_complaint_form
from cs_console.domain.enums import AttemptOutcome, Channel, ContactType, NameChoice
from cs_console.domain.permissions import Action
from cs_console.domain.validation import normalize_phone
from cs_console.services import callback_attempts, callbacks, calls, complaints
from cs_console.services.callback_attempts import AttemptResult
from cs_console.services.complaints import RegisteredComplaint
from cs_console.services.context import Actor, InvalidInput, ServiceContext, require
from cs_console.services.journal.callbacks import schedule_outage_callbacks
from cs_console.services.journal.operation import Operation


@dataclass(frozen=True)
class StartCall(Operation[int]):
    operation, action = "start_call", Action.START_CALL
    channel: Channel = Channel.PHONE

    def send(self, console: ServiceContext, actor: Actor) -> int:
        return calls.start_call(console, actor, self.channel)

    def result_json(self, result: int) -> Any:
        return {"id": result}


@dataclass(frozen=True)
class MarkAnswered(Operation[None]):
    operation, action = "mark_answered", Action.START_CALL
    contact_id: int
    at: datetime

    def send(self, console: ServiceContext, actor: Actor) -> None:
        calls.mark_answered(console, actor, self.contact_id, self.at)

    def result_json(self, result: None) -> Any:
        return None


@dataclass(frozen=True)
class EndCall(Operation[None]):
    operation, action = "end_call", Action.START_CALL
    contact_id: int
    contact_type: ContactType | None
    notes: str
    outcome: str
    phone: str = ""
    tracking_no: str = ""
    tracking_state: str = ""  # read out to the caller (journalled before it: none)

    def send(self, console: ServiceContext, actor: Actor) -> None:
        calls.end_call(
            console,
            actor,
            self.contact_id,
            contact_type=self.contact_type,
            notes=self.notes,
            outcome=self.outcome,
            phone=self.phone,
            tracking_no=self.tracking_no,
            tracking_state=self.tracking_state,
        )

    def result_json(self, result: None) -> Any:
        return None

    def check(self, console: ServiceContext) -> None:
        if self.contact_type is None:
            raise InvalidInput({"contact_type": "required"})
        if len(self.notes) > console.policy.limits.max_description_chars:
            raise InvalidInput({"notes": "too_long"})

    def caller_phone(self) -> str:
        return self.phone


@dataclass(frozen=True)
class RegisterComplaint(Operation[RegisteredComplaint]):
    operation, action = "register_complaint", Action.REGISTER_COMPLAINT
    form: ComplaintForm
    contact_id: int | None = None
    name_choice: NameChoice | None = None  # None online: the server asks (NameOnFileDiffers)

    def send(self, console: ServiceContext, actor: Actor) -> RegisteredComplaint:
        return complaints.register_complaint(
            console, actor, self.form, contact_id=self.contact_id, name_choice=self.name_choice
        )

    def result_json(self, result: RegisteredComplaint) -> Any:
        return {"id": result.id, "reference": result.reference}

    def check(self, console: ServiceContext) -> None:
        valid, problems = check_complaint_form(self.form, console.policy.limits)
        if valid is None or problems:
            raise InvalidInput(problems)

    def caller_phone(self) -> str:
        return self.form.phone

    def at_replay(self) -> Self:
        # Nobody can be asked at replay: a name differing from the one on file is kept as
        # the complaint's contact name unless a correction was chosen before it was kept.
        if self.name_choice is not None:
            return self
        return replace(self, name_choice=NameChoice.OTHER_PERSON)


@dataclass(frozen=True)
class PromiseReply(Operation[datetime]):
    operation, action = "promise_reply", Action.PROMISE_REPLY
    phone: str
    name: str = ""
    contact_id: int | None = None
    note: str = ""

    def send(self, console: ServiceContext, actor: Actor) -> datetime:
        return callbacks.promise_reply(
            console,
            actor,
            phone=self.phone,
            name=self.name,
            contact_id=self.contact_id,
            note=self.note,
        )

    def result_json(self, result: datetime) -> Any:
        return {"due": result.isoformat()}

    def check(self, console: ServiceContext) -> None:
        if normalize_phone(self.phone) is None:
            raise InvalidInput({"phone": "phone_invalid" if self.phone.strip() else "required"})

    def caller_phone(self) -> str:
        return self.phone


@dataclass(frozen=True)
class RecordAttempt(Operation[AttemptResult]):
    operation, action = "record_attempt", Action.RECORD_ATTEMPT
    callback_id: int
    outcome: AttemptOutcome
    satisfaction: int | None = None
    note: str = ""
    phone: str = ""  # entries journalled before wrong numbers were asked have none
    reason: str = ""

    def send(self, console: ServiceContext, actor: Actor) -> AttemptResult:
        return callback_attempts.record_attempt(
            console,
            actor,
            self.callback_id,
            self.outcome,
            satisfaction=self.satisfaction,
            note=self.note,
            phone=self.phone,
            reason=self.reason,
        )

    def result_json(self, result: AttemptResult) -> Any:
        return result.to_json()

    def check(self, console: ServiceContext) -> None:
        callback_attempts.check_attempt(
            console,
            self.outcome,
            satisfaction=self.satisfaction,
            note=self.note,
            phone=self.phone,
            reason=self.reason,
        )


@dataclass(frozen=True)
class OutageCallbacks(Operation[int]):
    """Journalled by the replay itself, once per outage and agent (services/journal/replay.py)."""

    operation, action = "outage_callbacks", Action.PROMISE_REPLY
    phones: tuple[str, ...]

    def send(self, console: ServiceContext, actor: Actor) -> int:
        return schedule_outage_callbacks(console, actor, self.phones)

    def result_json(self, result: int) -> Any:
        return {"created": result}


OPERATIONS: dict[str, type[Operation[Any]]] = {
    kind.operation: kind
    for kind in (
        StartCall,
        MarkAnswered,
        EndCall,
        RegisterComplaint,
        PromiseReply,
        RecordAttempt,
        OutageCallbacks,
    )
}


def check_offline(console: ServiceContext, actor: Actor, write: Operation[Any]) -> None:
    """Refuse now what the server would refuse at replay for the role or the input."""
    require(actor, write.action)
    write.check(console)
