"""Whether the working-day calendar knows next year: asked by ``cs-console doctor`` and the
supervisor's overview, which warn while it does not (domain/working_days.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cs_console.domain.policy import Policy
from cs_console.domain.working_days import calendar_known


def unknown_calendar_year(
    policy: Policy, zone: ZoneInfo, now: datetime | None = None
) -> int | None:
    """Next year (after ``now``, default the system clock, in ``zone``) when neither the
    holidays library nor the policy's ``[calendar]`` overrides know its public holidays
    and make-up working days; else None. Until someone adds them, working-day clocks that
    reach into that year would count its holidays as working days."""
    year = (now or datetime.now(UTC)).astimezone(zone).year + 1
    return None if calendar_known(year, policy.calendar) else year
