"""``cs-console report`` (measures and scorecards of a month) and ``cs-console sla`` (open
clocks amber, red or breached), for supervisors.

Both read through the services the overview uses (services/reports.py, services/overview.py),
so the figures are the overview's. JSON goes to stdout; messages to stderr.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, say, table
from cs_console.i18n import full_time, t

if TYPE_CHECKING:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from cs_console.domain.measures import Measure
    from cs_console.services.overview import AtRisk
    from cs_console.services.reports import AgentCard, MonthlyReport, OutletMonth


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MD = "md"


UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("report.help.user"))
]


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def measure_json(m: Measure) -> dict[str, Any]:
    return {
        "measure": m.kind.value,
        "value": None if m.value is None else round(m.value, 4),
        "target": m.target,
        "met": m.met,
        "counted": m.counted,
    }


def card_json(card: AgentCard) -> dict[str, Any]:
    counts, sc = card.month.counts, card.card
    return {
        "agent_no": card.agent_no,
        "username": card.username,
        "name": card.display_name,
        "answered_in_time": counts.answered.ratio,
        "first_contact_resolution": counts.first_contact.ratio,
        "satisfaction": counts.satisfaction.ratio,
        "measured": None if sc.measured is None else round(sc.measured, 2),
        "attitude": card.rating.attitude if card.rating else None,
        "compliance": card.rating.compliance if card.rating else None,
        "rated": None if sc.rated is None else round(sc.rated, 2),
        "breach_complaints": card.month.breach_complaints,
        "late_complaints": card.month.late_complaints,
        "attitude_complaints": card.month.attitude_complaints,
        "deductions": sc.deductions,
        "score": sc.score,
        "band": sc.band,
        "retraining": sc.retraining,
    }


def measure_rows(found: tuple[Measure, ...]) -> list[list[str]]:
    """(measure, value, target, symbol) as a person reads them."""
    from cs_console.domain.measures import format_measure, format_target, measure_symbol

    return [
        [
            t(f"measure.{m.kind.value}"),
            format_measure(m.value, m.is_share),
            format_target(m.target, m.is_share),
            measure_symbol(m),
        ]
        for m in found
    ]


def card_rows(cards: tuple[AgentCard, ...]) -> list[list[str]]:
    from cs_console.domain.text import clean_line

    rows = []
    for card in cards:
        sc = card.card
        rows.append(
            [
                clean_line(card.agent_no),
                clean_line(card.display_name),
                _number(sc.measured),
                _number(sc.rated),
                f"-{sc.deductions}" if sc.deductions else "0",
                _number(sc.score),
                t(f"band.{sc.band.value}") if sc.band else t("band.unrated"),
                t("report.retraining") if sc.retraining else "",
            ]
        )
    return rows


CARD_COLUMNS = ("agent_no", "name", "measured", "rated", "deductions", "score", "band", "flag")
MEASURE_COLUMNS = ("measure", "value", "target", "met")
OUTLET_COLUMNS = ("outlet", "orders", "in_time", "median_reply")


def _duration(value: timedelta | None) -> str:
    from cs_console.domain.clocks import format_remaining

    return "-" if value is None else format_remaining(value)


def outlet_rows(outlets: tuple[OutletMonth, ...]) -> list[list[str]]:
    """Each outlet's work orders: sent, answered in time, median reply (h:mm:ss)."""
    from cs_console.domain.text import clean_line

    return [
        [clean_line(o.outlet), str(o.orders), str(o.replied_in_time), _duration(o.median_reply)]
        for o in outlets
    ]


def outlet_json(o: OutletMonth) -> dict[str, Any]:
    return {
        "outlet": o.outlet,
        "orders": o.orders,
        "replied_in_time": o.replied_in_time,
        "median_reply_seconds": None if o.median_reply is None else o.median_reply.total_seconds(),
    }


def _markdown(title: str, columns: list[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = [f"## {cell(title)}", "", "| " + " | ".join(map(cell, columns)) + " |"]
    lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _show_report(report: MonthlyReport, output: ReportFormat) -> None:
    sections = [
        (
            t("report.measures_title", month=report.month),
            [t(f"report.column.{c}") for c in MEASURE_COLUMNS],
            measure_rows(report.measures),
        ),
        (
            t("report.cards_title", month=report.month),
            [t(f"report.column.{c}") for c in CARD_COLUMNS],
            card_rows(report.agents),
        ),
        (
            t("report.outlets_title", month=report.month),
            [t(f"report.column.{c}") for c in OUTLET_COLUMNS],
            outlet_rows(report.outlets),
        ),
    ]
    for title, columns, rows in sections:
        if output is ReportFormat.MD:
            typer.echo(_markdown(title, columns, rows))
        else:
            table(title, columns, rows)


def report_command(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help=t("report.help.month"))
    ] = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help=t("report.help.format"))
    ] = ReportFormat.TABLE,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.reports import monthly_report

    with signed_in(ctx, db, user) as (console, actor):
        report = monthly_report(console, actor, month)
    if output is ReportFormat.JSON:
        emit_json(
            {
                "month": report.month,
                "start": report.start,
                "end": report.end,
                "measures": [measure_json(m) for m in report.measures],
                "agents": [card_json(c) for c in report.agents],
                "outlets": [outlet_json(o) for o in report.outlets],
            }
        )
    else:
        _show_report(report, output)


def clock_json(row: AtRisk, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "id": row.id,
        "reference": row.label or None,
        "severity": row.severity or None,
        "clock": row.clock,
        "state": row.state.value,
        "due": row.due.astimezone(zone),
        "owner": row.owner,
    }


def _what(row: AtRisk) -> str:
    """A complaint's reference, or which callback or claim (and its complaint's reference)."""
    if row.kind == "complaint":
        return row.label
    if row.kind == "claim":
        return t("sla.claim", id=row.id, ref=row.label)
    return t("sla.callback", ref=row.label or row.id)


def sla_command(
    ctx: typer.Context,
    output: FormatOption = OutputFormat.TABLE,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.domain.clocks import STATE_SYMBOLS, format_remaining
    from cs_console.domain.text import clean_line
    from cs_console.services.overview import sla_clocks

    with signed_in(ctx, db, user) as (console, actor):
        rows = sla_clocks(console, actor)
    zone, now = console.zone, console.now()
    if output is OutputFormat.JSON:
        emit_json([clock_json(r, zone) for r in rows])
        return
    table(
        t("sla.title", count=len(rows)),
        [t(f"sla.column.{c}") for c in ("state", "what", "clock", "due", "left", "owner")],
        [
            [
                f"{STATE_SYMBOLS[r.state]} {t('sla.state.' + r.state.value)}",
                _what(r),
                t(f"sla.clock.{r.clock}"),
                full_time(r.due, zone),
                format_remaining(r.due - now),
                clean_line(r.owner),
            ]
            for r in rows
        ],
    )


class Who(StrEnum):
    """Who is responsible for a complaint (docs/domain.md), or nobody yet."""

    COURIER = "courier"
    OUTLET = "outlet"
    AGENT = "agent"
    SYSTEM = "system"
    FORCE_MAJEURE = "force_majeure"
    NONE = "none"


def attribute_command(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="REFERENCE", help=t("attribute.help.ref"))],
    who: Annotated[Who, typer.Argument(metavar="WHO", help=t("attribute.help.who"))],
    agent: Annotated[
        str | None, typer.Option("--agent", metavar="NAME", help=t("attribute.help.agent"))
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help=t("attribute.help.reason"))
    ] = "",
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.domain.enums import Responsibility
    from cs_console.services.scoring import attribute_by_reference

    responsibility = None if who is Who.NONE else Responsibility(who.value)
    with signed_in(ctx, db, user) as (console, actor):
        attribute_by_reference(console, actor, reference, responsibility, agent, reason)
    say("attribute.done", reference=reference, who=t(f"attribute.who.{who.value}"))
