"""The incident rules: issues of a complaint, the mass-complaint window, disaster regions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.domain.incidents import (
    IssueDimension,
    ParcelPlace,
    incident_label,
    is_mass,
    issues_of,
    match_regions,
    parse_regions,
    window_start,
)

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
HOUR = timedelta(minutes=60)


def fires_at(
    earlier: Sequence[datetime], new: datetime, *, window: timedelta, threshold: int
) -> bool:
    """Whether a complaint registered at ``new`` makes its issue a mass complaint.

    ``earlier`` are the registration times of the issue's earlier complaints; counted are
    those within ``window`` before ``new`` (both ends included), plus the new one.
    """
    since = window_start(new, window)
    inside = sum(1 for at in earlier if since <= at <= new) + 1
    return is_mass(inside, threshold)


def test_an_issue_is_the_category_and_one_place_of_the_parcel() -> None:
    place = ParcelPlace(route="杭州-北京", hubs=("杭州转运中心",), outlet="", batch="W12")

    issues = issues_of("delay", place)

    assert [(i.dimension, i.value) for i in issues] == [
        (IssueDimension.ROUTE, "杭州-北京"),
        (IssueDimension.HUB, "杭州转运中心"),
        (IssueDimension.BATCH, "W12"),
    ]
    assert issues[1].key == "delay|hub|杭州转运中心"
    assert issues_of("loss", ParcelPlace()) == []


def test_a_parcel_belongs_to_an_issue_about_each_hub_it_passed() -> None:
    place = ParcelPlace(
        route="杭州-北京", hubs=("杭州转运中心", "南京转运中心", "北京转运中心", "")
    )

    found = [i.value for i in issues_of("delay", place) if i.dimension is IssueDimension.HUB]

    assert found == ["杭州转运中心", "南京转运中心", "北京转运中心"]


def test_more_than_the_threshold_is_mass() -> None:
    assert not is_mass(20, 20)
    assert is_mass(21, 20)


def test_the_21st_within_the_hour_fires_but_not_the_20th_nor_over_61_minutes() -> None:
    every_3_min = [T0 + timedelta(minutes=3 * i) for i in range(20)]

    assert not fires_at(every_3_min[:19], every_3_min[19], window=HOUR, threshold=20)
    assert fires_at(every_3_min, T0 + HOUR, window=HOUR, threshold=20)  # both ends count
    assert not fires_at(every_3_min, T0 + timedelta(minutes=61), window=HOUR, threshold=20)


def _window_exceeded(times: list[datetime], window: timedelta, threshold: int) -> bool:
    """The rule said plainly: some window of that length holds more than threshold."""
    return any(
        sum(1 for other in times if start <= other <= start + window) > threshold for start in times
    )


@given(
    minutes=st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=40),
    threshold=st.integers(min_value=1, max_value=8),
)
def test_checking_each_new_complaint_catches_every_crowded_window(
    minutes: list[int], threshold: int
) -> None:
    """Complaints arrive in time order; checking each one as it arrives fires exactly when
    some 60-minute window holds more than the threshold."""
    times = sorted(T0 + timedelta(minutes=m) for m in minutes)

    fired = any(
        fires_at(times[:i], times[i], window=HOUR, threshold=threshold) for i in range(len(times))
    )

    assert fired == _window_exceeded(times, HOUR, threshold)


@given(st.lists(st.integers(min_value=0, max_value=59), min_size=21, max_size=21))
def test_21_inside_any_hour_always_fire_on_the_last(minutes: list[int]) -> None:
    times = sorted(T0 + timedelta(minutes=m) for m in minutes)

    assert fires_at(times[:-1], times[-1], window=HOUR, threshold=20)
    assert not fires_at(times[:-2], times[-2], window=HOUR, threshold=20)


def test_regions_match_the_route_or_hub_by_name() -> None:
    hub = ParcelPlace(route="广州-深圳", hubs=("广州转运中心", "杭州转运中心"))
    route = ParcelPlace(route="上海-成都", hubs=("上海转运中心",))

    assert match_regions(("成都", "杭州"), hub) == "杭州"
    assert match_regions(("成都", "杭州"), route) == "成都"
    assert match_regions(("北京",), route) is None
    assert match_regions(("",), route) is None
    assert match_regions(("杭州",), ParcelPlace(outlet="杭州西湖网点")) is None  # outlets aren't


def test_regions_are_typed_as_a_list() -> None:
    assert parse_regions("杭州、成都，杭州 ; 武汉\x1b[2J", max_chars=10) == (
        "杭州",
        "成都",
        "武汉",
    )
    with pytest.raises(ValueError, match="required"):
        parse_regions(" ,、 ", max_chars=10)
    with pytest.raises(ValueError, match="too_long"):
        parse_regions("a" * 11, max_chars=10)


def test_incidents_are_named_by_number() -> None:
    assert incident_label(7) == "I0007"
