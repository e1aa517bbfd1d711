"""What a write the outage journal can carry is, and how the journal keeps one.

An operation is a frozen dataclass of the use case's arguments, typed, with the call
itself (``send``). Online, the console calls ``send`` with the values as they are; only
a write kept in the journal (the server is away) is turned into JSON (``to_json``), and
back at replay (``from_json``). The JSON is the journal file's format: enums by value,
times in ISO 8601, a form as its fields; entries written by earlier versions still read.
"""

from __future__ import annotations

import types
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Generic, Self, TypeVar, get_args, get_origin, get_type_hints

from cs_console.domain.enums import Role
from cs_console.domain.permissions import Action, can
from cs_console.services.context import Actor, ServiceContext
from cs_console.storage.sealing import DataKey

Args = dict[str, Any]  # an operation's arguments, or an actor, as the journal file keeps them
R = TypeVar("R")

# The arguments that may hold a provisional id: below zero, made offline and not yet sent.
ID_ARGS = ("contact_id", "callback_id")


@dataclass(frozen=True)
class Operation(ABC, Generic[R]):
    """One write: its arguments are the dataclass's fields, ``send`` makes it (online, or
    at replay with the clock stopped at the time it was made) and answers ``R``."""

    operation: ClassVar[str]  # its name in the journal file
    action: ClassVar[Action]  # what the role matrix must allow

    @abstractmethod
    def send(self, console: ServiceContext, actor: Actor) -> R:
        """Call the use case."""

    @abstractmethod
    def result_json(self, result: R) -> Any:
        """What ``send`` answered, as the journal and the server's applied writes keep it."""

    def check(self, console: ServiceContext) -> None:
        """Refuse now what the use case would refuse for this input, so that nothing
        invalid waits in the journal (offline, the database cannot be asked)."""

    def caller_phone(self) -> str:
        """The phone of the customer who made contact, owed a callback after the outage."""
        return ""

    def at_replay(self) -> Self:
        """The write as the replay sends it, when nobody can be asked anything."""
        return self

    def provisional_ids(self) -> dict[str, int]:
        """Its ids that are provisional (what an earlier entry creates once it is sent)."""
        found = {name: getattr(self, name, None) for name in ID_ARGS}
        return {name: value for name, value in found.items() if value is not None and value < 0}

    def with_ids(self, ids: dict[str, int]) -> Self:
        """The same write with the server's ids for provisional ones."""
        return replace(self, **ids) if ids else self

    def to_json(self) -> Args:
        """The arguments as the journal keeps them."""
        return {field.name: _plain(getattr(self, field.name)) for field in fields(self)}

    @classmethod
    def from_json(cls, data: Args) -> Self:
        """The write a journal entry keeps; an argument the entry lacks (journalled by an
        earlier version) takes its default."""
        hints = get_type_hints(cls)
        known = [field.name for field in fields(cls) if field.name in data]
        return cls(**{name: _typed(hints[name], data[name]) for name in known})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def _typed(hint: Any, value: Any) -> Any:
    if isinstance(hint, types.UnionType):  # X | None
        if value is None:
            return None
        (hint,) = (arg for arg in get_args(hint) if arg is not type(None))
    if get_origin(hint) is tuple:
        return tuple(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if isinstance(hint, type) and is_dataclass(hint):
        return hint(**value)
    return value


def actor_json(actor: Actor) -> Args:
    """The actor as the journal keeps it: never the data key, which stays in memory."""
    kept = {f.name: getattr(actor, f.name) for f in fields(actor) if f.name != "data_key"}
    return {**kept, "role": actor.role.value}


def actor_of(data: Args, data_key: DataKey | None) -> Actor:
    """The actor a journal entry was made by, with the data key of whoever replays it (one
    database has one data key, unlocked by every account's sign-in)."""
    return Actor(**{**data, "role": Role(data["role"])}, data_key=data_key)


def owns_callbacks(actor: Args) -> bool:
    """Whether the person an entry was made by may hold callbacks (the call desk): an
    outlet's walk-ins get no callback after the outage, which the server would refuse."""
    return can(Role(actor["role"]), Action.PROMISE_REPLY)
