"""The audit trail: an append-only, hash-chained log of who did what (信息安全).

Every entry's ``hash`` is the hex SHA-256 of the canonical JSON array
``[id, at, actor_id, action, target, detail]`` (``at`` as UTC ISO 8601 with microseconds,
``detail`` as the stored JSON text; compact separators, non-ASCII kept) followed directly by
``prev_hash``, the previous entry's hash (64 zeros for the first entry). ``audit_head``
holds the newest id and hash, updated in the same transaction, so the newest entries cannot
be deleted unnoticed either. Ids come from the head, not from a sequence: a transaction
that rolls back leaves no gap, and a gap therefore means a deleted entry.

If the head row itself is deleted, appending goes on from the newest entry without
re-creating it, so verification keeps reporting ``head_mismatch`` until someone looks.
If a row was inserted behind the head's back (its id taken), appending takes the next free
id and still links to the head's hash: nobody's sign-in fails on the forged row, and the
chain going around it makes verification report it as ``inserted``.
An entry written by someone signed in is also sealed: ``seal`` is the HMAC of the entry's
unsealed hash under a key derived from the data key (``DataKey.audit_seal``), and the
entry's ``hash`` is then the SHA-256 of that unsealed hash followed by the seal, so the
seal cannot be removed without breaking the chain. From the first sealed entry on, an
entry without a seal is accepted only for what nobody signed in writes (``UNSEALED``:
failed sign-ins and lockouts); so a row appended with SQL and a correctly computed hash is
told apart (``forged``) by anyone holding the key, which the database administrator does
not. A forged failed sign-in or lockout is the one row that cannot be told apart: it
claims no person's act.

There is deliberately no function to change or delete an entry. The chain detects a person
who edits rows with SQL; someone who deletes the tail and moves the head back, deletes
everything, or rewrites the whole chain without seals from its first entry on is not caught
by the database alone: that needs the head kept elsewhere (``newest_mark`` and ``mark_of``
serve the anchors of services.audit_anchors).

``verify_chain`` (storage/audit_verify.py) walks the chain and names what it finds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, and_, func, insert, select, update
from sqlmodel import Session, col

from cs_console.domain.enums import AuditAction
from cs_console.storage.engine import conflict_insert
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import AuditEntry, AuditHead, User, table_of

GENESIS_HASH = "0" * 64
HEAD_ID = 1  # the single row of audit_head
_PAGE = 1000  # ids read per query while looking for a free one
PROBLEMS = ("changed", "inserted", "deleted", "head_mismatch", "forged")
# Written by nobody signed in, so without a seal (see the module's doc).
UNSEALED = frozenset({AuditAction.LOGIN_FAILED.value, AuditAction.LOCKOUT.value})


@dataclass(frozen=True)
class AuditMark:
    """One point of the chain, as an anchor keeps it: the entry ``entries`` (ids run from 1,
    so it is also the count up to there) and its hash; ``entries`` 0 is the empty chain."""

    entries: int
    hash: str
    at: datetime | None = None


@dataclass(frozen=True)
class AuditReport:
    """The outcome of walking the chain; ``problem`` is one of PROBLEMS, or None if ok.
    ``head`` is the newest entry the log holds (what an anchor keeps)."""

    ok: bool
    entries: int
    first_bad_id: int | None = None
    problem: str | None = None
    head: AuditMark = field(default_factory=lambda: AuditMark(0, GENESIS_HASH), compare=False)


@dataclass(frozen=True)
class AuditLine:
    """An entry as a person reads it: who (user name, None for nobody signed in) did what."""

    id: int
    at: datetime
    username: str | None
    action: str
    target: str


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def canonical_detail(detail: dict[str, object]) -> str:
    """The JSON text stored in ``detail``: sorted keys, compact, non-ASCII kept."""
    return json.dumps(
        detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain
    )


def entry_hash_of(unsealed: str, seal: str) -> str:
    """A sealed entry's hash: its unsealed hash followed by its seal."""
    return hashlib.sha256((unsealed + seal).encode("ascii")).hexdigest()


def unsealed_hash(
    *,
    entry_id: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    target: str,
    detail: str,
    prev_hash: str,
) -> str:
    """The hash of an entry's content and link, which its seal is made of."""
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    body = json.dumps(
        [entry_id, stamp, actor_id, action, target, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((body + prev_hash).encode("utf-8")).hexdigest()


def _locked_head(session: Session) -> tuple[int, str]:
    """The head (last id, last hash), locked until the transaction ends on PostgreSQL.

    FOR UPDATE makes concurrent writers chain one after the other; SQLite renders nothing
    for it, and needs nothing: its write transactions begin IMMEDIATE (storage/engine.py).
    """
    query = (
        select(col(AuditHead.last_id), col(AuditHead.last_hash))
        .where(col(AuditHead.id) == HEAD_ID)
        .with_for_update()
    )
    head = session.execute(query).first()
    if head is not None:
        return head[0], head[1]
    newest = session.execute(
        select(col(AuditEntry.id), col(AuditEntry.hash))
        .order_by(col(AuditEntry.id).desc())
        .limit(1)
    ).first()
    if newest is not None:
        # The head was deleted: go on from the newest entry (logins must not stop), but do
        # not re-create the head, which would hide the deletion; verification reports it.
        return newest[0], newest[1]
    # Two first writers at once: the second waits for the first's row instead of failing.
    session.execute(
        conflict_insert(session.get_bind().dialect.name, table_of(AuditHead))
        .values(id=HEAD_ID, last_id=0, last_hash=GENESIS_HASH)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    head = session.execute(query).one()
    return head[0], head[1]


def _free_id_after(session: Session, last_id: int) -> int:
    """The first id after the head that no row holds: normally ``last_id + 1``; a row
    someone inserted behind the head's back is gone around (verification reports it)."""
    candidate = last_id + 1
    while True:
        taken = session.execute(
            select(col(AuditEntry.id))
            .where(col(AuditEntry.id) >= candidate)
            .order_by(col(AuditEntry.id))
            .limit(_PAGE)
        ).scalars()
        count = 0
        for entry_id in taken:
            if entry_id != candidate:
                return candidate
            candidate += 1
            count += 1
        if count < _PAGE:
            return candidate


def append_audit(
    *,
    session: Session,
    at: datetime,
    actor_id: int | None,
    action: AuditAction | str,
    target: str,
    key: DataKey | None,
    **detail: object,
) -> None:
    """Append one entry inside the caller's write transaction, chained to the newest one,
    sealed with ``key`` (the writer's data key; None only for what nobody signed in writes,
    and in a database whose customers are not sealed yet).

    ``detail`` must never hold customers' personal data (names, phones, addresses, free
    text): the audit trail outlives the retention purge.
    """
    action = AuditAction(action).value
    last_id, last_hash = _locked_head(session)
    entry_id = _free_id_after(session, last_id)
    at = at.astimezone(UTC)
    text = canonical_detail(detail)
    unsealed = unsealed_hash(
        entry_id=entry_id,
        at=at,
        actor_id=actor_id,
        action=action,
        target=target,
        detail=text,
        prev_hash=last_hash,
    )
    seal = None if key is None else key.audit_seal(unsealed)
    digest = unsealed if seal is None else entry_hash_of(unsealed, seal)
    session.execute(
        insert(AuditEntry).values(
            id=entry_id,
            at=at,
            actor_id=actor_id,
            action=action,
            target=target,
            detail=text,
            prev_hash=last_hash,
            hash=digest,
            seal=seal,
        )
    )
    session.execute(
        update(AuditHead)
        .where(col(AuditHead.id) == HEAD_ID)
        .values(last_id=entry_id, last_hash=digest)
    )


def newest_mark(*, session: Session) -> AuditMark:
    """The newest entry the log holds (the empty chain's mark when it holds none)."""
    row = session.execute(
        select(col(AuditEntry.id), col(AuditEntry.hash), col(AuditEntry.at))
        .order_by(col(AuditEntry.id).desc())
        .limit(1)
    ).first()
    return AuditMark(0, GENESIS_HASH) if row is None else AuditMark(row[0], row[1], row[2])


def mark_of(*, session: Session, entry_id: int) -> AuditMark | None:
    """The entry ``entry_id`` as an anchor would keep it; None when the log has no such entry
    (the genesis mark for 0)."""
    if entry_id == 0:
        return AuditMark(0, GENESIS_HASH)
    row = session.execute(
        select(col(AuditEntry.id), col(AuditEntry.hash), col(AuditEntry.at)).where(
            col(AuditEntry.id) == entry_id
        )
    ).first()
    return None if row is None else AuditMark(row[0], row[1], row[2])


def _lines(condition: ColumnElement[bool]) -> Select:
    return (
        select(
            col(AuditEntry.id),
            col(AuditEntry.at),
            col(User.username),
            col(AuditEntry.action),
            col(AuditEntry.target),
        )
        .outerjoin(User, col(User.id) == col(AuditEntry.actor_id))
        .where(condition)
        .order_by(col(AuditEntry.id))
    )


def entries_after(*, session: Session, entry_id: int, limit: int) -> tuple[int, list[AuditLine]]:
    """How many entries are newer than ``entry_id``, and the first ``limit`` of them."""
    newer = col(AuditEntry.id) > entry_id
    total = session.execute(select(func.count()).select_from(AuditEntry).where(newer)).scalar_one()
    rows = session.execute(_lines(newer).limit(limit)).all()
    return total, [AuditLine(*row) for row in rows]


def entries_dated_before(
    *, session: Session, after: int, up_to: int | None, before: datetime, limit: int
) -> list[AuditLine]:
    """Entries numbered after ``after`` (up to ``up_to``, inclusive, if given) yet dated
    before ``before`` (the first ``limit``)."""
    condition = and_(col(AuditEntry.id) > after, col(AuditEntry.at) < before)
    if up_to is not None:
        condition = and_(condition, col(AuditEntry.id) <= up_to)
    return [AuditLine(*row) for row in session.execute(_lines(condition).limit(limit)).all()]
