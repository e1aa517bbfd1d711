"""Reading a parcel's places and state out of its tracking events; whose number it is."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.domain.carriers import (
    DEMO_OWN_PATTERN,
    CarrierDataError,
    other_carrier,
    parse_carriers,
)
from cs_console.domain.policy import PolicyError, parse_policy
from cs_console.domain.tracking import (
    HUB_SUFFIXES,
    OUTLET_SUFFIXES,
    TrackingEvent,
    TrackingState,
    build_tracking,
    place_kind,
    read_places,
    short_hub,
    state_for_code,
)

CARRIERS = parse_carriers(
    tomllib.loads((resources.files("cs_console") / "data" / "carriers.toml").read_text("utf-8"))
)
OWN = re.compile(DEMO_OWN_PATTERN)
AT = datetime(2026, 12, 5, 10, 20, tzinfo=UTC)

names = st.text(alphabet="杭州北京上海广州西湖白云光谷天河南昌", min_size=1, max_size=6)
hubs = st.builds(lambda n, s: n + s, names, st.sampled_from(HUB_SUFFIXES))
outlets = st.builds(lambda n, s: n + s, names, st.sampled_from(OUTLET_SUFFIXES))


def test_the_issue_s_examples() -> None:
    places = read_places(
        [
            "【广州白云营业部】已揽收",
            "【杭州转运中心】已发出 下一站【北京转运中心】",
            "快件已到达【北京转运中心】",
            "【北京朝阳网点】派件员 刘师傅 正在派件",
        ]
    )
    assert places.hubs == ("杭州转运中心", "北京转运中心")
    assert places.outlet == "北京朝阳网点"
    assert places.route == "杭州-北京"


def test_a_next_stop_is_not_passed_until_the_parcel_gets_there() -> None:
    left = ["快件已到达【杭州转运中心】", "【杭州转运中心】已发出 下一站【北京转运中心】"]
    places = read_places(left)
    assert places.hubs == ("杭州转运中心",)
    assert places.route == "杭州-杭州"
    arrived = read_places([*left, "快件已到达【北京转运中心】"])
    assert arrived.hubs == ("杭州转运中心", "北京转运中心")
    assert arrived.route == "杭州-北京"
    # On its way to the outlet that will deliver it: that outlet is known already.
    going = read_places([*left[:1], "【杭州转运中心】已发往【杭州西湖网点】"])
    assert going.hubs == ("杭州转运中心",)
    assert going.outlet == "杭州西湖网点"


def test_the_outlet_that_picked_up_is_not_the_delivering_one() -> None:
    places = read_places(["【广州白云网点】已揽收", "快件已到达【广州分拨中心】"])
    assert places == read_places(["快件已到达【广州分拨中心】"])
    assert places.outlet == ""
    assert places.route == "广州-广州"


def test_no_hub_no_route() -> None:
    assert read_places(["【武汉光谷网点】已揽收", "已签收"]).route == ""


@given(st.lists(hubs, min_size=1, max_size=6), outlets)
def test_every_hub_once_in_order_and_the_route_spans_them(path: list[str], outlet: str) -> None:
    texts = [f"快件已到达【{hub}】" for hub in path] + [f"【{outlet}】派件员 正在派件"]
    places = read_places(texts)
    assert list(places.hubs) == list(dict.fromkeys(path))
    assert places.outlet == outlet
    assert places.route == f"{short_hub(path[0])}-{short_hub(path[-1])}"


@given(hubs, outlets)
def test_hubs_and_outlets_are_told_apart_by_their_ending(hub: str, outlet: str) -> None:
    assert place_kind(hub) == "hub"
    assert place_kind(outlet) == "outlet"
    assert place_kind(hub + "门口") is None


@given(st.text(max_size=200))
def test_any_text_reads_without_error(text: str) -> None:
    places = read_places([text])
    assert all(place_kind(h) == "hub" for h in places.hubs)


def test_state_codes() -> None:
    expected = {
        0: "in_transit",
        1: "picked_up",
        2: "trouble",
        3: "signed",
        4: "returned",
        5: "out_for_delivery",
        6: "returning",
        7: "forwarded",
        14: "refused",
    }
    assert {code: state_for_code(code).value for code in expected} == expected
    assert state_for_code(301) is TrackingState.SIGNED
    assert state_for_code(1002) is TrackingState.IN_TRANSIT
    assert state_for_code(99) is TrackingState.UNKNOWN


@given(st.integers())
def test_every_code_has_a_state(code: int) -> None:
    assert isinstance(state_for_code(code), TrackingState)


def test_build_tracking_reads_places_oldest_first() -> None:
    events = (
        TrackingEvent(AT, "【北京朝阳网点】派件员 正在派件"),
        TrackingEvent(AT, "【杭州转运中心】已发出 下一站【北京转运中心】"),
    )
    tracking = build_tracking(
        tracking_no="SF1311234567890",
        state_code=5,
        events_newest_first=events,
        carrier="own",
        source="demo",
        fetched_at=AT,
    )
    assert tracking.state is TrackingState.OUT_FOR_DELIVERY
    assert tracking.hubs == ("杭州转运中心", "北京转运中心")
    assert tracking.outlet == "北京朝阳网点"


SAMPLES = {
    "SF": "SF1311234567890",
    "YTO": "YT1234567890123",
    "ZTO": "731234567890",
    "STO": "7712345678901",
    "YUNDA": "4312345678901",
    "JD": "JDVA12345678901",
    "EMS": "EA123456789CN",
    "JT": "JT1234567890123",
}


@pytest.mark.parametrize(("code", "number"), SAMPLES.items())
def test_each_carrier_is_named_when_the_number_is_not_ours(code: str, number: str) -> None:
    nobody = re.compile("X{99}")
    found = other_carrier(number, nobody, CARRIERS)
    assert found is not None and found.code == code


def test_the_data_names_the_eight_carriers() -> None:
    assert {c.code for c in CARRIERS} == set(SAMPLES)
    assert all(c.name("zh-CN") and c.name("en") for c in CARRIERS)


@given(st.sampled_from(CARRIERS).flatmap(lambda c: st.from_regex(c.pattern, fullmatch=True)))
def test_our_own_numbers_are_never_another_carrier_s(number: str) -> None:
    assert other_carrier(number, re.compile(re.escape(number)), CARRIERS) is None


@given(st.from_regex(OWN, fullmatch=True))
def test_the_demo_company_s_numbers_are_its_own(number: str) -> None:
    assert other_carrier(number, OWN, CARRIERS) is None


def test_a_number_of_no_known_format_is_nobody_s() -> None:
    assert other_carrier("ZZ12345678", re.compile("X{99}"), CARRIERS) is None


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, "[carrier]"),
        ({"carrier": [{"code": "A"}]}, "[carrier[0]]"),
        (
            {
                "carrier": [
                    {"code": "A", "name_zh": "甲", "name_en": "A", "kuaidi100": "a", "pattern": "("}
                ]
            },
            "carrier[0].pattern",
        ),
    ],
)
def test_bad_carrier_data_names_the_key(data: dict, problem: str) -> None:
    with pytest.raises(CarrierDataError, match=re.escape(problem)):
        parse_carriers(data, "carriers.toml")


def test_the_tracking_policy() -> None:
    data = tomllib.loads(
        (resources.files("cs_console") / "data" / "policy.toml").read_text("utf-8")
    )
    policy = parse_policy(data).tracking
    assert policy.cache_for.total_seconds() == 1800
    assert policy.timeout_seconds == 2
    data["tracking"]["timeout_seconds"] = 0
    with pytest.raises(PolicyError, match=r"tracking.timeout_seconds"):
        parse_policy(data)
