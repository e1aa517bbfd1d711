"""Reading a tracking for the call: where the parcel is, what happened there last, the
promised day and the days late (the policy's promise counted from the pick-up)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs_console.domain.parcel_status import Lateness, Move, late_days, read_status
from cs_console.domain.tracking import Tracking, TrackingEvent, build_tracking

CHINA = ZoneInfo("Asia/Shanghai")
PROMISE = timedelta(days=3)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def tracking(state: int, *events: tuple[str, str]) -> Tracking:
    """Events newest first, as (time, text)."""
    return build_tracking(
        tracking_no="SF1311230000001",
        state_code=state,
        events_newest_first=[TrackingEvent(at(when), text) for when, text in events],
        carrier="own",
        source="test",
        fetched_at=at("2026-11-22 14:00"),
    )


ON_ITS_WAY = tracking(
    0,
    ("2026-11-22 13:20", "【北京转运中心】已发出 下一站【北京朝阳网点】"),
    ("2026-11-22 02:05", "快件已到达【北京转运中心】"),
    ("2026-11-20 09:00", "【杭州西湖营业部】已揽收"),
)


def test_a_parcel_that_left_a_hub_is_read_as_departed_from_there_with_the_promise() -> None:
    status = read_status(ON_ITS_WAY, PROMISE, at("2026-11-22 14:00"), CHINA)
    assert status is not None
    assert (status.place, status.move, status.at) == (
        "北京转运中心",
        Move.DEPARTED,
        at("2026-11-22 13:20"),
    )
    assert status.promised == at("2026-11-23 09:00")
    assert (status.lateness, status.days_late) == (Lateness.ON_TIME, 0)


def test_a_parcel_that_arrived_is_read_as_arrived() -> None:
    arrived = tracking(0, ("2026-11-22 02:05", "快件已到达【北京转运中心】"))
    status = read_status(arrived, PROMISE, at("2026-11-22 14:00"), CHINA)
    assert status is not None and status.move is Move.ARRIVED
    assert status.place == "北京转运中心"


@pytest.mark.parametrize(
    ("now", "days"),
    [
        ("2026-11-23 09:00", 0),  # the promised moment itself: not late
        ("2026-11-23 09:01", 1),  # a minute past it, the same day: 1 day
        ("2026-11-23 23:59", 1),
        ("2026-11-24 00:01", 1),  # the next calendar day: 1 day after the promised day
        ("2026-11-25 08:00", 2),
    ],
)
def test_days_late_while_on_the_way_count_calendar_days_from_the_promised_day(
    now: str, days: int
) -> None:
    status = read_status(ON_ITS_WAY, PROMISE, at(now), CHINA)
    assert status is not None and status.days_late == days
    assert status.lateness is (Lateness.LATE if days else Lateness.ON_TIME)


def test_a_signed_parcel_is_late_by_its_signing_not_by_today() -> None:
    signed = tracking(
        3,
        ("2026-11-25 10:00", "【北京朝阳网点】快件已签收，签收人：本人"),
        ("2026-11-20 09:00", "【杭州西湖营业部】已揽收"),
    )
    status = read_status(signed, PROMISE, at("2026-12-05 12:00"), CHINA)
    assert status is not None
    assert (status.lateness, status.days_late) == (Lateness.SIGNED_LATE, 2)
    assert status.signed_at == at("2026-11-25 10:00")
    on_time = read_status(signed, timedelta(days=6), at("2026-12-05 12:00"), CHINA)
    assert on_time is not None and on_time.lateness is Lateness.SIGNED_ON_TIME


def test_no_events_no_status() -> None:
    assert read_status(tracking(0), PROMISE, at("2026-11-22 14:00"), CHINA) is None


def test_late_days_is_zero_until_the_promise_has_passed() -> None:
    promised = at("2026-11-23 09:00")
    assert late_days(promised, promised - timedelta(days=2), CHINA) == 0
    assert late_days(promised, promised + timedelta(hours=1), CHINA) == 1
