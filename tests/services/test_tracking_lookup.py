"""The lookup every console and command calls: the shared cache in the database in front of
the provider (a real kuaidi100-speaking server on 127.0.0.1), and other carriers' numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from cs_console.config.tracking_settings import TrackingSettings, load_carriers
from cs_console.domain.carriers import DEMO_OWN_PATTERN
from cs_console.domain.tracking import TrackingState
from cs_console.services.context import InvalidInput, ServiceContext, ServiceError
from cs_console.services.tracking.kuaidi100 import Kuaidi100Provider
from cs_console.services.tracking.lookup import TrackingLookup
from cs_console.services.tracking.provider import TrackingUnavailable, UnknownNumber
from cs_console.services.tracking.setup import open_tracking
from cs_console.storage.engine import make_engine
from tests.conftest import FakeClock
from tests.services.kuaidi100_server import (
    COM,
    CUSTOMER,
    KEY,
    Kuaidi100Server,
    answer,
    event,
    kuaidi100_fixture,  # noqa: F401  (the fixture "kuaidi100")
)

NUMBER = "SF1311234567890"
TIMELINE = [
    event("2026-11-22 12:20:00", "【杭州西湖网点】派件员 刘师傅 正在派件"),
    event("2026-11-22 01:10:00", "【上海转运中心】已发出 下一站【杭州转运中心】"),
]


def lookup_on(console: ServiceContext, server: Kuaidi100Server) -> TrackingLookup:
    policy = console.policy.tracking
    provider = Kuaidi100Provider(
        url=server.url,
        customer=CUSTOMER,
        key=KEY,
        com=COM,
        timeout=policy.timeout_seconds,
        clock=console.clock,
    )
    return TrackingLookup(
        engine=console.engine,
        provider=provider,
        policy=policy,
        own_pattern=re.compile(DEMO_OWN_PATTERN),
        carriers=load_carriers(),
        clock=console.clock,
    )


@pytest.fixture
def other_console(console: ServiceContext, db_url: str) -> Iterator[ServiceContext]:
    """A second console (its own engine) on the same database."""
    engine = make_engine(db_url)
    yield ServiceContext(engine, console.policy, console.zone, console.clock)
    engine.dispose()


def test_a_second_lookup_within_30_minutes_does_not_reach_the_provider(
    console: ServiceContext, kuaidi100: Kuaidi100Server, clock: FakeClock
) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 5, TIMELINE)
    lookup = lookup_on(console, kuaidi100)

    first = lookup.track(NUMBER)
    clock.advance(minutes=29)
    again = lookup.track("sf 1311-2345-67890")

    assert kuaidi100.hits == 1
    assert again == first
    assert again.outlet == "杭州西湖网点" and again.hubs == ("上海转运中心", "杭州转运中心")
    clock.advance(minutes=2)
    assert lookup.track(NUMBER).fetched_at == clock.now
    assert kuaidi100.hits == 2


def test_another_console_shares_the_cache(
    console: ServiceContext,
    other_console: ServiceContext,
    kuaidi100: Kuaidi100Server,
) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 3, TIMELINE)
    lookup_on(console, kuaidi100).track(NUMBER)

    tracking = lookup_on(other_console, kuaidi100).track(NUMBER)

    assert kuaidi100.hits == 1
    assert tracking.state is TrackingState.SIGNED


def test_an_unknown_number_is_remembered_too(
    console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    lookup = lookup_on(console, kuaidi100)
    for _ in range(2):
        with pytest.raises(UnknownNumber, match="查询无结果"):
            lookup.track("YT9999999999999")

    assert kuaidi100.hits == 1


def test_a_failure_is_not_kept(
    console: ServiceContext, kuaidi100: Kuaidi100Server, clock: FakeClock
) -> None:
    kuaidi100.known[NUMBER] = answer(NUMBER, 3, TIMELINE)
    kuaidi100.mode = "truncated"
    lookup = lookup_on(console, kuaidi100)
    with pytest.raises(TrackingUnavailable):
        lookup.track(NUMBER)

    kuaidi100.mode = "ok"
    assert lookup.track(NUMBER).state is TrackingState.SIGNED
    assert kuaidi100.hits == 2


def test_another_carrier_s_number_is_named_and_not_asked(
    console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    tracking = lookup_on(console, kuaidi100).track("JT1234567890123")

    assert tracking.carrier == "JT"
    assert tracking.events == () and tracking.source == "carriers"
    assert kuaidi100.hits == 0


def test_what_is_not_a_tracking_number_is_refused(
    console: ServiceContext, kuaidi100: Kuaidi100Server
) -> None:
    lookup = lookup_on(console, kuaidi100)
    with pytest.raises(ServiceError, match="tracking_invalid"):
        lookup.track("12")
    with pytest.raises(InvalidInput):
        lookup.track(NUMBER, "12a4")
    assert kuaidi100.hits == 0


def test_the_settings_choose_the_provider(console: ServiceContext, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    off = open_tracking(console, TrackingSettings(provider="none"))
    with pytest.raises(TrackingUnavailable, match="tracking unavailable: off"):
        off.track(NUMBER)

    monkeypatch.delenv("CS_CONSOLE_TRACKING_KEY", raising=False)
    settings = TrackingSettings(provider="kuaidi100", customer=CUSTOMER, com=COM)
    with pytest.raises(TrackingUnavailable, match="no_key"):
        open_tracking(console, settings).track(NUMBER)

    monkeypatch.setenv("CS_CONSOLE_TRACKING_KEY", KEY)
    assert isinstance(open_tracking(console, settings).provider, Kuaidi100Provider)
    assert open_tracking(console).provider.name == "demo"
    assert console.zone == ZoneInfo("Asia/Shanghai")
