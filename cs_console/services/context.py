"""What every use case takes: the console (engine, policy, time zone, clock) and an actor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from cs_console.domain.enums import Role
from cs_console.domain.permissions import Action, can
from cs_console.domain.policy import Policy

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from cs_console.domain.tracking import Tracking
    from cs_console.services.tracking.provider import TrackingUnavailable
    from cs_console.storage.sealing import DataKey

Clock = Callable[[], datetime]


class ParcelTracking(Protocol):
    """What the services ask about parcels they store (services/tracking/lookup.py)."""

    def track(self, tracking_no: str, phone_last4: str | None = None) -> Tracking: ...

    def track_many(
        self, numbers: Sequence[str]
    ) -> tuple[dict[str, Tracking], TrackingUnavailable | None]: ...


def system_clock() -> datetime:
    """The real time, UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    """One process's handle on the database and the rules in force."""

    engine: Engine
    policy: Policy
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    clock: Clock = system_clock
    # Where parcels stored from calls, walk-ins and imports get their route, hubs, outlet
    # and batch (services/tracking/ways.py): the settings' provider behind the shared cache,
    # set by ``opening.open_console``; None stores parcels without them.
    tracking: ParcelTracking | None = field(default=None, compare=False, repr=False)

    def now(self) -> datetime:
        return self.clock()


@dataclass(frozen=True)
class Actor:
    """The logged-in person on whose behalf a use case runs."""

    id: int
    username: str
    display_name: str
    agent_no: str
    role: Role
    team: str = ""
    outlet: str = ""
    # The data key unlocked at sign-in (password or remembered login); in memory only.
    data_key: DataKey | None = field(default=None, repr=False, compare=False)
    # Signed in with a password that has expired or was set by an administrator: nothing is
    # allowed until it is changed (``require`` refuses every action).
    password_change_due: bool = False


class ServiceError(Exception):
    """A refused or invalid request; ``code`` is an i18n key under ``error.``."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.details = code, details


class PermissionDenied(ServiceError):
    """The actor's role does not allow this action."""


class InvalidInput(ServiceError):
    """The input broke a rule; ``fields`` maps field names to error codes."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("invalid_input", fields=fields)
        self.fields = fields


class NotFound(ServiceError):
    """The record does not exist (or is not visible to this actor)."""


def require(actor: Actor, action: Action) -> None:
    """Refuse unless the actor's role may do ``action`` (the matrix in domain.permissions).

    The code names the action (``refused_verify`` …), so the refusal says what was refused.
    Someone whose password must be changed is refused everything (``password_change_due``).
    """
    if actor.password_change_due:
        raise PermissionDenied("password_change_due")
    if not can(actor.role, action):
        raise PermissionDenied(f"refused_{action.value}", role=actor.role.value)


def data_key_of(actor: Actor) -> DataKey:
    """The data key the actor unlocked at sign-in; refused when they have none."""
    if actor.data_key is None:
        raise ServiceError("data_key_locked")
    return actor.data_key
