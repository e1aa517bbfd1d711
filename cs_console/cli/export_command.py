"""``cs-console export complaints --format csv|json|xlsx``: an authorised, recorded export.

Supervisors only (``--user``); names and phones are masked unless ``--unmask --reason``.
The export is recorded in the audit trail before the first row is written. Output goes to
``--output FILE`` (written beside it first and renamed when complete, so an interrupted
export leaves no half file) or to stdout; XLSX needs a file.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import say
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


def _check_target(output: Path) -> Path:
    """Refuse a target that is not a regular file, or an unfinished ``.part`` beside it.

    The export goes to ``<output>.part``, created here and by nobody else, then renamed over
    ``output``: a device (``/dev/full``), a directory or a pipe is never replaced, and a
    ``.part`` that exists (another export running, or one that died) is never reused.
    """
    try:
        if not stat.S_ISREG(os.stat(output).st_mode):
            fail("export.not_a_file", path=output)
    except FileNotFoundError:
        pass
    partial = output.with_name(output.name + ".part")
    if os.path.lexists(partial):
        fail("export.part_exists", path=partial)
    return partial


def _create_private(partial: Path) -> BinaryIO:
    """Create ``partial`` exclusively, readable by its owner only: exports hold customers'
    data. A file that appeared since the check is refused, not opened."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.fdopen(os.open(partial, flags, 0o600), "wb")
    except FileExistsError:
        fail("export.part_exists", path=partial)


def _write_rows(kind: ExportFormat, export: ComplaintExport, binary: BinaryIO) -> None:
    from cs_console.services.export_writers import write_xlsx

    with progress_bar(t("export.title")) as advance:
        rows = _counted(export, advance)
        if kind is ExportFormat.XLSX:
            write_xlsx(rows, binary)
        else:
            _write_text(kind, rows, binary)


def _write(kind: ExportFormat, export: ComplaintExport, output: Path | None) -> None:
    """Write every row to ``output`` (whole or not at all) or to standard output; a write
    that fails (a full disk, a closed pipe) stops the export with exit 1."""
    try:
        if output is None:
            sys.stdout.flush()
            _write_rows(kind, export, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return
        partial = _check_target(output)
        with _create_private(partial) as binary:
            try:
                _write_rows(kind, export, binary)
                binary.flush()
                os.fsync(binary.fileno())
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        os.replace(partial, output)
    except OSError as exc:
        where = "export.write_failed" if output is not None else "export.write_failed_stdout"
        fail(where, detail=exc.strerror or exc)


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
