"""Remembered logins: a token for one shift, kept in the person's OS keyring.

The token is 256 random bits. The database keeps its SHA-256 (to find it, not to reopen
it) and the data key wrapped with a key derived from the token, so a remembered login
unlocks customers' data like a password does, and a copied database holds nothing that
signs in. A token ends with the shift (``security.session_hours``), when its person signs
out of it, or when their password changes.
"""

from __future__ import annotations

import secrets

from cs_console.domain.enums import AuditAction
from cs_console.domain.text import clean_line
from cs_console.services.accounts import Login, actor_of
from cs_console.services.context import Actor, ServiceContext, ServiceError, data_key_of
from cs_console.storage import users as user_queries
from cs_console.storage.audit import append_audit
from cs_console.storage.data_keys import (
    add_login_session,
    data_key_info,
    end_expired_sessions,
    end_login_sessions,
    login_session,
)
from cs_console.storage.engine import write_session
from cs_console.storage.key_rotation import ring_for
from cs_console.storage.sealing import DataKey, KeyMismatch, token_hash, token_kek


def remember_login(console: ServiceContext, actor: Actor) -> str:
    """A new token for ``actor`` (who has unlocked the data key), valid for one shift."""
    key = data_key_of(actor)
    token = secrets.token_urlsafe(32)
    now = console.now()
    with write_session(console.engine) as session:
        end_expired_sessions(session=session, now=now)
        add_login_session(
            session=session,
            user_id=actor.id,
            token_hash=token_hash(token),
            wrapped_data_key=key.wrap(token_kek(token)),
            now=now,
            expires_at=now + console.policy.security.session,
        )
    return token


def authenticate_token(console: ServiceContext, username: str, token: str) -> Login:
    """Sign in with a remembered login; ``session_expired`` when it no longer holds.

    Holds while the shift lasts, for the person it was made for, while their account is
    active and unlocked. Recorded like a password login (action ``login``, ``via``).
    """
    now = console.now()
    hashed = token_hash(token)
    with write_session(console.engine) as session:
        row = login_session(session=session, token_hash=hashed)
        user = user_queries.user_by_name(session=session, username=username)
        info = data_key_info(session=session)
        usable = (
            row is not None
            and user is not None
            and info is not None
            and row.user_id == user.id
            and user.active
            and row.expires_at > now
            and (user.locked_until is None or user.locked_until <= now)
        )
        key = None
        if usable:
            assert row is not None and info is not None
            try:
                key = DataKey.unwrap(row.wrapped_data_key, token_kek(token))
            except KeyMismatch:
                key = None
            if key is not None:  # during a rotation: a ring holding the new key too
                key = ring_for(session=session, key=key, follow=console.engine)
        if key is not None and user is not None:
            append_audit(
                session=session,
                at=now,
                actor_id=user.id,
                action=AuditAction.LOGIN,
                target=f"user:{clean_line(username)[:64]}",
                key=key,
                via="remembered",
            )
            max_age = console.policy.security.password_max_age
            expired = now - user.password_changed_at >= max_age
            due = expired or user.must_change_password
            return Login(actor_of(user, key, change_due=due), due)
        if row is not None:  # a token that no longer holds is forgotten (committed)
            end_login_sessions(session=session, token_hash=hashed)
    raise ServiceError("session_expired")


def forget_login(console: ServiceContext, token: str) -> None:
    """End a remembered login (signing out, or a token no longer wanted)."""
    with write_session(console.engine) as session:
        end_login_sessions(session=session, token_hash=token_hash(token))
