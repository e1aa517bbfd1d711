"""Working days over China's 2026 calendar (the State Council's notice, as the ``holidays``
package gives it): the Spring Festival break 02-15..02-23 with make-up Saturdays 02-14 and
02-28, National Day 10-01..10-07 with make-up Sunday 09-20 and Saturday 10-10; and the
policy's corrections."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.domain.policy import CalendarPolicy, PolicyError, parse_policy
from cs_console.domain.working_days import add_working_days, calendar_known, is_working_day
from cs_console.i18n import current_language, set_language

PLAIN = CalendarPolicy(frozenset(), frozenset())
POLICY = Path(__file__).parents[2] / "cs_console" / "data" / "policy.toml"


def test_the_2026_spring_festival_break_and_its_make_up_saturdays() -> None:
    worked = {
        date(2026, 2, 13) + timedelta(days=i): is_working_day(
            date(2026, 2, 13) + timedelta(days=i), PLAIN
        )
        for i in range(17)  # Friday 02-13 .. Sunday 03-01
    }
    off = {day for day, working in worked.items() if not working}
    assert off == {date(2026, 2, d) for d in range(15, 24)} | {date(2026, 3, 1)}
    assert worked[date(2026, 2, 14)] and worked[date(2026, 2, 28)]  # make-up Saturdays


def test_a_3_working_day_clock_started_on_friday_2026_02_13() -> None:
    # Saturday the 14th is worked; 15th-23rd off; then Tuesday the 24th, Wednesday the 25th.
    assert add_working_days(date(2026, 2, 13), 1, PLAIN) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2, PLAIN) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 3, PLAIN) == date(2026, 2, 25)


def test_a_datetime_keeps_its_time_of_day() -> None:
    start = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert add_working_days(start, 3, PLAIN) == datetime(2026, 2, 25, 16, 30, tzinfo=UTC)


def test_national_day_2026_with_make_up_sunday_and_saturday() -> None:
    assert is_working_day(date(2026, 9, 20), PLAIN)  # Sunday, worked
    assert not any(is_working_day(date(2026, 10, d), PLAIN) for d in range(1, 8))
    assert is_working_day(date(2026, 10, 10), PLAIN)  # Saturday, worked
    assert not is_working_day(date(2026, 10, 11), PLAIN)  # an ordinary Sunday
    # From Friday 09-18: Sunday 09-20 counts, then 21-25 (Mid-Autumn Friday 25th off).
    assert add_working_days(date(2026, 9, 18), 1, PLAIN) == date(2026, 9, 20)
    assert add_working_days(date(2026, 9, 18), 6, PLAIN) == date(2026, 9, 28)
    # From Wednesday 09-30: the break, then Thursday 10-08, Friday 10-09, Saturday 10-10.
    assert add_working_days(date(2026, 9, 30), 3, PLAIN) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 4, PLAIN) == date(2026, 10, 12)


def test_zero_days_is_the_start_and_negative_is_refused() -> None:
    assert add_working_days(date(2026, 2, 15), 0, PLAIN) == date(2026, 2, 15)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 2, 15), -1, PLAIN)


def test_the_policy_corrects_the_calendar() -> None:
    corrected = CalendarPolicy(
        extra_holidays=frozenset({date(2026, 2, 24)}),
        extra_working_days=frozenset({date(2026, 2, 22)}),
    )
    assert not is_working_day(date(2026, 2, 24), corrected)
    assert is_working_day(date(2026, 2, 22), corrected)
    assert add_working_days(date(2026, 2, 13), 3, corrected) == date(2026, 2, 25)
    assert add_working_days(date(2026, 2, 13), 2, corrected) == date(2026, 2, 22)


def test_next_year_is_known_once_the_package_or_the_policy_has_it() -> None:
    assert calendar_known(2026, PLAIN)
    assert not calendar_known(2099, PLAIN)
    told = CalendarPolicy(frozenset({date(2099, 1, 2)}), frozenset())
    assert calendar_known(2099, told)


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 30))
def test_the_end_is_a_working_day_with_exactly_n_between(start: date, n: int) -> None:
    end = add_working_days(start, n, PLAIN)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_working_day(day, PLAIN) for day in between) == n
    assert n == 0 or is_working_day(end, PLAIN)


def _parse(calendar: dict[str, object]) -> CalendarPolicy:
    data = tomllib.loads(POLICY.read_text(encoding="utf-8"))
    data["calendar"] = calendar
    return parse_policy(data, "policy.toml").calendar


def test_the_policy_reads_toml_dates_and_iso_strings() -> None:
    read = _parse({"extra_holidays": [date(2027, 2, 11)], "extra_working_days": ["2027-02-20"]})
    assert read == CalendarPolicy(frozenset({date(2027, 2, 11)}), frozenset({date(2027, 2, 20)}))


@pytest.mark.parametrize(
    ("calendar", "message"),
    [
        (
            {"extra_holidays": ["2027-13-01"], "extra_working_days": []},
            "[calendar.extra_holidays] must be a list of dates",
        ),
        (
            {"extra_holidays": "2027-02-11", "extra_working_days": []},
            "[calendar.extra_holidays] must be a list of dates",
        ),
        (
            {"extra_holidays": ["2027-02-11"], "extra_working_days": [date(2027, 2, 11)]},
            "[calendar.extra_working_days] 2027-02-11 is also in extra_holidays",
        ),
        ({"extra_holidays": []}, "[calendar.extra_working_days] is missing"),
    ],
)
def test_a_bad_calendar_is_named(calendar: dict[str, object], message: str, english: None) -> None:
    with pytest.raises(PolicyError) as raised:
        _parse(calendar)
    assert message in str(raised.value)


@pytest.fixture
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)
