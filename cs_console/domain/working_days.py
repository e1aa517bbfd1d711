"""Working days (工作日): China's official calendar with the policy's corrections.

Clocks counted in working days (a claim's decision, its payout) skip weekends and China's
public holidays and count the State Council's make-up working days (调休), when a Saturday or
Sunday is worked to join a holiday into a long break. The calendar comes from the
``holidays`` package (its China calendar is updated each year from the State Council's
notice); the policy's ``[calendar]`` section adds days off and working days the package
does not know yet or gets wrong. The hour clocks (1 h, 6 h, 24 h, 48 h) are wall-clock
hours and never come here: the hotline works 7x24.

Dates are local dates: convert an aware time to the company's zone before asking.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import TypeVar

from cs_console.domain.policy import CalendarPolicy

D = TypeVar("D", bound=date)

# More than a year of days off in a row is a broken calendar, not a holiday.
_LONGEST_BREAK = 400


@cache
def _official_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The public holidays and the make-up working days of ``year`` in China's calendar."""
    # Imported here: the package loads every country's calendar (~0.15 s), needed only
    # once a working-day clock is computed.
    import holidays

    china = holidays.China(years=year)
    days_off = frozenset(day for day in china if day.year == year)
    worked = frozenset(day for day in china.weekend_workdays if day.year == year)
    return days_off, worked


def is_working_day(day: date, calendar: CalendarPolicy) -> bool:
    """Whether ``day`` is worked: a weekday that is no public holiday, or a make-up
    working day; the policy's ``extra_working_days`` and ``extra_holidays`` come first."""
    day = date(day.year, day.month, day.day)  # a datetime's date, compared as a date
    if day in calendar.extra_working_days:
        return True
    if day in calendar.extra_holidays:
        return False
    days_off, worked = _official_year(day.year)
    if day.weekday() >= 5:
        return day in worked
    return day not in days_off


def add_working_days(start: D, n: int, calendar: CalendarPolicy) -> D:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted), at the
    same time of day when ``start`` is a datetime. ``n == 0`` gives ``start`` back.

    Started on Friday 2026-02-13, 3 working days end on 2026-02-25: Saturday the 14th is a
    make-up working day, the 15th to the 23rd are the Spring Festival break.
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day, left, idle = start, n, 0
    while left:
        day = day + timedelta(days=1)
        if is_working_day(day, calendar):
            left, idle = left - 1, 0
        else:
            idle += 1
            if idle > _LONGEST_BREAK:
                raise ValueError(f"no working day in the {_LONGEST_BREAK} days after {day}")
    return day


def calendar_known(year: int, calendar: CalendarPolicy) -> bool:
    """Whether ``year``'s holidays and make-up working days are known: the ``holidays``
    package has the State Council's arrangement for that year, or the policy lists days of
    that year. Asked for next year: the State Council publishes it each November or so, and
    a package (or policy) without it counts next year's holidays as working days."""
    if any(day.year == year for day in calendar.extra_holidays | calendar.extra_working_days):
        return True
    from holidays.countries.china import ChinaStaticHolidays

    # Every year's arrangement (since 2001) moves days: its swaps are listed per year.
    return year in ChinaStaticHolidays.special_public_holidays
