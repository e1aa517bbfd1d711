"""Queries on the data key's record and on remembered-login sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from cs_console.storage.tables import DataKeyRecord, LoginSession


@dataclass(frozen=True)
class KeyInfo:
    fingerprint: str
    recovery_wrapped: str
    created_at: datetime


@dataclass(frozen=True)
class SessionRow:
    id: int
    user_id: int
    wrapped_data_key: str
    expires_at: datetime


def data_key_info(*, session: Session) -> KeyInfo | None:
    """The database's data key record (None: no key yet, customers not sealed)."""
    row = session.exec(select(DataKeyRecord).order_by(col(DataKeyRecord.id).desc())).first()
    if row is None:
        return None
    return KeyInfo(row.fingerprint, row.recovery_wrapped, row.created_at)


def add_data_key(
    *, session: Session, fingerprint: str, recovery_wrapped: str, now: datetime
) -> None:
    """Record a new data key (its fingerprint and its recovery wrapping, never the key)."""
    session.add(
        DataKeyRecord(fingerprint=fingerprint, recovery_wrapped=recovery_wrapped, created_at=now)
    )
    session.flush()


def add_login_session(
    *,
    session: Session,
    user_id: int,
    token_hash: str,
    wrapped_data_key: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Keep a remembered login: the token's hash and the data key wrapped by the token."""
    session.add(
        LoginSession(
            user_id=user_id,
            token_hash=token_hash,
            wrapped_data_key=wrapped_data_key,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()


def login_session(*, session: Session, token_hash: str) -> SessionRow | None:
    """The remembered login whose token hashes to ``token_hash``."""
    row = session.exec(
        select(LoginSession).where(col(LoginSession.token_hash) == token_hash)
    ).first()
    if row is None or row.id is None:
        return None
    return SessionRow(row.id, row.user_id, row.wrapped_data_key, row.expires_at)


def end_login_sessions(
    *, session: Session, user_id: int | None = None, token_hash: str | None = None
) -> None:
    """Forget remembered logins: one token's, or every one of a person (a new password)."""
    if user_id is None and token_hash is None:
        raise ValueError("name the person or the token")
    query = delete(LoginSession)
    if token_hash is not None:
        query = query.where(col(LoginSession.token_hash) == token_hash)
    if user_id is not None:
        query = query.where(col(LoginSession.user_id) == user_id)
    session.exec(query)


def end_expired_sessions(*, session: Session, now: datetime) -> None:
    """Forget every remembered login whose shift is over."""
    session.exec(delete(LoginSession).where(col(LoginSession.expires_at) <= now))


def scrub_free_pages(engine: Engine) -> None:
    """After sealing rows in place on SQLite, rewrite the file so the clear values they
    replaced do not linger in free pages or the WAL (VACUUM, then a truncating checkpoint).
    PostgreSQL keeps dead row versions until its own VACUUM (README, "Keys")."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return
    import sqlite3

    connection = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
