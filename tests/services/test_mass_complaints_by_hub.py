"""Issue 12's case: delay complaints about different parcels whose tracking passes one hub
in the middle of their way, some imported from a register and some registered as a console
does (the services, with the tracking provider behind the lookup). 21 within the hour raise
one alert, 20 raise none. Both engines."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from cs_console.services.complaint_import import import_register
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.storage.tables import MassAlert
from tests.conftest import FakeClock
from tests.services.fake_tracking import FakeProvider, tracked
from tests.services.helpers import distinct_form, rows, tracking
from tests.services.test_complaint_import import line, register

HUB = "杭州转运中心"  # every parcel passes it, never first nor last
CITIES = ("上海", "广州", "北京", "成都", "武汉", "南京", "深圳", "西安")


def through_the_hub(console: ServiceContext, n: int) -> FakeProvider:
    """A provider telling parcels 0 … n-1 travel from a city to another through HUB, each
    with an outlet and batch of its own; no city is the start or end of more than 3."""
    provider = FakeProvider(console, ())
    for i in range(n):
        origin, destination = CITIES[i % 8], CITIES[(i + 1 + i // 8) % 8]
        provider.by_number[tracking(i)] = (f"{origin}转运中心", HUB, f"{destination}转运中心")
        provider.outlets[tracking(i)] = f"{destination}{i}号网点"
        provider.batches[tracking(i)] = f"B{i:03d}"
    return provider


def imported(console: ServiceContext, agent: Actor, numbers: range, minutes_ago: int) -> None:
    """A register of delay complaints about ``numbers``, the first ``minutes_ago`` minutes
    before now and one a minute after the other."""
    zone = ZoneInfo("Asia/Shanghai")
    start = console.now().astimezone(zone) - timedelta(minutes=minutes_ago)
    lines = [
        line(i, **{"登记时间": (start + timedelta(minutes=k)).strftime("%Y-%m-%d %H:%M")})
        for k, i in enumerate(numbers)
    ]
    assert import_register(console, agent, register(*lines)).imported == len(lines)


def typed(console: ServiceContext, agent: Actor, clock: FakeClock, numbers: range) -> None:
    """Delay complaints registered one a minute, as the workspace's save does."""
    for i in numbers:
        register_complaint(console, agent, distinct_form(i))
        clock.advance(minutes=1)


@pytest.mark.parametrize("first", ["import", "console"])
@pytest.mark.parametrize(("n", "alerts"), [(21, 1), (20, 0)])
def test_complaints_through_one_middle_hub_raise_one_alert_past_twenty(
    console: ServiceContext, clock: FakeClock, agent: Actor, first: str, n: int, alerts: int
) -> None:
    desk = tracked(console, through_the_hub(console, n))
    half = n // 2
    if first == "import":  # a register backfilled from 50 minutes ago, then typed ones
        imported(desk, agent, range(half), minutes_ago=50)
        typed(desk, agent, clock, range(half, n))
    else:  # typed ones, then a register of the last 20 minutes
        typed(desk, agent, clock, range(half, n))
        imported(desk, agent, range(half), minutes_ago=20)

    raised = rows(console, MassAlert)
    assert [(a.category, a.dimension, a.value, a.count) for a in raised] == [
        ("delay", "hub", HUB, 21)
    ][:alerts]
