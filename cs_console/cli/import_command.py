"""``cs-console import FILE [--skip-invalid]``: backfill complaints from a register.

Acts for an agent or supervisor (``--user``), who owns the imported complaints. A register
with any invalid row imports nothing and every bad row is listed with its line number and
reason; ``--skip-invalid`` imports the rest and writes the rejects to
``<file>.rejected.csv`` beside it. Rows registered inside the current detection window count
for mass-complaint detection; the alerts they raise are told (a line each, and ``alerts``).
A JSON summary goes to stdout, messages to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.incidents_command import alert_json, alert_place
from cs_console.cli.output import emit_json, say
from cs_console.cli.progress import Advance, progress_bar
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.domain.register_rows import HeaderProblems
    from cs_console.services.complaint_import import Progress
    from cs_console.services.register_files import RegisterTable, RejectedRow


def _say_header(problems: HeaderProblems) -> None:
    fields = lambda names: ", ".join(t(f"import.field.{n}") for n in names)  # noqa: E731
    if problems.unknown:
        say("import.header_unknown", columns=", ".join(problems.unknown))
    if problems.missing:
        say("import.header_missing", columns=fields(problems.missing))
    if problems.repeated:
        say("import.header_repeated", columns=fields(problems.repeated))
    say("import.header_hint")


def _say_rows(rejected: tuple[RejectedRow, ...]) -> None:
    from cs_console.services.register_files import describe_errors

    for row in rejected:
        say("import.row_error", line=row.line, reason=describe_errors(row))


def _say_table(table: RegisterTable) -> None:
    """Which sheet was read (when there are others) and which columns are ignored."""
    if len(table.sheets) > 1:
        say("import.sheet_read", sheet=table.sheets[0], others=", ".join(table.sheets[1:]))
    if table.ignored:
        say("import.columns_ignored", columns=", ".join(table.ignored))


def _staged(advance: Advance | None) -> Progress | None:
    """The service's (stage, done, total) drawn on the bar, titled by the stage."""
    if advance is None:
        return None
    return lambda stage, done, total: advance(done, total, t(f"import.stage.{stage}"))


def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help=t("import.help.file"))
    ],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help=t("import.help.skip_invalid"))
    ] = False,
    user: Annotated[
        str | None, typer.Option("--user", metavar="NAME", help=t("import.help.user"))
    ] = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.complaint_import import BadHeader, RowsInvalid, import_register
    from cs_console.services.register_files import read_register, rejects_path, write_rejects

    try:
        with (
            signed_in(ctx, db, user) as (console, actor),
            progress_bar(t("import.title")) as advance,
        ):
            table = read_register(file)
            _say_table(table)
            report = import_register(
                console, actor, table, skip_invalid=skip_invalid, progress=_staged(advance)
            )
    except BadHeader as bad:
        say("error.import_bad_header")
        _say_header(bad.problems)
        raise typer.Exit(1) from None
    except RowsInvalid as invalid:
        _say_rows(invalid.rejected)
        say("import.nothing_imported", count=len(invalid.rejected))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        say("import.interrupted")
        raise typer.Exit(1) from None
    rejects = None
    if report.rejected:
        rejects = rejects_path(file)
        write_rejects(rejects, table.header, report.rejected)
        _say_rows(report.rejected)
        say("import.rejects_written", count=len(report.rejected), path=str(rejects))
    for line, first in report.repeats:
        say("import.row_repeated", line=line, first=first)
    say(
        "import.done",
        count=report.imported,
        owner=actor.username,
        duplicates=t("import.duplicates", count=report.already_imported),
    )
    if report.first_reference:
        say("import.references", first=report.first_reference, last=report.last_reference)
    minutes = int(console.policy.incidents.mass_complaint_window.total_seconds() // 60)
    for alert in report.alerts:
        say(
            "import.alert_raised",
            category=t(f"ui.category.{alert.issue.category}"),
            place=alert_place(alert),
            count=alert.count,
            minutes=minutes,
        )
    emit_json(
        {
            "imported": report.imported,
            "already_imported": report.already_imported,
            "repeated_in_file": len(report.repeats),
            "rejected": len(report.rejected),
            "rejects_file": str(rejects) if rejects else None,
            "owner": actor.username,
            "first_reference": report.first_reference,
            "last_reference": report.last_reference,
            # Raised by rows inside the current detection window (older ones raise none).
            "alerts": [alert_json(alert, console.zone) for alert in report.alerts],
        }
    )
