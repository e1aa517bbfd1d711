"""Incidents (应急): mass-complaint detection, natural disasters, system outages.

Pure rules, no I/O. An *issue* is a complaint category together with one place a parcel
went through (its route, any of its hubs, its outlet or batch); more than the policy's threshold of
complaints about one issue within the policy's window (both ends included: the first and
the last may be exactly the window apart) is a mass complaint. A disaster's regions are
matched against a parcel's route and hubs by name: a region matches a parcel whose route
or one of whose hubs contains it (``杭州`` matches the hub ``杭州转运中心`` and the route
``杭州-北京``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cs_console.domain.text import clean_line


class IssueDimension(StrEnum):
    """The parcel attribute an issue is about."""

    ROUTE = "route"
    HUB = "hub"
    OUTLET = "outlet"
    BATCH = "batch"


class IncidentKind(StrEnum):
    MASS_COMPLAINT = "mass_complaint"  # 群体投诉
    DISASTER = "disaster"  # 自然灾害
    OUTAGE = "outage"  # 系统故障


class IncidentStatus(StrEnum):
    OPEN = "open"
    ENDED = "ended"


@dataclass(frozen=True)
class ParcelPlace:
    """Where a parcel went: the attributes issues and regions are matched against.

    A parcel passes several hubs (``hubs``, in the order it passed them): it belongs to an
    issue about any of them.
    """

    route: str = ""
    hubs: tuple[str, ...] = ()
    outlet: str = ""
    batch: str = ""

    def values(self, dimension: IssueDimension) -> tuple[str, ...]:
        """The parcel's non-empty values of ``dimension`` (several hubs, else at most one)."""
        hub = dimension is IssueDimension.HUB
        found = self.hubs if hub else (getattr(self, dimension.value),)
        return tuple(dict.fromkeys(v for v in found if v.strip()))


@dataclass(frozen=True)
class Issue:
    """One category of complaint about one route, hub, outlet or batch."""

    category: str
    dimension: IssueDimension
    value: str

    @property
    def key(self) -> str:
        """A stable text key (the uniqueness of open alerts is checked on it)."""
        return f"{self.category}|{self.dimension.value}|{self.value}"


def issues_of(category: str, place: ParcelPlace) -> list[Issue]:
    """Every issue a complaint of ``category`` about a parcel at ``place`` belongs to: one
    per hub it passed, and its route, outlet and batch.

    A parcel with no route (or hub, outlet, batch) recorded belongs to no issue of that kind:
    an empty value is not a place.
    """
    return [
        Issue(category, dimension, value)
        for dimension in IssueDimension
        for value in place.values(dimension)
    ]


def window_start(now: datetime, window: timedelta) -> datetime:
    """The earliest registration time still inside the window ending ``now`` (included)."""
    return now - window


def is_mass(count_in_window: int, threshold: int) -> bool:
    """More than ``threshold`` complaints about one issue inside the window."""
    return count_in_window > threshold


def match_regions(regions: Iterable[str], place: ParcelPlace) -> str | None:
    """The first of ``regions`` the parcel's route or one of its hubs contains, or None."""
    for region in regions:
        if region and (region in place.route or any(region in hub for hub in place.hubs)):
            return region
    return None


_REGION_SEPARATORS = re.compile(r"[,，、;；\s]+")


def parse_regions(text: str, *, max_chars: int) -> tuple[str, ...]:
    """The region names typed as a list (commas, 、, semicolons or spaces between them).

    Names are cleaned of control characters, kept in order without repeats; a name longer
    than ``max_chars`` raises ``ValueError("too_long")``, none at all ``ValueError("required")``.
    """
    names: list[str] = []
    for part in _REGION_SEPARATORS.split(clean_line(text)):
        name = part.strip()
        if not name or name in names:
            continue
        if len(name) > max_chars:
            raise ValueError("too_long")
        names.append(name)
    if not names:
        raise ValueError("required")
    return tuple(names)


def incident_label(incident_id: int) -> str:
    """How people name an incident: I0007."""
    return f"I{incident_id:04d}"
