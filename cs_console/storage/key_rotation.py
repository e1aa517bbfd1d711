"""Queries of a data-key rotation: the rotation record, the accounts still holding the old
key, the key chain a session learns new keys from, and the old key's destruction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select, update

from cs_console.storage.data_keys import add_data_key, data_key_info
from cs_console.storage.engine import read_session
from cs_console.storage.resealing import STAGES
from cs_console.storage.sealing import DataKey, KeyChain
from cs_console.storage.tables import DataKeyRecord, KeyPending, KeyRotation, LoginSession, User


@dataclass(frozen=True)
class RotationRow:
    id: int
    old_fingerprint: str
    new_fingerprint: str
    started_at: datetime
    stage: str
    last_id: int
    resealed: bool


def _open_rotation(session: Session) -> KeyRotation | None:
    return session.exec(select(KeyRotation).where(col(KeyRotation.finished_at).is_(None))).first()


def open_rotation(*, session: Session) -> RotationRow | None:
    """The rotation under way (None: none is)."""
    row = _open_rotation(session)
    if row is None or row.id is None:
        return None
    return RotationRow(
        row.id,
        row.old_fingerprint,
        row.new_fingerprint,
        row.started_at,
        row.stage,
        row.last_id,
        row.resealed_at is not None,
    )


def key_chain(*, session: Session) -> KeyChain:
    """The current key's fingerprint and, during a rotation, its two links."""
    info = data_key_info(session=session)
    row = _open_rotation(session)
    links = (row.new_under_old, row.old_under_new) if row is not None else ()
    return KeyChain(info.fingerprint if info is not None else "", links)


def ring_for(*, session: Session, key: DataKey, follow: Engine | None = None) -> DataKey | None:
    """``key`` (just unwrapped at a sign-in) completed with the keys a rotation links to
    it; None when it cannot reach the current key (its key was destroyed by a finished
    rotation). With ``follow`` (the console's engine, not a write session's bind) it keeps
    learning from the database while the session lasts."""
    chain = key_chain(session=session)
    key.learn(chain)
    if not chain.fingerprint or key.fingerprint != chain.fingerprint:
        return None
    if follow is not None:
        key.follow(lambda: _chain_of(follow))
    return key


def _chain_of(engine: Engine) -> KeyChain:
    with read_session(engine) as session:
        return key_chain(session=session)


def start_rotation(
    *,
    session: Session,
    old: DataKey,
    new: DataKey,
    recovery_wrapped: str,
    actor_id: int,
    now: datetime,
) -> int:
    """Record the new key (with its recovery wrapping) as the database's, linked both ways
    to the old one, every account holding a key marked as still holding the old one.
    Returns the rotation's id."""
    add_data_key(
        session=session, fingerprint=new.fingerprint, recovery_wrapped=recovery_wrapped, now=now
    )
    row = KeyRotation(
        old_fingerprint=old.fingerprint,
        new_fingerprint=new.fingerprint,
        new_under_old=new.wrap_for(old),
        old_under_new=old.wrap_for(new),
        started_at=now,
        started_by=actor_id,
        stage=STAGES[0],
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    holders = session.exec(select(col(User.id)).where(col(User.wrapped_data_key) != "")).all()
    session.add_all(
        KeyPending(rotation_id=row.id, user_id=user_id)
        for user_id in holders
        if user_id is not None
    )
    session.flush()
    return row.id


def took_new_key(*, session: Session, user_id: int, key: DataKey) -> None:
    """``user_id``'s wrapped key was just replaced by ``key``: no longer pending if it is
    the rotation's new key."""
    row = _open_rotation(session)
    if row is not None and row.id is not None and key.fingerprint == row.new_fingerprint:
        session.exec(
            delete(KeyPending).where(
                col(KeyPending.rotation_id) == row.id, col(KeyPending.user_id) == user_id
            )
        )


def pending_accounts(*, session: Session, rotation_id: int) -> list[str]:
    """The user names still holding the old key, sorted."""
    return list(
        session.exec(
            select(col(User.username))
            .join(KeyPending, col(KeyPending.user_id) == col(User.id))
            .where(col(KeyPending.rotation_id) == rotation_id)
            .order_by(col(User.username))
        ).all()
    )


def save_progress(
    *, session: Session, rotation_id: int, stage: str, last_id: int, resealed_at: datetime | None
) -> None:
    """Where re-sealing stands (committed with the chunk it follows)."""
    session.exec(
        update(KeyRotation)
        .where(col(KeyRotation.id) == rotation_id)
        .values(stage=stage, last_id=last_id, resealed_at=resealed_at)
    )


def destroy_old_key(*, session: Session, rotation_id: int, now: datetime) -> tuple[int, int]:
    """End a rotation: the old key's every wrapped copy is deleted (its record with its
    recovery wrapping, both links, the wrapped keys of accounts still holding it, the
    remembered logins made before the rotation). Returns (accounts that lost their key,
    remembered logins ended)."""
    row = session.get(KeyRotation, rotation_id)
    assert row is not None
    pending = session.exec(
        select(col(KeyPending.user_id)).where(col(KeyPending.rotation_id) == rotation_id)
    ).all()
    if pending:
        session.exec(update(User).where(col(User.id).in_(pending)).values(wrapped_data_key=""))
        session.exec(delete(KeyPending).where(col(KeyPending.rotation_id) == rotation_id))
    ended = session.exec(
        select(col(LoginSession.id)).where(col(LoginSession.created_at) <= row.started_at)
    ).all()
    session.exec(delete(LoginSession).where(col(LoginSession.created_at) <= row.started_at))
    session.exec(delete(DataKeyRecord).where(col(DataKeyRecord.fingerprint) == row.old_fingerprint))
    row.new_under_old = row.old_under_new = ""
    row.finished_at = now
    session.add(row)
    session.flush()
    return len(pending), len(ended)
