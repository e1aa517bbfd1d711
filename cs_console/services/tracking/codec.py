"""A tracking as JSON: the shape the cache stores and ``cs-console track`` prints."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cs_console.domain.tracking import Tracking, TrackingEvent, TrackingState


def tracking_json(tracking: Tracking, zone: ZoneInfo) -> dict[str, Any]:
    """The issue's shape: times ISO-8601 with the offset of ``zone``."""
    return {
        "tracking_no": tracking.tracking_no,
        "carrier": tracking.carrier,
        "state": tracking.state.value,
        "state_code": tracking.state_code,
        "events": [
            {"at": event.at.astimezone(zone).isoformat(), "text": event.text, "place": event.place}
            for event in tracking.events
        ],
        "hubs": list(tracking.hubs),
        "outlet": tracking.outlet,
        "route": tracking.route,
        "source": tracking.source,
        "fetched_at": tracking.fetched_at.astimezone(zone).isoformat(),
    }


def tracking_payload(tracking: Tracking) -> dict[str, Any]:
    """What the cache keeps: the printed shape in UTC, with the batch."""
    return {**tracking_json(tracking, ZoneInfo("UTC")), "batch": tracking.batch}


def tracking_from_payload(data: dict[str, Any]) -> Tracking:
    """The tracking a cached payload holds (written by ``tracking_payload``)."""
    return Tracking(
        tracking_no=data["tracking_no"],
        state=TrackingState(data["state"]),
        state_code=int(data["state_code"]),
        events=tuple(
            TrackingEvent(datetime.fromisoformat(e["at"]), e["text"], e["place"])
            for e in data["events"]
        ),
        hubs=tuple(data["hubs"]),
        outlet=data["outlet"],
        route=data["route"],
        carrier=data["carrier"],
        source=data["source"],
        fetched_at=datetime.fromisoformat(data["fetched_at"]),
        batch=data.get("batch", ""),
    )
