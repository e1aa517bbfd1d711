"""A parcel's tracking as the console reads it out: state, events, hubs, outlet, route.

Providers (services/tracking) answer with events; the places come from the bracketed names
in the events' text, as the courier APIs write them (``【杭州转运中心】已发出 下一站
【北京转运中心】``, ``【杭州西湖网点】派件员…``): a name ending in 转运中心, 分拨中心 or 集散中心
is a hub, one ending in 网点, 营业部, 营业点 or 分部 an outlet. The route is the first hub to
the last, by their short names (``杭州-北京``), the form the parcels table stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cs_console.domain.text import clean_line


class TrackingState(StrEnum):
    """Where the parcel is, by the provider's state code (kuaidi100's, the common ones)."""

    IN_TRANSIT = "in_transit"  # 0 在途
    PICKED_UP = "picked_up"  # 1 揽收
    TROUBLE = "trouble"  # 2 疑难
    SIGNED = "signed"  # 3 签收
    RETURNED = "returned"  # 4 退签
    OUT_FOR_DELIVERY = "out_for_delivery"  # 5 派件
    RETURNING = "returning"  # 6 退回
    FORWARDED = "forwarded"  # 7 转投
    REFUSED = "refused"  # 14 拒签
    UNKNOWN = "unknown"  # a code this version does not know, or no answer yet


STATE_CODES: dict[int, TrackingState] = {
    0: TrackingState.IN_TRANSIT,
    1: TrackingState.PICKED_UP,
    2: TrackingState.TROUBLE,
    3: TrackingState.SIGNED,
    4: TrackingState.RETURNED,
    5: TrackingState.OUT_FOR_DELIVERY,
    6: TrackingState.RETURNING,
    7: TrackingState.FORWARDED,
    14: TrackingState.REFUSED,
}
# Customs clearance (8, 10-13) is a leg of the journey like any other.
_IN_TRANSIT_CODES = frozenset({8, 10, 11, 12, 13})


def state_for_code(code: int) -> TrackingState:
    """The state of a provider's code: the common codes, their sub-states (``301`` is a kind
    of signed, ``1002`` of in transit), customs as in transit, anything else unknown."""
    if code in STATE_CODES:
        return STATE_CODES[code]
    if code in _IN_TRANSIT_CODES or 1000 <= code <= 1009:
        return TrackingState.IN_TRANSIT
    if 100 <= code <= 999:
        return STATE_CODES.get(code // 100, TrackingState.UNKNOWN)
    return TrackingState.UNKNOWN


class PlaceKind(StrEnum):
    HUB = "hub"
    OUTLET = "outlet"


HUB_SUFFIXES = ("转运中心", "分拨中心", "集散中心")
OUTLET_SUFFIXES = ("网点", "营业部", "营业点", "分部")
_BRACKETED = re.compile(r"【([^【】]{1,60})】")
# What comes after these words is where the parcel is going, not where it has been.
NEXT_STOP_WORDS = ("下一站", "发往", "前往")


def place_kind(name: str) -> PlaceKind | None:
    """A hub, an outlet, or neither, by the ending of its name."""
    if name.endswith(HUB_SUFFIXES):
        return PlaceKind.HUB
    if name.endswith(OUTLET_SUFFIXES):
        return PlaceKind.OUTLET
    return None


def bracketed_places(text: str) -> list[str]:
    """The names in 【】 in one event's text, in the order they are written."""
    return [name.strip() for name in _BRACKETED.findall(text) if name.strip()]


def _split_at_next_stop(text: str) -> tuple[str, str]:
    """An event's text cut where it names where the parcel goes next: (been, going)."""
    cut = min((at for word in NEXT_STOP_WORDS if (at := text.find(word)) >= 0), default=-1)
    return (text, "") if cut < 0 else (text[:cut], text[cut:])


def short_hub(name: str) -> str:
    """A hub's name without its kind: ``杭州转运中心`` -> ``杭州``."""
    for suffix in HUB_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def route_hubs(route: str, hub: str) -> tuple[str, ...]:
    """The hubs of a parcel known by its route and one hub: the origin's hub, that hub, the
    destination's hub (``杭州-北京`` through ``南京转运中心``: 杭州, 南京, 北京转运中心), each
    once. The demo's parcels travel so (the demo provider and the demo's parcel_hubs)."""
    origin, _, destination = route.partition("-")
    origin = origin or short_hub(hub)
    path = (
        f"{origin}转运中心" if origin else "",
        hub,
        f"{destination}转运中心" if destination else "",
    )
    return tuple(dict.fromkeys(h for h in path if h))


@dataclass(frozen=True)
class Places:
    hubs: tuple[str, ...]  # in the order the parcel first passed them, each once
    outlet: str  # the delivering outlet, "" while none is known
    route: str  # first hub to the hub it reached last, "" without a hub


def read_places(texts_oldest_first: Iterable[str]) -> Places:
    """Hubs, delivering outlet and route from the events' texts, oldest event first.

    The delivering outlet is the last outlet named after the last hub (the outlet that
    picked the parcel up comes before the hubs and is not it). A hub named as the next stop
    ("已发出 下一站【北京转运中心】") is passed once a later event shows the parcel moved on
    (it arrived there, or went further), not before; an outlet named as the next stop is
    the one the parcel is on its way to deliver from.
    """
    hubs: dict[str, None] = {}  # ordered, and a set: 10,000 events stay linear
    last_hub = outlet = going_to = ""
    for text in texts_oldest_first:
        passed, upcoming = _split_at_next_stop(text)
        names = bracketed_places(passed)
        if going_to:  # a later event: the parcel got to the hub it was sent to
            names.insert(0, going_to)
            going_to = ""
        for name in names:
            kind = place_kind(name)
            if kind is PlaceKind.HUB:
                hubs.setdefault(name)
                last_hub, outlet = name, ""
            elif kind is PlaceKind.OUTLET and hubs:
                outlet = name
        for name in bracketed_places(upcoming):
            kind = place_kind(name)
            if kind is PlaceKind.HUB:
                going_to = name
            elif kind is PlaceKind.OUTLET and hubs:
                outlet = name
    route = f"{short_hub(next(iter(hubs)))}-{short_hub(last_hub)}" if hubs else ""
    return Places(tuple(hubs), outlet, route)


@dataclass(frozen=True)
class TrackingEvent:
    at: datetime  # timezone-aware
    text: str
    place: str = ""


@dataclass(frozen=True)
class Tracking:
    """One answer about one parcel, events newest first (as providers send them)."""

    tracking_no: str
    state: TrackingState
    state_code: int
    events: tuple[TrackingEvent, ...]
    hubs: tuple[str, ...]
    outlet: str
    route: str
    carrier: str  # "own", or the code of the carrier whose number it is (data/carriers.toml)
    source: str  # the provider that answered: "demo", "kuaidi100", "carriers"
    fetched_at: datetime
    batch: str = ""  # the sorting batch, when the provider knows it (the demo does)


def clean_event_text(text: str) -> str:
    """An event's text as received, on one line, without control or escape sequences."""
    return clean_line(text).strip()


def build_tracking(
    *,
    tracking_no: str,
    state_code: int,
    events_newest_first: Sequence[TrackingEvent],
    carrier: str,
    source: str,
    fetched_at: datetime,
    batch: str = "",
) -> Tracking:
    """A ``Tracking`` whose hubs, outlet and route are read from its events."""
    places = read_places(event.text for event in reversed(events_newest_first))
    return Tracking(
        tracking_no=tracking_no,
        state=state_for_code(state_code),
        state_code=state_code,
        events=tuple(events_newest_first),
        hubs=places.hubs,
        outlet=places.outlet,
        route=places.route,
        carrier=carrier,
        source=source,
        fetched_at=fetched_at,
        batch=batch,
    )
