"""Measures over a period and the monthly report: the one place both the overview and
``cs-console report`` compute their numbers, so they always agree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from cs_console.domain.dates import FIRST_DAY, LAST_DAY
from cs_console.domain.measures import Measure, MeasureCounts, measures
from cs_console.domain.permissions import Action
from cs_console.domain.scorecard import AgentMonth, Rating, Scorecard, scorecard
from cs_console.services.context import Actor, InvalidInput, ServiceContext, require
from cs_console.storage.attribution import attributed_counts
from cs_console.storage.engine import read_session
from cs_console.storage.measures import agent_counts, period_counts
from cs_console.storage.overview import StaffRow, desk_staff
from cs_console.storage.tables import AgentRating
from cs_console.storage.work_orders import orders_by_outlet

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class AgentCard:
    """One agent's month: the records, the supervisor's rating and the scorecard."""

    agent_no: str
    username: str
    display_name: str
    month: AgentMonth
    rating: Rating | None
    card: Scorecard


@dataclass(frozen=True)
class MonthlyReport:
    month: str  # "2026-11"
    start: datetime
    end: datetime
    measures: tuple[Measure, ...]
    agents: tuple[AgentCard, ...]
    outlets: tuple[OutletMonth, ...] = ()


@dataclass(frozen=True)
class OutletMonth:
    """One outlet's work orders of the month: sent, answered by their due time, and the
    median time its answers took (None when it answered none)."""

    outlet: str
    orders: int
    replied_in_time: int
    median_reply: timedelta | None


def month_bounds(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instant of ``month`` ("YYYY-MM") in ``zone`` and of the month after."""
    match = MONTH.match(month)
    if match is None:
        raise InvalidInput({"month": "month_invalid"})
    year, number = int(match[1]), int(match[2])
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput({"month": "month_out_of_range"})
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start, end


def current_month(console: ServiceContext) -> str:
    """This month in the console's time zone, "YYYY-MM"."""
    return console.now().astimezone(console.zone).strftime("%Y-%m")


def day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of ``now``'s day in ``zone``."""
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def floor_measures(
    console: ServiceContext,
    session: Session,
    start: datetime,
    end: datetime,
    agents: dict[int, MeasureCounts],
) -> tuple[Measure, ...]:
    """The five measures of the whole floor over ``[start, end)``, as of now; ``agents``
    are the per-agent counts of the same period (``agent_counts``), summed for the floor."""
    counts = period_counts(
        session=session,
        start=start,
        end=end,
        now=console.now(),
        policy=console.policy,
        agents=agents,
    )
    return measures(counts, console.policy.targets)


def ratings_of(session: Session, month: str) -> dict[int, Rating]:
    """The supervisors' ratings entered for ``month``, by agent id."""
    rows = session.exec(
        select(
            col(AgentRating.agent_id), col(AgentRating.attitude), col(AgentRating.compliance)
        ).where(col(AgentRating.month) == month)
    )
    return {agent: Rating(attitude, compliance) for agent, attitude, compliance in rows}


def agent_cards(
    console: ServiceContext,
    session: Session,
    month: str,
    staff: list[StaffRow],
    counts: dict[int, MeasureCounts] | None = None,
) -> tuple[AgentCard, ...]:
    """The scorecards of ``staff`` for ``month`` (``counts``: its ``agent_counts``, when
    already read)."""
    start, end = month_bounds(month, console.zone)
    now = min(console.now(), end)
    if counts is None:
        counts = agent_counts(session=session, start=start, end=end, policy=console.policy)
    blamed = attributed_counts(session=session, start=start, end=end, now=now)
    ratings = ratings_of(session, month)
    cards = []
    for person in staff:
        facts = AgentMonth(
            counts.get(person.id, MeasureCounts()),
            blamed.breaches.get(person.id, 0),
            blamed.late.get(person.id, 0),
            blamed.attitude.get(person.id, 0),
        )
        rating = ratings.get(person.id)
        cards.append(
            AgentCard(
                person.agent_no,
                person.username,
                person.display_name,
                facts,
                rating,
                scorecard(facts, rating, console.policy.scoring),
            )
        )
    return tuple(cards)


def monthly_report(
    console: ServiceContext, actor: Actor, month: str | None = None
) -> MonthlyReport:
    """The measures of ``month`` (default: this month), every agent's scorecard and every
    outlet's work orders (sent that month)."""
    require(actor, Action.VIEW_REPORTS)
    month = month or current_month(console)
    start, end = month_bounds(month, console.zone)
    with read_session(console.engine) as session:
        counts = agent_counts(session=session, start=start, end=end, policy=console.policy)
        found = floor_measures(console, session, start, end, counts)
        cards = agent_cards(console, session, month, desk_staff(session=session), counts)
        outlets = tuple(
            OutletMonth(
                o.outlet,
                o.sent,
                o.answered_in_time,
                timedelta(seconds=median(o.reply_seconds)) if o.reply_seconds else None,
            )
            for o in orders_by_outlet(session=session, start=start, end=end)
        )
    return MonthlyReport(month, start, end, found, cards, outlets)
