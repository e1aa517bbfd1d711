"""The kuaidi100 provider against a real HTTP server on 127.0.0.1 speaking its API."""

from __future__ import annotations

import contextlib
import json
import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.tracking import TrackingState
from cs_console.services.tracking.kuaidi100 import Kuaidi100Provider, sign
from cs_console.services.tracking.provider import TrackingUnavailable, UnknownNumber
from tests.services.kuaidi100_server import (
    COM,
    CUSTOMER,
    KEY,
    Kuaidi100Server,
    answer,
    event,
    kuaidi100_fixture,  # noqa: F401  (the fixture "kuaidi100")
    unused_url,
)

NUMBER = "SF1311234567890"
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
TIMELINE = [
    event("2026-12-05 18:20:00", "【武汉光谷网点】派件员 刘师傅 正在派件", "派件", "湖北,武汉市"),
    event("2026-12-05 11:45:00", "快件已到达【武汉天河分拨中心】"),
    event("2026-12-05 01:10:00", "【南昌昌北转运中心】已发出 下一站【武汉天河分拨中心】"),
    event("2026-12-04 20:30:00", "快件已到达【广州白云转运中心】"),
    event("2026-12-04 15:02:00", "【广州白云营业部】已揽收", "揽收"),
]


def provider(url: str, *, key: str = KEY, timeout: float = 2.0) -> Kuaidi100Provider:
    return Kuaidi100Provider(
        url=url, customer=CUSTOMER, key=key, com=COM, timeout=timeout, clock=lambda: NOW
    )


def test_the_request_is_signed_as_documented(kuaidi100: Kuaidi100Server) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 5, TIMELINE)

    provider(kuaidi100.url).query(NUMBER, "5678")

    form = kuaidi100.requests[0]
    assert set(form) == {"customer", "param", "sign"}
    assert json.loads(form["param"]) == {
        "com": COM,
        "num": NUMBER,
        "phone": "5678",
        "resultv2": "4",
    }
    assert form["sign"] == sign(form["param"], KEY, CUSTOMER)
    assert form["sign"].isupper() and len(form["sign"]) == 32


def test_state_events_hubs_outlet_and_route(kuaidi100: Kuaidi100Server) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 5, TIMELINE)

    tracking = provider(kuaidi100.url).query(NUMBER)

    assert tracking.state is TrackingState.OUT_FOR_DELIVERY
    assert tracking.state_code == 5
    assert tracking.hubs == ("广州白云转运中心", "南昌昌北转运中心", "武汉天河分拨中心")
    assert tracking.outlet == "武汉光谷网点"
    assert tracking.route == "广州白云-武汉天河"
    newest = tracking.events[0]
    assert newest.at == datetime(2026, 12, 5, 10, 20, tzinfo=UTC)  # 18:20 in China
    assert newest.place == "湖北,武汉市"  # areaName when given
    assert tracking.events[1].place == "武汉天河分拨中心"  # else the bracketed place
    assert (tracking.source, tracking.carrier, tracking.fetched_at) == ("kuaidi100", "own", NOW)


@pytest.mark.parametrize(
    ("code", "state"),
    [
        (0, TrackingState.IN_TRANSIT),
        (1, TrackingState.PICKED_UP),
        (2, TrackingState.TROUBLE),
        (3, TrackingState.SIGNED),
        (4, TrackingState.RETURNED),
        (5, TrackingState.OUT_FOR_DELIVERY),
        (6, TrackingState.RETURNING),
        (7, TrackingState.FORWARDED),
        (14, TrackingState.REFUSED),
    ],
)
def test_each_state_code(kuaidi100: Kuaidi100Server, code: int, state: TrackingState) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, code, TIMELINE[-1:])

    assert provider(kuaidi100.url).query(NUMBER).state is state


def test_an_unknown_number_carries_the_provider_s_message(kuaidi100: Kuaidi100Server) -> None:
    with pytest.raises(UnknownNumber) as raised:
        provider(kuaidi100.url).query("YT9999999999999")

    assert raised.value.message == "查询无结果，请隔段时间再查"
    assert raised.value.code == "500"


def test_a_bad_key_is_not_an_unknown_number(kuaidi100: Kuaidi100Server) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 3, TIMELINE)

    with pytest.raises(TrackingUnavailable) as raised:
        provider(kuaidi100.url, key="wrong-key").query(NUMBER)

    assert raised.value.reason == "bad_key"
    assert "503" in raised.value.detail


def test_a_slow_provider_times_out_after_the_policy_s_two_seconds(
    kuaidi100: Kuaidi100Server,
) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 3, TIMELINE)
    kuaidi100.mode = "slow"
    timeout = default_policy().tracking.timeout_seconds
    assert timeout == 2

    started = time.monotonic()
    with pytest.raises(TrackingUnavailable) as raised:
        provider(kuaidi100.url, timeout=timeout).query(NUMBER)

    assert raised.value.reason == "timeout"
    assert str(raised.value) == "tracking unavailable: timeout"
    assert 1.9 <= time.monotonic() - started < 2.9


def test_the_two_seconds_hold_for_the_whole_answer(kuaidi100: Kuaidi100Server) -> None:
    """Headers at once, then a byte every quarter second: each read is quick, the whole is
    not."""
    kuaidi100.known[NUMBER] = answer(NUMBER, 3, TIMELINE)
    kuaidi100.mode = "trickle"

    started = time.monotonic()
    with pytest.raises(TrackingUnavailable) as raised:
        provider(kuaidi100.url, timeout=2.0).query(NUMBER)

    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 2.5


def test_a_provider_that_is_down(kuaidi100: Kuaidi100Server) -> None:
    with pytest.raises(TrackingUnavailable) as raised:
        provider(unused_url()).query(NUMBER)

    assert raised.value.reason == "unreachable"


@pytest.mark.parametrize("mode", ["html", "truncated"])
def test_garbage_is_a_clear_failure(kuaidi100: Kuaidi100Server, mode: str) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 3, TIMELINE)
    kuaidi100.mode = mode

    with pytest.raises(TrackingUnavailable) as raised:
        provider(kuaidi100.url).query(NUMBER)

    assert raised.value.reason in {"http_error", "garbled"}
    assert "\n" not in str(raised.value)


def test_a_json_answer_without_events_is_garbled(kuaidi100: Kuaidi100Server) -> None:
    kuaidi100.known[NUMBER] = {"message": "ok", "status": "200"}

    with pytest.raises(TrackingUnavailable) as raised:
        provider(kuaidi100.url).query(NUMBER)

    assert raised.value.reason == "garbled"


def test_ten_thousand_events(kuaidi100: Kuaidi100Server) -> None:
    hops = [
        event(f"2026-11-{1 + i // 1000:02d} 10:{i % 60:02d}:00", f"快件已到达【第{i}转运中心】")
        for i in range(10_000)
    ]
    kuaidi100.known[NUMBER] = answer(NUMBER, 0, list(reversed(hops)))

    started = time.monotonic()
    tracking = provider(kuaidi100.url).query(NUMBER)

    assert len(tracking.events) == 10_000
    assert len(tracking.hubs) == 10_000
    assert tracking.route == "第0-第9999"
    assert time.monotonic() - started < 2


def test_control_characters_in_events_are_cleaned(kuaidi100: Kuaidi100Server) -> None:
    hostile = event("2026-12-05 18:20:00", "[bold]x[/b] \x1b]52;c;aGk=\x07【杭州西湖网点】\x1b[2J")
    kuaidi100.known[NUMBER] = answer(NUMBER, 5, [hostile])

    text = provider(kuaidi100.url).query(NUMBER).events[0].text

    assert "\x1b" not in text and "\x07" not in text
    assert "[bold]x[/b]" in text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
answers = st.fixed_dictionaries(
    {"state": json_values | st.sampled_from(["3", "5", 0]), "data": json_values},
    optional={"result": json_values, "returnCode": json_values, "message": json_values},
)


@settings(max_examples=200)
@given(st.binary(max_size=300) | answers.map(lambda a: json.dumps(a).encode()))
def test_any_answer_is_a_tracking_or_a_clear_failure(body: bytes) -> None:
    """Whatever comes back, the provider answers or fails with its own exceptions."""
    with contextlib.suppress(TrackingUnavailable, UnknownNumber):
        provider("http://127.0.0.1:9/")._read(NUMBER, body)
