"""The demo provider: stored parcels' timelines follow their stored way; other numbers get a
plausible journey that is the same for the same number."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from cs_console.domain.tracking import TrackingState, read_places, state_for_code
from cs_console.services.context import ServiceContext
from cs_console.services.tracking.demo import DemoProvider
from cs_console.services.tracking.setup import open_tracking
from cs_console.storage.engine import write_session
from cs_console.storage.tables import Parcel
from tests.conftest import START, FakeClock

ZONE = ZoneInfo("Asia/Shanghai")


def drawn(clock: FakeClock) -> DemoProvider:
    return DemoProvider(parcel_route=lambda _number: None, clock=clock, zone=ZONE)


def store_parcel(
    console: ServiceContext,
    number: str,
    route: str = "",
    hub: str = "",
    outlet: str = "",
    batch: str = "",
) -> None:
    created = START - timedelta(days=3)
    with write_session(console.engine) as session:
        session.add(
            Parcel(
                tracking_no=number,
                route=route,
                hub=hub,
                outlet=outlet,
                batch=batch,
                created_at=created,
            )
        )


def test_a_stored_parcel_travels_its_stored_way(console: ServiceContext) -> None:
    way = {
        "route": "成都-广州",
        "hub": "杭州转运中心",
        "outlet": "广州天河网点",
        "batch": "HZ20261119-02",
    }
    store_parcel(console, "YT4400000001", **way)

    tracking = open_tracking(console).track("YT4400000001")

    assert tracking.route == way["route"]
    assert tracking.hubs == ("成都转运中心", "杭州转运中心", "广州转运中心")
    assert tracking.outlet == way["outlet"]
    assert tracking.batch == way["batch"]
    assert tracking.state is TrackingState.SIGNED  # three days after it was sent
    assert tracking.source == "demo" and tracking.carrier == "own"


def test_a_parcel_stored_with_an_empty_way_still_gets_a_timeline(console: ServiceContext) -> None:
    store_parcel(console, "YT4400000002")

    tracking = open_tracking(console).track("YT4400000002")

    assert tracking.events and tracking.hubs
    assert tracking.route.count("-") == 1


def test_the_same_number_gets_the_same_journey(clock: FakeClock) -> None:
    first = drawn(clock).query("SF1311234567890")

    assert drawn(clock).query("SF1311234567890") == first
    assert drawn(clock).query("SF1311234567891") != first


def test_a_parcel_moves_on_as_time_goes_by(clock: FakeClock) -> None:
    """Within one sending (same pick-up time) events only accrue; the number is sent again
    every four days, so two days see at most two sendings."""
    sendings: dict[object, list[int]] = {}
    for _ in range(9):
        tracking = drawn(clock).query("YT4400000123")
        sendings.setdefault(tracking.events[-1].at, []).append(len(tracking.events))
        clock.advance(hours=6)
    assert len(sendings) <= 2
    assert all(counts == sorted(counts) for counts in sendings.values())
    assert max(max(counts) for counts in sendings.values()) > 1


numbers = st.from_regex(r"(SF|YT)[0-9]{12}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(numbers, st.integers(min_value=0, max_value=30 * 24))
def test_every_drawn_journey_is_plausible(number: str, hours: int) -> None:
    clock = FakeClock(START + timedelta(hours=hours))
    tracking = drawn(clock).query(number)

    times = [event.at for event in tracking.events]
    assert times == sorted(times, reverse=True)
    assert all(at <= clock.now for at in times) or len(times) == 1
    assert tracking.state is state_for_code(tracking.state_code)
    assert tracking.state in {
        TrackingState.PICKED_UP,
        TrackingState.IN_TRANSIT,
        TrackingState.TROUBLE,
        TrackingState.OUT_FOR_DELIVERY,
        TrackingState.SIGNED,
    }
    places = read_places(event.text for event in reversed(tracking.events))
    assert (places.hubs, places.outlet, places.route) == (
        tracking.hubs,
        tracking.outlet,
        tracking.route,
    )
    if tracking.state is TrackingState.SIGNED:
        assert tracking.outlet and len(tracking.hubs) >= 2
    assert tracking.batch[:2].isalpha() and tracking.batch[2:10].isdigit()
