"""``cs-console export complaints --format csv|json|xlsx``: an authorised, recorded export.

Supervisors only (``--user``); names and phones are masked unless ``--unmask --reason``.
The export is recorded in the audit trail before the first row is written. Output goes to
``--output FILE`` (written beside it first and renamed when complete, so an interrupted
export leaves no half file) or to stdout; XLSX needs a file.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import say
from cs_console.cli.private_files import write_private
from cs_console.cli.progress import Advance, progress_bar
from cs_console.cli.refusals import fail
from cs_console.domain.dates import FIRST_DAY, LAST_DAY, in_range
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.services.complaint_export import ComplaintExport

export_app = typer.Typer(no_args_is_help=True, add_completion=False)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(t("export.bad_date", value=value)) from None
    if not in_range(day):
        raise typer.BadParameter(
            t("export.date_out_of_range", value=value, first=FIRST_DAY, last=LAST_DAY)
        )
    return day


def _counted(export: ComplaintExport, advance: Advance | None) -> Iterator[dict[str, Any]]:
    for done, row in enumerate(export.rows(), start=1):
        if advance is not None and (done % 500 == 0 or done == export.total):
            advance(done, export.total)
        yield row


def _write_text(kind: ExportFormat, rows: Iterator[dict[str, Any]], binary: BinaryIO) -> None:
    from cs_console.services.export_writers import write_csv, write_json

    write = write_csv if kind is ExportFormat.CSV else write_json
    encoding = "utf-8-sig" if kind is ExportFormat.CSV else "utf-8"  # the BOM is for Excel
    stream = io.TextIOWrapper(binary, encoding=encoding, newline="")
    try:
        write(rows, stream)
    finally:
        stream.flush()
        stream.detach()


def _write_rows(kind: ExportFormat, export: ComplaintExport, binary: BinaryIO) -> None:
    from cs_console.services.export_writers import write_xlsx

    with progress_bar(t("export.title")) as advance:
        rows = _counted(export, advance)
        if kind is ExportFormat.XLSX:
            write_xlsx(rows, binary)
        else:
            _write_text(kind, rows, binary)


def _write(kind: ExportFormat, export: ComplaintExport, output: Path | None) -> None:
    """Write every row to ``output`` (whole or not at all, cli/private_files.py) or to
    standard output; a write that fails (a full disk, a closed pipe) stops the export with
    exit 1."""
    if output is not None:
        write_private(output, lambda binary: _write_rows(kind, export, binary))
        return
    try:
        sys.stdout.flush()
        _write_rows(kind, export, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except OSError as exc:
        fail("export.write_failed_stdout", detail=exc.strerror or exc)


@export_app.command("complaints", help=t("export.help.complaints"))
def export_complaints_command(
    ctx: typer.Context,
    kind: Annotated[ExportFormat, typer.Option("--format", help=t("export.help.format"))],
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help=t("export.help.since"))
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help=t("export.help.until"))
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", metavar="FILE", dir_okay=False, help=t("export.help.output")),
    ] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help=t("export.help.unmask"))] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help=t("export.help.reason"))
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", metavar="NAME", help=t("export.help.user"))
    ] = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.complaint_export import ExportRequest, open_export

    first, last = _day(since), _day(until)
    if reason is not None and not unmask:
        raise typer.BadParameter(t("export.reason_needs_unmask"), param_hint="--reason")
    if kind is ExportFormat.XLSX and output is None:
        raise typer.BadParameter(t("export.xlsx_needs_output"), param_hint="--output")
    destination = str(output) if output is not None else "-"
    request = ExportRequest(kind.value, first, last, unmask, reason or "", destination)
    try:
        with signed_in(ctx, db, user) as (console, actor):
            export = open_export(console, actor, request)
            _write(kind, export, output)
    except KeyboardInterrupt:
        say("export.interrupted")
        raise typer.Exit(1) from None
    where = destination if output is not None else t("export.stdout")
    done = "export.done_unmasked" if unmask else "export.done"
    say(done, count=export.total, format=kind.value, destination=where)
