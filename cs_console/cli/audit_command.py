"""``cs-console audit verify``: is the audit trail intact? (administrators and supervisors)

Exit code 0 when the hash chain is intact, 1 when it was tampered with (the first bad
entry and the kind of problem are reported), as for any refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    say,
    signed_in,
    table,
)
from cs_console.config.language import t

if TYPE_CHECKING:
    from cs_console.storage.audit import AuditReport

audit_app = typer.Typer(no_args_is_help=True, add_completion=False)

UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("audit.help.user"))
]


def report_json(report: AuditReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "entries": report.entries,
        "first_bad_id": report.first_bad_id,
        "problem": report.problem,
    }


def _say_outcome(report: AuditReport) -> None:
    if report.ok:
        say("audit.intact", entries=report.entries)
        return
    problem = t(f"audit.problem.{report.problem}")
    if report.first_bad_id is None:
        say("audit.tampered_no_id", problem=problem, entries=report.entries)
    else:
        say("audit.tampered", problem=problem, id=report.first_bad_id, entries=report.entries)


@audit_app.command("verify", help=t("audit.help.verify"))
def verify_command(
    ctx: typer.Context,
    output: FormatOption = OutputFormat.TABLE,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.audit_checks import verify_audit

    with signed_in(ctx, db, user) as (console, actor):
        report = verify_audit(console, actor)
    _say_outcome(report)
    if output is OutputFormat.JSON:
        emit_json(report_json(report))
    else:
        none = t("audit.none")
        table(
            t("audit.title"),
            [t(f"audit.column.{c}") for c in ("status", "entries", "first_bad_id", "problem")],
            [
                [
                    t("audit.status.ok" if report.ok else "audit.status.tampered"),
                    str(report.entries),
                    none if report.first_bad_id is None else str(report.first_bad_id),
                    t(f"audit.problem.{report.problem}") if report.problem else none,
                ]
            ],
        )
    if not report.ok:
        raise typer.Exit(1)
