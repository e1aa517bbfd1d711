"""``cs-console purge [--dry-run]``: destroy what the retention policy says has expired.

Acts for an administrator (``--user``). The JSON summary goes to stdout, a readable one to
stderr, and a progress bar to stderr only when it is a terminal. Everything happens in one
transaction: Ctrl-C leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.command_context import signed_in
from cs_console.cli.output import emit_json, say, table
from cs_console.cli.progress import Advance, progress_bar
from cs_console.i18n import full_time, t

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from cs_console.services.purge import PurgeReport


def _stages(bar: Advance | None) -> Callable[[str, int, int], None] | None:
    """The purge reports (step, done, total); the bar shows each step under its own title."""
    if bar is None:
        return None
    return lambda stage, done, total: bar(done, total, t(f"purge.stage.{stage}"))


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return full_time(moment, zone)


def _say_summary(report: PurgeReport, zone: ZoneInfo) -> None:
    from cs_console.services.purge import TABLES

    table(
        t("purge.title"),
        [t("purge.column.table"), t("purge.column.count")],
        [[t(f"purge.table.{name}"), str(report.counts[name])] for name in TABLES],
        err=True,
    )
    cutoffs = {
        "service_cutoff": _local(report.service_cutoff, zone),
        "customer_cutoff": _local(report.customer_cutoff, zone),
    }
    if report.first_reference is not None:
        key = "purge.references_dry_run" if report.dry_run else "purge.references"
        say(key, first=report.first_reference, last=report.last_reference)
    say("purge.dry_run_done" if report.dry_run else "purge.done", count=report.total, **cutoffs)


def purge_command(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=t("purge.help.dry_run"))] = False,
    user: Annotated[
        str | None, typer.Option("--user", metavar="ADMIN", help=t("purge.help.user"))
    ] = None,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help=t("cli.help.db"))] = None,
) -> None:
    from cs_console.services.purge import purge

    try:
        with signed_in(ctx, db, user) as (console, admin), progress_bar(t("purge.title")) as bar:
            report = purge(console, admin, dry_run=dry_run, progress=_stages(bar))
    except KeyboardInterrupt:
        say("purge.interrupted")
        raise typer.Exit(1) from None
    _say_summary(report, console.zone)
    emit_json(report.as_json())
