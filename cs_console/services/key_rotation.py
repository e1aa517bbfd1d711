"""Rotating the data key: a new key, every sealed value re-sealed in short chunks while
consoles keep working, every account taking the new key at its next sign-in, then the old
key destroyed (README, "Keys").

``rotate_data_key`` is run by an administrator and may be run again at any time: the first
run starts the rotation (a new recovery key, shown once: the old one no longer works);
every run continues re-sealing where the last stopped (a crash or Ctrl-C loses at most one
chunk, never a row: each chunk commits on its own and every value stays readable by both
keys meanwhile); once everything is re-sealed and no account holds the old key any more,
the old key is destroyed. ``finish=True`` destroys it even though some accounts still hold
only the old key: nobody can wrap the new key for them without their password, so they
lose access until an administrator resets their password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.enums import AuditAction
from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, ServiceContext, ServiceError, data_key_of, require
from cs_console.services.data_keys import new_recovery_key, recovery_kek
from cs_console.storage.audit import append_audit
from cs_console.storage.data_keys import data_key_info, scrub_free_pages
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.key_rotation import (
    RotationRow,
    destroy_old_key,
    key_chain,
    open_rotation,
    pending_accounts,
    save_progress,
    start_rotation,
)
from cs_console.storage.resealing import STAGES, apply_chunk, prepare_chunk, stale_values_left
from cs_console.storage.sealing import DataKey, KeyChain

CHUNK = 500
"""Rows re-sealed per write transaction: short enough that other consoles never wait."""


@dataclass(frozen=True)
class RotationReport:
    recovery_key: str  # the new recovery key when this run started the rotation, else ""
    resealed: int  # rows re-sealed by this run
    pending: tuple[str, ...]  # accounts still holding only the old key
    finished: bool  # the old key destroyed
    accounts_reset: tuple[str, ...] = ()  # accounts that lost the key (finish=True)
    sessions_ended: int = 0  # remembered logins from before the rotation, ended


def _audit(
    session: Session,
    console: ServiceContext,
    actor: Actor,
    key: DataKey,
    step: str,
    **detail: object,
) -> None:
    append_audit(
        session=session,
        at=console.now(),
        actor_id=actor.id,
        action=AuditAction.KEY_ROTATION,
        target=f"data_key:{key.fingerprint[:8]}",
        key=key,
        step=step,
        **detail,
    )


def _start(console: ServiceContext, actor: Actor, ring: DataKey) -> str:
    """Begin a rotation; ``ring`` (a copy of the actor's) seals with the new key from now
    on. Returns the new recovery key."""
    new, recovery = ring.successor(), new_recovery_key()
    with write_session(console.engine) as session:
        info = data_key_info(session=session)
        if info is None:
            raise ServiceError("data_not_sealed")
        if open_rotation(session=session) is not None or info.fingerprint != ring.fingerprint:
            raise ServiceError("data_key_locked")  # another rotation began meanwhile
        start_rotation(
            session=session,
            old=ring,
            new=new,
            recovery_wrapped=new.wrap(recovery_kek(recovery)),
            actor_id=actor.id,
            now=console.now(),
        )
        ring.learn(KeyChain(new.fingerprint, (new.wrap_for(ring),)))
        _audit(session, console, actor, ring, "start", old_key=info.fingerprint[:8])
    return recovery


def _reseal(
    console: ServiceContext,
    actor: Actor,
    key: DataKey,
    rotation: RotationRow,
    chunk: int,
    progress: Callable[[int], None] | None,
) -> int:
    """Re-seal from where the rotation stopped until nothing the new key did not seal is
    left (a pass that finds some written meanwhile starts another). Returns the rows."""
    stage, last_id, total = rotation.stage or STAGES[0], rotation.last_id, 0
    while True:
        with read_session(console.engine) as session:  # read and encrypt: no write lock
            prepared = prepare_chunk(
                session=session, key=key, stage=stage, after_id=last_id, limit=chunk
            )
        read = prepared.rows
        pass_over = not read and stage == STAGES[-1]
        if read:
            last_id = prepared.last_id
        elif not pass_over:
            stage, last_id = STAGES[STAGES.index(stage) + 1], 0
        with write_session(console.engine) as session:
            apply_chunk(session=session, chunk=prepared)
            _save(session, rotation, stage, last_id)
        total += read
        if progress is not None and read:
            progress(read)
        if not pass_over:
            continue
        with read_session(console.engine) as session:  # a whole-table scan: no write lock
            left = stale_values_left(session=session, key_id=key.key_id)
        with write_session(console.engine) as session:
            if left:  # written with the old key meanwhile: another pass
                stage, last_id = STAGES[0], 0
                _save(session, rotation, stage, last_id)
                continue
            _save(session, rotation, stage, last_id, resealed_at=console.now())
            _audit(session, console, actor, key, "resealed", rows=total)
        return total


def _save(
    session: Session,
    rotation: RotationRow,
    stage: str,
    last_id: int,
    resealed_at: datetime | None = None,
) -> None:
    save_progress(
        session=session,
        rotation_id=rotation.id,
        stage=stage,
        last_id=last_id,
        resealed_at=resealed_at,
    )


def rotate_data_key(
    console: ServiceContext,
    actor: Actor,
    *,
    finish: bool = False,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> RotationReport:
    """Start, continue or finish the rotation of the data key (an administrator only)."""
    require(actor, Action.MANAGE_USERS)
    key = data_key_of(actor).detached()
    with read_session(console.engine) as session:
        rotation = open_rotation(session=session)
        key.learn(key_chain(session=session))
    recovery = ""
    if rotation is None:
        recovery = _start(console, actor, key)
        with read_session(console.engine) as session:
            rotation = open_rotation(session=session)
        assert rotation is not None
    if key.fingerprint != rotation.new_fingerprint:  # a key from before another rotation
        raise ServiceError("data_key_locked")
    resealed = _reseal(console, actor, key, rotation, chunk, progress)
    with write_session(console.engine) as session:
        pending = tuple(pending_accounts(session=session, rotation_id=rotation.id))
        if stale_values_left(session=session, key_id=key.key_id) or (pending and not finish):
            _audit(session, console, actor, key, "progress", rows=resealed, pending=len(pending))
            return RotationReport(recovery, resealed, pending, finished=False)
        reset, ended = destroy_old_key(session=session, rotation_id=rotation.id, now=console.now())
        _audit(
            session,
            console,
            actor,
            key,
            "finish",
            rows=resealed,
            accounts_reset=list(pending),
            sessions_ended=ended,
        )
    scrub_free_pages(console.engine)
    return RotationReport(recovery, resealed, (), True, pending if reset else (), ended)
