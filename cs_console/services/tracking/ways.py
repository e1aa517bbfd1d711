"""The way of a parcel stored from a call, a walk-in or an import: its route, hubs, outlet
and batch, from the tracking provider (DOMAIN.md Tracking: mass-complaint detection groups
by them).

Asked before the write transaction (never while holding the write lock, and in the save's
worker, never on the UI thread), only for a parcel with no way on file, through the
console's lookup (the shared cache first). A provider that fails costs only the way: the
parcel is stored without it and the complaint is never lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from cs_console.domain.tracking import Tracking
from cs_console.services.context import ServiceContext, ServiceError
from cs_console.services.tracking.lookup import TrackingLookup
from cs_console.services.tracking.provider import TrackingUnavailable, UnknownNumber
from cs_console.storage.engine import read_session
from cs_console.storage.parcel_routes import has_way, numbers_with_way

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParcelWay:
    route: str
    hubs: tuple[str, ...]
    outlet: str
    batch: str

    @classmethod
    def of(cls, tracking: Tracking) -> ParcelWay | None:
        """The way a tracking tells; None when it tells nothing (another carrier's)."""
        way = cls(tracking.route, tracking.hubs, tracking.outlet, tracking.batch)
        return way if way.route or way.hubs or way.outlet or way.batch else None

    def columns(self) -> dict[str, Any]:
        """As ``fill_parcel_way`` takes it."""
        return {"route": self.route, "hubs": self.hubs, "outlet": self.outlet,
                "batch": self.batch}  # fmt: skip

    def payload(self) -> dict[str, object]:
        """As JSON keeps it (a staged import row)."""
        return {**self.columns(), "hubs": list(self.hubs)}

    @classmethod
    def from_payload(cls, data: dict | None) -> ParcelWay | None:
        if not data:
            return None
        hubs = tuple(str(h) for h in data.get("hubs", ()))
        return cls(str(data["route"]), hubs, str(data["outlet"]), str(data["batch"]))


class WayFinder:
    """Ways for many parcels (an import), a chunk of numbers at a time: one look at which are
    on file with a way, the rest through ``track_many`` (the cache read at once, answers
    kept in one transaction). After the provider fails once, the rest are stored without
    asking again (a provider down would cost its timeout per row)."""

    def __init__(self, console: ServiceContext) -> None:
        self.console, self.given_up = console, False

    def ways(self, numbers: Sequence[str]) -> dict[str, ParcelWay]:
        tracking = self.console.tracking
        if self.given_up or tracking is None or not numbers:
            return {}
        try:
            with read_session(self.console.engine) as session:
                known = numbers_with_way(session=session, numbers=numbers)
            found, failed = tracking.track_many([n for n in numbers if n not in known])
        except (SQLAlchemyError, OSError, ValueError, KeyError) as broken:
            found, failed = {}, TrackingUnavailable("error", type(broken).__name__)
        if failed is not None:
            log.warning("parcel ways not asked any more: %s", failed)
            self.given_up = True
        ways = {number: ParcelWay.of(tracking) for number, tracking in found.items()}
        return {number: way for number, way in ways.items() if way is not None}


def tracked_way(console: ServiceContext, tracking_no: str) -> ParcelWay | None:
    """The way to store with the parcel ``tracking_no``; None when it has one on file, the
    console has no provider, or the provider cannot tell (the parcel is stored without)."""
    try:
        return _asked(console, tracking_no)
    except TrackingUnavailable as failed:
        log.warning("parcel stored without its way: %s", failed)
        return None


def _asked(console: ServiceContext, tracking_no: str) -> ParcelWay | None:
    """The way, or None; raises ``TrackingUnavailable`` only when the provider cannot answer."""
    if console.tracking is None:
        return None
    try:
        with read_session(console.engine) as session:
            if has_way(session=session, tracking_no=tracking_no):
                return None
        return ParcelWay.of(console.tracking.track(tracking_no))
    except (UnknownNumber, ServiceError):
        return None  # not a number the provider knows: nothing to store
    except TrackingUnavailable:
        raise
    except (SQLAlchemyError, OSError, ValueError, KeyError) as broken:  # never lose the save
        raise TrackingUnavailable("error", type(broken).__name__) from broken


class _OpenedOnce:
    """The console's lookup, opened at the first parcel stored, not at start (the
    provider's key may come from the OS keyring)."""

    def __init__(self, console: ServiceContext) -> None:
        self.console, self.lock = console, threading.Lock()
        self.opened: TrackingLookup | None = None

    def _lookup(self) -> TrackingLookup:
        from cs_console.services.tracking.setup import open_tracking

        with self.lock:
            if self.opened is None:
                self.opened = open_tracking(self.console)
            return self.opened

    def track(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        return self._lookup().track(tracking_no, phone_last4)

    def track_many(
        self, numbers: Sequence[str]
    ) -> tuple[dict[str, Tracking], TrackingUnavailable | None]:
        return self._lookup().track_many(numbers)


def with_tracking(console: ServiceContext) -> ServiceContext:
    """``console`` with its tracking: settings.toml's provider behind the shared cache."""
    return replace(console, tracking=_OpenedOnce(console))
