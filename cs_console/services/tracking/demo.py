"""The demo provider: plausible timelines without a network, the same for the same number.

A parcel on file (the demo database's) travels its stored route through its stored hubs to
its stored outlet (never stuck on the way), and carries its stored batch: the provider's
route, hubs, outlet and batch are the ones mass-complaint detection already groups by. Any
other well-formed number gets a journey drawn from a generator seeded by the number: picked
up, through two or three hubs, out for delivery, then signed, or stuck at a hub. Events
later than now are not shown yet, so a parcel moves on as time goes by.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cs_console.domain.tracking import (
    Tracking,
    TrackingEvent,
    build_tracking,
    route_hubs,
    short_hub,
)
from cs_console.storage.parcel_routes import ParcelRoute

# Hub cities and the codes their batches start with (as the demo generator names them).
CITIES = (
    ("杭州", "HZ"),
    ("上海", "SH"),
    ("广州", "GZ"),
    ("北京", "BJ"),
    ("成都", "CD"),
    ("武汉", "WH"),
    ("南京", "NJ"),
    ("深圳", "SZ"),
)
DISTRICTS = ("城东", "城西", "城南", "城北", "高新")
COURIERS = ("刘师傅", "王师傅", "张师傅", "陈师傅", "李师傅")
STUCK_REASONS = ("天气原因", "航班延误", "地址不详")
CYCLE = timedelta(days=4)
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Journey:
    start: datetime
    origin: str  # city
    hubs: tuple[str, ...]
    outlet: str
    batch: str
    stuck: bool


def _hours(rng: random.Random, low: int, high: int) -> timedelta:
    """Between ``low`` and ``high`` hours, to the minute."""
    return timedelta(minutes=rng.randint(low * 60, high * 60))


def _rng(tracking_no: str) -> random.Random:
    return random.Random(hashlib.sha256(tracking_no.encode("utf-8")).digest())


def _stored_journey(rng: random.Random, parcel: ParcelRoute) -> _Journey:
    """The stored way; a parcel stored with hubs passes exactly those, one stored with a
    route and one hub passes the origin's, that one and the destination's."""
    origin, _, destination = parcel.route.partition("-")
    hubs = parcel.hubs or route_hubs(parcel.route, parcel.hub)
    origin = origin or (short_hub(hubs[0]) if hubs else "") or rng.choice(CITIES)[0]
    hubs = hubs or (f"{origin}转运中心",)
    outlet = parcel.outlet or f"{destination or origin}{rng.choice(DISTRICTS)}网点"
    return _Journey(parcel.created_at, origin, hubs, outlet, parcel.batch, stuck=False)


def _drawn_journey(rng: random.Random, now: datetime, zone: ZoneInfo) -> _Journey:
    cities = rng.sample(CITIES, k=rng.choice((2, 2, 3)))
    # The number is sent again every CYCLE, at a moment of its own: the latest sending is
    # the journey shown, so it moves on as time goes by and starts over after a cycle.
    phase = timedelta(seconds=rng.randrange(int(CYCLE.total_seconds())))
    start = now - (now - EPOCH - phase) % CYCLE
    destination = cities[-1][0]
    wave = rng.randint(1, 6)
    day = start.astimezone(zone).strftime("%Y%m%d")
    batch = f"{cities[0][1]}{day}-{wave:02d}"
    outlet = f"{destination}{rng.choice(DISTRICTS)}网点"
    hubs = tuple(f"{city}转运中心" for city, _code in cities)
    return _Journey(start, cities[0][0], hubs, outlet, batch, rng.random() < 0.15)


def _timeline(rng: random.Random, journey: _Journey) -> list[tuple[datetime, str, str, int]]:
    """Every event of the journey, oldest first: (at, text, place, state code)."""
    at = journey.start
    events = [(at, f"【{journey.origin}营业部】已揽收", f"{journey.origin}营业部", 1)]
    for index, hub in enumerate(journey.hubs):
        at += _hours(rng, 3, 10)
        events.append((at, f"快件已到达【{hub}】", hub, 0))
        if journey.stuck and index == len(journey.hubs) - 1:
            at += _hours(rng, 1, 3)
            reason = rng.choice(STUCK_REASONS)
            events.append((at, f"快件在【{hub}】滞留，原因：{reason}", hub, 2))
            return events
        following = journey.hubs[index + 1] if index + 1 < len(journey.hubs) else journey.outlet
        at += _hours(rng, 1, 3)
        events.append((at, f"【{hub}】已发出 下一站【{following}】", hub, 0))
    at += _hours(rng, 2, 6)
    outlet = journey.outlet
    events.append((at, f"快件已到达【{outlet}】", outlet, 0))
    at += _hours(rng, 1, 2)
    events.append((at, f"【{outlet}】派件员 {rng.choice(COURIERS)} 正在派件", outlet, 5))
    at += _hours(rng, 1, 4)
    events.append((at, f"【{outlet}】快件已签收，签收人：本人", outlet, 3))
    return events


class DemoProvider:
    """Timelines from the parcels table, else drawn from the number."""

    name = "demo"

    def __init__(
        self,
        *,
        parcel_route: Callable[[str], ParcelRoute | None],
        clock: Callable[[], datetime],
        zone: ZoneInfo,
    ) -> None:
        self.parcel_route, self.clock, self.zone = parcel_route, clock, zone

    def query(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        now, rng = self.clock(), _rng(tracking_no)
        parcel = self.parcel_route(tracking_no)
        if parcel is not None:
            journey = _stored_journey(rng, parcel)
        else:
            journey = _drawn_journey(rng, now, self.zone)
        timeline = _timeline(rng, journey)
        # Registered but not yet picked up: the pick-up, due, is shown all the same.
        shown = [event for event in timeline if event[0] <= now] or timeline[:1]
        events = [TrackingEvent(at, text, place) for at, text, place, _code in reversed(shown)]
        return build_tracking(
            tracking_no=tracking_no,
            state_code=shown[-1][3],
            events_newest_first=events,
            carrier="own",
            source=self.name,
            fetched_at=now,
            batch=journey.batch,
        )
