"""``cs-console audit verify|anchor``: is the audit trail intact, and does it still hold the
heads kept outside the database? (administrators and supervisors)

``verify`` prints the head (newest entry and its hash) and checks the anchors of
``--anchor FILE``, else this machine's daily anchor file (services.audit_anchors), listing
the entries after the newest anchor with who and when for ``--anchor``. Exit code 0 when
the chain is intact and every anchor holds, 1 otherwise (as for any refusal). ``anchor``
writes the head to ``--output FILE`` (created by it, owner-only) or standard output.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, say, table
from cs_console.cli.refusals import fail
from cs_console.i18n import full_time, t

if TYPE_CHECKING:
    from cs_console.services.audit_anchors import AnchorReport
    from cs_console.storage.audit import AuditLine, AuditReport

audit_app = typer.Typer(no_args_is_help=True, add_completion=False)

UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("audit.help.user"))
]


AnchorOption = Annotated[
    Path | None,
    typer.Option("--anchor", metavar="FILE", dir_okay=False, help=t("audit.help.anchor")),
]


def report_json(report: AuditReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "entries": report.entries,
        "first_bad_id": report.first_bad_id,
        "problem": report.problem,
        "head": {"entries": report.head.entries, "hash": report.head.hash},
    }


def anchors_json(path: Path, report: AnchorReport, *, listed: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "file": str(path),
        "ok": report.ok,
        "other_database": report.other_database,
        "checked": [
            {
                "entries": c.anchor.entries,
                "hash": c.anchor.hash,
                "anchored_at": c.anchor.anchored_at,
                "status": c.status,
            }
            for c in report.checks
        ],
    }
    result["backdated"] = [_entry_json(e) for e in report.backdated]
    newest = report.newest_held
    if listed and newest is not None:
        result["after_anchor"] = {
            "anchor": newest.entries,
            "total": report.after_total,
            "entries": [_entry_json(e) for e in report.after],
        }
    return result


def _entry_json(e: AuditLine) -> dict[str, Any]:
    return {"id": e.id, "at": e.at, "user": e.username, "action": e.action, "target": e.target}


def _say_outcome(report: AuditReport, *, anchors_hold: bool) -> None:
    if report.ok and not anchors_hold:  # consistent in itself, but cut or added to
        say("audit.intact_chain_only", entries=report.entries)
    elif report.ok:
        say("audit.intact", entries=report.entries)
    else:
        problem = t(f"audit.problem.{report.problem}")
        if report.first_bad_id is None:
            say("audit.tampered_no_id", problem=problem, entries=report.entries)
        else:
            say("audit.tampered", problem=problem, id=report.first_bad_id, entries=report.entries)
    say("audit.head", entries=report.head.entries, hash=report.head.hash)


def _say_anchors(path: Path, report: AnchorReport, *, listed: bool) -> None:
    if not report.checks:
        return  # the daily file holds no anchor of this database yet
    if report.other_database:
        say("audit.anchor_other_database", path=path)
    for check in report.checks:
        if check.status != "held":
            say(
                f"audit.anchor_{check.status}",
                entries=check.anchor.entries,
                anchored_at=check.anchor.anchored_at.isoformat(timespec="seconds"),
            )
    if report.backdated:
        ids = ", ".join(str(e.id) for e in report.backdated[:20])
        say("audit.backdated", count=len(report.backdated), ids=ids)
    held = sum(c.status == "held" for c in report.checks)
    say("audit.anchors_checked", path=path, held=held, total=len(report.checks))
    newest = report.newest_held
    if listed and newest is not None:
        say("audit.after_anchor", count=report.after_total, entries=newest.entries)


def _after_table(report: AnchorReport, zone: Any) -> None:
    none = t("audit.none")
    table(
        t("audit.after_title"),
        [t(f"audit.column.{c}") for c in ("id", "at", "user", "action", "target")],
        [
            [
                str(e.id),
                full_time(e.at, zone, seconds=True),
                e.username or none,
                t(f"audit.action.{e.action}"),
                e.target,
            ]
            for e in report.after
        ],
    )
    if report.after_total > len(report.after):
        say("audit.after_more", more=report.after_total - len(report.after))


def _report_table(report: AuditReport, *, anchors_hold: bool) -> None:
    none = t("audit.none")
    columns = ("status", "entries", "first_bad_id", "problem", "head", "head_hash")
    table(
        t("audit.title"),
        [t(f"audit.column.{c}") for c in columns],
        [
            [
                t("audit.status.ok" if report.ok and anchors_hold else "audit.status.tampered"),
                str(report.entries),
                none if report.first_bad_id is None else str(report.first_bad_id),
                t(f"audit.problem.{report.problem}") if report.problem else none,
                str(report.head.entries),
                report.head.hash,
            ]
        ],
    )


@audit_app.command("verify", help=t("audit.help.verify"))
def verify_command(
    ctx: typer.Context,
    anchor: AnchorOption = None,
    output: FormatOption = OutputFormat.TABLE,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.audit_anchors import (
        check_anchors,
        daily_anchor,
        daily_anchor_file,
        read_anchors,
    )
    from cs_console.services.audit_checks import verify_audit

    path = anchor if anchor is not None else daily_anchor_file()
    with signed_in(ctx, db, user) as (console, actor):
        report = verify_audit(console, actor)
        anchors = None
        if path is not None and (anchor is not None or path.exists()):
            anchors = check_anchors(console, actor, read_anchors(path), daily=anchor is None)
        daily_anchor(console)  # after the check: today's anchor must not hide a cut
        zone = console.zone
    listed = anchor is not None
    anchors_hold = anchors is None or anchors.ok
    _say_outcome(report, anchors_hold=anchors_hold)
    if anchors is not None and path is not None:
        _say_anchors(path, anchors, listed=listed)
    if output is OutputFormat.JSON:
        result = report_json(report)
        if anchors is not None and path is not None:
            result["anchors"] = anchors_json(path, anchors, listed=listed)
        emit_json(result)
    else:
        _report_table(report, anchors_hold=anchors_hold)
        if anchors is not None and listed and anchors.after:
            _after_table(anchors, zone)
    if not report.ok or (anchors is not None and not anchors.ok):
        raise typer.Exit(1)


def _write_new_file(output: Path, text: str) -> None:
    """Create ``output`` (never an existing path, a link or a device) owner-only, write
    ``text`` and flush it to disk; a failed write removes the file and exits 1."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(output, flags, 0o600)
    except FileExistsError:
        fail("audit.anchor_exists", path=output)
    except OSError as exc:
        fail("audit.anchor_write_failed", path=output, detail=exc.strerror or exc)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        output.unlink(missing_ok=True)
        fail("audit.anchor_write_failed", path=output, detail=exc.strerror or exc)


@audit_app.command("anchor", help=t("audit.help.anchor_command"))
def anchor_command(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", metavar="FILE", dir_okay=False, help=t("audit.help.output")),
    ] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.audit_anchors import take_anchor

    with signed_in(ctx, db, user) as (console, actor):
        anchor = take_anchor(console, actor)
    if output is None:
        typer.echo(anchor.line())
    else:
        _write_new_file(output, anchor.line() + "\n")
    say(
        "audit.anchor_taken",
        entries=anchor.entries,
        hash=anchor.hash,
        destination=str(output) if output is not None else t("audit.stdout"),
    )
