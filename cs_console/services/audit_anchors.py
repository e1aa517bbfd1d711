"""Anchors: the audit trail's head kept outside the database, and checked against it later.

The hash chain (storage/audit.py) finds any edit of entries it still holds, but not the
loss of its newest entries together with the head, nor of everything: that needs the head
kept where the database's administrator cannot reach it. An anchor is one JSON line:
``{"database", "entries", "hash", "at", "anchored_at"}``: the newest entry's id (ids run
from 1, so it is the count up to there), its hash and time, and when it was taken.
``database`` names the database as this machine reaches it (``database_label``), so one
file can hold anchors of several databases.

Two ways to keep them: ``cs-console audit anchor`` gives one to a supervisor (a file or
standard output), and every console and command line appends one a day (``daily_anchor``)
to a file on the machine signing in (settings ``audit_anchor_file``; by default
``audit-anchors.jsonl`` in the data directory), owner-only: each desk keeps its own copy.

Checking (``check_anchors``): an anchor holds when the log still has its entry with the
same hash; since every hash covers the one before, the whole history up to there is then
unchanged. ``missing`` means the newest entries (or all) were deleted, ``changed`` that
history was rewritten. Entries after the newest anchor that holds are listed with who and
when: a correctly hashed entry someone appended shows there for a supervisor to judge.
One dated before an anchor that holds was taken cannot be genuine (the log only grows, and
it was not in the log then): it is ``backdated``, and the check fails. ``CLOCK_SLACK``
allows for consoles whose clocks differ and for entries whose transaction was still open.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, ServiceContext, ServiceError, require
from cs_console.storage.audit import (
    AuditLine,
    entries_after,
    entries_dated_before,
    mark_of,
    newest_mark,
)
from cs_console.storage.engine import read_session

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

DAILY_FILE_NAME = "audit-anchors.jsonl"
AFTER_SHOWN = 500  # entries after the anchor listed (the total is always given)
CLOCK_SLACK = timedelta(minutes=10)  # how far an entry may be dated before an anchor's time


@dataclass(frozen=True)
class Anchor:
    """The chain's head as it was at ``anchored_at`` in ``database``."""

    database: str
    entries: int
    hash: str
    at: datetime | None
    anchored_at: datetime

    def line(self) -> str:
        """The anchor as one JSON line (no newline)."""
        return json.dumps(
            {
                "database": self.database,
                "entries": self.entries,
                "hash": self.hash,
                "at": self.at.isoformat() if self.at is not None else None,
                "anchored_at": self.anchored_at.isoformat(),
            },
            ensure_ascii=False,
        )


@dataclass(frozen=True)
class AnchorCheck:
    """One anchor checked: ``held``, ``missing`` (its entry is gone) or ``changed``."""

    anchor: Anchor
    status: str


@dataclass(frozen=True)
class AnchorReport:
    """Every anchor checked, and the entries after the newest one that held.

    ``other_database``: the file had no anchor naming this database, so all were checked.
    """

    checks: list[AnchorCheck]
    after_total: int
    after: list[AuditLine]
    other_database: bool = False
    backdated: list[AuditLine] = field(default_factory=list)  # appended, dated before

    @property
    def ok(self) -> bool:
        return not self.backdated and all(check.status == "held" for check in self.checks)

    @property
    def newest_held(self) -> Anchor | None:
        held = [c.anchor for c in self.checks if c.status == "held"]
        return max(held, key=lambda a: a.entries) if held else None


def database_label(engine: Engine) -> str:
    """The database as this machine reaches it: a SQLite file's absolute path, or a server's
    host, port and database name (never a user name or password)."""
    url = engine.url
    backend = url.get_backend_name()
    if backend == "sqlite":
        name = url.database or ""
        return f"sqlite:{Path(name).resolve() if name and name != ':memory:' else name}"
    return f"{backend}://{url.host or ''}:{url.port or 5432}/{url.database or ''}"


def _head_anchor(console: ServiceContext) -> Anchor:
    with read_session(console.engine) as session:
        mark = newest_mark(session=session)
    return Anchor(database_label(console.engine), mark.entries, mark.hash, mark.at, console.now())


def take_anchor(console: ServiceContext, actor: Actor) -> Anchor:
    """The chain's head now, for a supervisor to keep (administrators and supervisors)."""
    require(actor, Action.VERIFY_AUDIT)
    return _head_anchor(console)


class AnchorFileError(ServiceError):
    """An anchor file that cannot be read or holds something other than anchors."""


def _anchor_of(value: object) -> Anchor:
    if not isinstance(value, dict):
        raise ValueError("not an object")
    entries, digest = value.get("entries"), value.get("hash")
    if not isinstance(entries, int) or isinstance(entries, bool) or entries < 0:
        raise ValueError("entries")
    if not isinstance(digest, str) or len(digest) != 64:
        raise ValueError("hash")
    at = value.get("at")
    return Anchor(
        str(value.get("database") or ""),
        entries,
        digest.lower(),
        datetime.fromisoformat(at) if isinstance(at, str) else None,
        datetime.fromisoformat(str(value["anchored_at"])),
    )


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor in ``path`` (one JSON object per line; blank lines ignored)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError("anchor_file_unreadable", path=str(path), detail=exc) from None
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchors.append(_anchor_of(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            raise AnchorFileError("anchor_file_bad", path=str(path), line=number) from None
    if not anchors:
        raise AnchorFileError("anchor_file_empty", path=str(path))
    return anchors


def check_anchors(
    console: ServiceContext, actor: Actor, anchors: list[Anchor], *, daily: bool = False
) -> AnchorReport:
    """Does the chain still hold each anchor of this database? (administrators and
    supervisors) Anchors naming another database are left out, unless no anchor names this
    one: then all are checked and ``other_database`` says so; in this machine's ``daily``
    file (which may serve several databases) they are always left out."""
    require(actor, Action.VERIFY_AUDIT)
    return anchor_checks(console, anchors, list_after=True, daily=daily)


def anchor_checks(
    console: ServiceContext, anchors: list[Anchor], *, list_after: bool, daily: bool = False
) -> AnchorReport:
    """``check_anchors`` without the permission check (for ``doctor`` and the sign-in
    alarm); ``list_after`` also reads the entries after the newest anchor that holds."""
    label = database_label(console.engine)
    mine = [a for a in anchors if a.database == label]
    checks = []
    with read_session(console.engine) as session:
        for anchor in mine if (mine or daily) else anchors:
            mark = mark_of(session=session, entry_id=anchor.entries)
            if mark is None:
                status = "missing"
            elif mark.hash != anchor.hash:
                status = "changed"
            else:
                status = "held"
            checks.append(AnchorCheck(anchor, status))
        dated = _backdated(session, [c.anchor for c in checks if c.status == "held"])
        other = not mine and not daily
        report = AnchorReport(checks, 0, [], other_database=other, backdated=dated)
        newest = report.newest_held
        if newest is None or not list_after:
            return report
        total, after = entries_after(session=session, entry_id=newest.entries, limit=AFTER_SHOWN)
    return AnchorReport(checks, total, after, other_database=other, backdated=dated)


def _backdated(session: Session, held: list[Anchor]) -> list[AuditLine]:
    """Entries after an anchor that holds yet dated before it was taken (less the slack).

    One pass: the log between two anchors is read once, against the latest time any
    anchor before it was taken (a later entry must be later than all of them), rather
    than every anchor reading the whole log after it (a year of daily anchors at each
    supervisor's sign-in).
    """
    found: list[AuditLine] = []
    latest: datetime | None = None
    ordered = sorted(held, key=lambda anchor: anchor.entries)
    for index, anchor in enumerate(ordered):
        latest = anchor.anchored_at if latest is None else max(latest, anchor.anchored_at)
        following = ordered[index + 1].entries if index + 1 < len(ordered) else None
        found += entries_dated_before(
            session=session,
            after=anchor.entries,
            up_to=following,
            before=latest - CLOCK_SLACK,
            limit=AFTER_SHOWN - len(found),
        )
        if len(found) >= AFTER_SHOWN:
            break
    return found


def daily_anchor_file() -> Path | None:
    """Where this machine keeps its daily anchors (settings ``audit_anchor_file``; a
    relative path is in the config directory; ``""`` keeps none)."""
    from cs_console.config.paths import config_dir, data_dir
    from cs_console.config.settings import load_settings

    configured = load_settings().audit_anchor_file
    if configured is None:
        return data_dir() / DAILY_FILE_NAME
    if not configured.strip():
        return None
    path = Path(configured).expanduser()
    return path if path.is_absolute() else config_dir() / path


def _anchored_today(console: ServiceContext, path: Path, label: str) -> bool:
    try:
        anchors = read_anchors(path)
    except AnchorFileError:
        return False  # unreadable or empty: append (a bad line is kept for verify to name)
    today = console.now().astimezone(console.zone).date()
    return any(
        a.database == label and a.anchored_at.astimezone(console.zone).date() == today
        for a in anchors
    )


def _append_line(path: Path, line: str) -> None:
    """Append one line to ``path``, created owner-only; a path that is not a regular file
    (a link, a device) is refused."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_CREAT | os.O_APPEND | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        import stat

        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path}: not a regular file")
        data = (line + "\n").encode("utf-8")
        if os.write(descriptor, data) != len(data):
            raise OSError(f"{path}: short write")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def daily_anchor(console: ServiceContext) -> Path | None:
    """Append today's anchor of this database to this machine's anchor file, unless it holds
    one from today already. Called at each sign-in (console and command line) and by
    ``audit verify``; it never stops them: returns the file written, else None (nothing
    due, turned off, or the file cannot be written: ``doctor`` says why)."""
    try:
        path = daily_anchor_file()
        if path is None:
            return None
        label = database_label(console.engine)
        if path.exists() and _anchored_today(console, path, label):
            return None
        _append_line(path, _head_anchor(console).line())
    except Exception:  # an anchor is a safeguard, never a reason to refuse a sign-in
        return None
    return path
