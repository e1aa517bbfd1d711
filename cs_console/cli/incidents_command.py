"""``cs-console incidents [--format json|table] --user NAME``: the open mass-complaint alerts
and the open incidents, as every console's banner and the supervisor's board show them.

JSON on stdout: ``{"alerts": [...], "incidents": [...]}``, times ISO-8601 with the console's
offset; ``--format table`` (the default) for people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, table
from cs_console.i18n import full_time, t

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from cs_console.storage.incidents import AlertRow, IncidentRow

UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("incidents_cli.help.user"))
]


def alert_json(alert: AlertRow, zone: ZoneInfo) -> dict[str, Any]:
    """An alert: its issue (category, what kind of place, the place), the complaints
    counted, when it fired and when it was last counted on."""
    return {
        "id": alert.id,
        "category": alert.issue.category,
        "place_kind": alert.issue.dimension.value,
        "place": alert.issue.value,
        "count": alert.count,
        "first_at": alert.fired_at.astimezone(zone),
        "last_at": alert.last_at.astimezone(zone),
    }


def incident_json(row: IncidentRow, zone: ZoneInfo) -> dict[str, Any]:
    """An open incident: its kind, when it opened, the complaints linked and still open."""
    return {
        "id": row.id,
        "kind": row.kind.value,
        "opened_at": row.started_at.astimezone(zone),
        "linked": row.linked,
        "open_linked": row.linked_open,
    }


def alert_place(alert: AlertRow) -> str:
    """``hub 杭州转运中心``: the kind of place and the place, cleaned for one line."""
    from cs_console.domain.text import clean_line

    return (
        f"{t(f'incident.dimension.{alert.issue.dimension.value}')} {clean_line(alert.issue.value)}"
    )


def incidents_command(
    ctx: typer.Context,
    output: FormatOption = OutputFormat.TABLE,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.domain.incidents import IncidentKind, incident_label
    from cs_console.services.incidents import incident_board

    with signed_in(ctx, db, user) as (console, actor):
        board = incident_board(console, actor)
    zone = console.zone
    if output is OutputFormat.JSON:
        emit_json(
            {
                "alerts": [alert_json(a, zone) for a in board.alerts],
                "incidents": [incident_json(i, zone) for i in board.incidents],
            }
        )
        return
    table(
        t("incidents_cli.alerts_title", count=len(board.alerts)),
        [
            t("incidents_cli.column.id"),
            t("incidents_cli.column.category"),
            t("incidents_cli.column.place"),
            t("incidents_cli.column.count"),
            t("incidents_cli.column.first_at"),
            t("incidents_cli.column.last_at"),
        ],
        [
            [
                str(a.id),
                t(f"ui.category.{a.issue.category}"),
                alert_place(a),
                str(a.count),
                full_time(a.fired_at, zone),
                full_time(a.last_at, zone),
            ]
            for a in board.alerts
        ],
    )
    kinds = {
        IncidentKind.MASS_COMPLAINT: t("incidents_cli.kind.mass_complaint"),
        IncidentKind.DISASTER: t("incidents_cli.kind.disaster"),
        IncidentKind.OUTAGE: t("incidents_cli.kind.outage"),
    }
    table(
        t("incidents_cli.incidents_title", count=len(board.incidents)),
        [
            t("incidents_cli.column.incident"),
            t("incidents_cli.column.kind"),
            t("incidents_cli.column.opened_at"),
            t("incidents_cli.column.linked"),
            t("incidents_cli.column.open_linked"),
        ],
        [
            [
                incident_label(i.id),
                kinds[i.kind],
                full_time(i.started_at, zone),
                str(i.linked),
                str(i.linked_open),
            ]
            for i in board.incidents
        ],
    )
