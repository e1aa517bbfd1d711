"""Verifying the audit trail (storage/audit.py): walk the chain, recompute every hash.

How ``verify_chain`` names the first problem, walking in id order (each entry is checked
against the previous good one, P, and the one before it):

- ``deleted``: an id is missing (``first_bad_id`` is that id), or the entry's link matches
  neither P nor anything around it and its own hash is broken too (entries before it were
  deleted and the rest renumbered: ``first_bad_id`` is its id, the first position that
  differs); also when the head names a newer entry than the log holds.
- ``inserted``: the chain goes around entries (the next entry links to P, or this entry
  links to one before P): the first entry no other vouches for is reported; also an entry
  newer than the head.
- ``changed``: an entry's content no longer matches its hash; or an entry whose own hash is
  intact no longer links to P, which means P was altered and its hash recomputed (P is
  reported).
- ``head_mismatch``: the head and the newest entry have the same id but different hashes,
  or the head row is missing while entries exist (``first_bad_id`` is None then).
- ``forged``: an entry after the first sealed one that should carry a seal and has none,
  or, when the walk is given the data key, whose seal is not the key's: a row someone added
  with a correctly computed hash (storage/audit.py). Without the key (``doctor``, run by
  nobody signed in) only a missing seal is seen.
"""

from __future__ import annotations

import hmac
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from cs_console.storage.audit import (
    GENESIS_HASH,
    HEAD_ID,
    UNSEALED,
    AuditReport,
    entry_hash_of,
    newest_mark,
    unsealed_hash,
)
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import AuditEntry, AuditHead

_PAGE = 1000  # entries read per query


@dataclass(frozen=True)
class _Row:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    target: str
    detail: str
    prev_hash: str
    hash: str
    seal: str | None


def _entries(session: Session) -> Iterator[_Row]:
    """Every entry in id order, a page at a time (keyset paging: the log only grows)."""
    after = 0
    columns = (
        col(AuditEntry.id),
        col(AuditEntry.at),
        col(AuditEntry.actor_id),
        col(AuditEntry.action),
        col(AuditEntry.target),
        col(AuditEntry.detail),
        col(AuditEntry.prev_hash),
        col(AuditEntry.hash),
        col(AuditEntry.seal),
    )
    while True:
        page = session.execute(
            select(*columns)
            .where(col(AuditEntry.id) > after)
            .order_by(col(AuditEntry.id))
            .limit(_PAGE)
        ).all()
        for row in page:
            yield _Row(*row)
        if len(page) < _PAGE:
            return
        after = page[-1][0]


def _unsealed(row: _Row) -> str:
    return unsealed_hash(
        entry_id=row.id,
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        target=row.target,
        detail=row.detail,
        prev_hash=row.prev_hash,
    )


def _intact(row: _Row, unsealed: str | None = None) -> bool:
    """Whether the entry's hash matches its content (``unsealed``: its unsealed hash, if
    already computed)."""
    unsealed = _unsealed(row) if unsealed is None else unsealed
    return row.hash == (unsealed if row.seal is None else entry_hash_of(unsealed, row.seal))


def _seal_holds(row: _Row, unsealed: str, key: DataKey | None) -> bool:
    """Whether a sealed entry's seal is the key's (not checked without the key)."""
    if key is None or row.seal is None:
        return True
    return hmac.compare_digest(key.audit_seal(unsealed), row.seal)


def _broken_link(
    row: _Row, following: _Row | None, good: tuple[int, str], recent: _RecentHashes
) -> tuple[str, int]:
    """Name the problem when ``row`` does not link to the previous good entry."""
    good_id, good_hash = good
    if following is not None and following.prev_hash == good_hash:
        return "inserted", row.id  # the chain goes around this entry
    went_around = recent.id_of(row.prev_hash)
    if went_around is not None:
        return "inserted", went_around + 1  # the chain goes around the entries after that one
    if _intact(row):
        return "changed", good_id  # the previous entry was altered and re-hashed
    return "deleted", row.id  # earlier entries gone, the rest renumbered


class _RecentHashes:
    """The hashes of the newest good entries (a bounded window), to see what a link that
    skips entries goes around."""

    def __init__(self, size: int = 100 * _PAGE) -> None:
        self._ids: dict[str, int] = {GENESIS_HASH: 0}
        self._order: deque[str] = deque([GENESIS_HASH])
        self._size = size

    def add(self, entry_id: int, digest: str) -> None:
        self._ids[digest] = entry_id
        self._order.append(digest)
        if len(self._order) > self._size:
            self._ids.pop(self._order.popleft(), None)

    def id_of(self, digest: str) -> int | None:
        return self._ids.get(digest)


def _check_head(session: Session, entries: int, last: tuple[int, str]) -> AuditReport:
    head = session.execute(
        select(col(AuditHead.last_id), col(AuditHead.last_hash)).where(col(AuditHead.id) == HEAD_ID)
    ).first()
    last_id, last_hash = last
    if head is None:
        if entries:
            return AuditReport(False, entries, None, "head_mismatch")
        return AuditReport(True, entries)
    if head[0] > last_id:
        return AuditReport(False, entries, last_id + 1, "deleted")
    if head[0] < last_id:
        return AuditReport(False, entries, head[0] + 1, "inserted")
    if head[1] != last_hash:
        return AuditReport(False, entries, last_id, "head_mismatch")
    return AuditReport(True, entries)


def verify_chain(*, session: Session, key: DataKey | None = None) -> AuditReport:
    """Walk the log in id order recomputing every hash (and checking every seal with
    ``key``); report the first problem found, with the newest entry as the head."""
    return replace(_walk(session, key), head=newest_mark(session=session))


def _walk(session: Session, key: DataKey | None) -> AuditReport:
    entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    rows = _entries(session)
    good: tuple[int, str] = (0, GENESIS_HASH)
    recent = _RecentHashes()
    sealing = False  # from the first sealed entry on, entries need a seal
    row = next(rows, None)
    while row is not None:
        following = next(rows, None)
        if row.id != good[0] + 1:
            return AuditReport(False, entries, good[0] + 1, "deleted")
        if row.prev_hash != good[1]:
            problem, bad_id = _broken_link(row, following, good, recent)
            return AuditReport(False, entries, bad_id, problem)
        # An entry the next one goes around was put there (a row forged behind the head's
        # back, which the next writer stepped over).
        around = following is not None and following.prev_hash == good[1]
        unsealed = _unsealed(row)
        if not _intact(row, unsealed):
            return AuditReport(False, entries, row.id, "inserted" if around else "changed")
        sealing = sealing or row.seal is not None
        unsealed_here = row.seal is None and row.action not in UNSEALED
        if (sealing and unsealed_here) or not _seal_holds(row, unsealed, key):
            return AuditReport(False, entries, row.id, "inserted" if around else "forged")
        good = (row.id, row.hash)
        recent.add(row.id, row.hash)
        row = following
    return _check_head(session, entries, good)
