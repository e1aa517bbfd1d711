"""``cs-console purge [--dry-run]``: destroy what the retention policy says has expired.

Acts for an administrator (``--user``). The JSON summary goes to stdout, a readable one to
stderr, and a progress bar to stderr only when it is a terminal. Everything happens in one
transaction: Ctrl-C leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.common import (
    emit_json,
    say,
    signed_in,
    stderr_is_terminal,
    table,
)
from cs_console.config.language import t

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from cs_console.services.purge import PurgeReport


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """One Rich bar over the purge's steps on a terminal; nothing otherwise."""
    if not stderr_is_terminal():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(t("purge.title"), total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=t(f"purge.stage.{stage}"), completed=done, total=total)

        yield update


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


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
    say("purge.dry_run_done" if report.dry_run else "purge.done", total=report.total, **cutoffs)


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
        with signed_in(ctx, db, user) as (console, admin), _progress_bar() as update:
            report = purge(console, admin, dry_run=dry_run, progress=update)
    except KeyboardInterrupt:
        say("purge.interrupted")
        raise typer.Exit(1) from None
    _say_summary(report, console.zone)
    emit_json(report.as_json())
