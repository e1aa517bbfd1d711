"""The calendar dates the console accepts from people and files.

Anything a person types or a register holds is checked against this range before it becomes
a moment in time: a year 0001 or 9999 is a typing error, not a date of this business, and
converting it between time zones overflows Python's and the databases' date types.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2199, 12, 31)


def in_range(day: date) -> bool:
    """Whether ``day`` lies between ``FIRST_DAY`` and ``LAST_DAY``, both included."""
    return FIRST_DAY <= day <= LAST_DAY
