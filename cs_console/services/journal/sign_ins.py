"""Signing in while the database server is unreachable, for people who signed in on this
machine within the policy's offline window (``security.offline_window_days``).

At each online sign-in the console keeps, in its outage journal file, what checking that
person's password needs: the password hash's derivation (scheme, cost, salt), the data key
as their password wraps it in the database, and a profile sealed with the data key (the
verifier itself, the account's name, role, team, outlet, when the password was changed and
whether it must be, and when all this was kept). Nothing is kept in clear that the database
does not also hold in the same form; the verifier is sealed.

Offline, a sign-in derives the key-encryption key from the password (one scrypt, as
online), unwraps the data key (a wrong password does not unwrap it), opens the profile
(AES-GCM: a profile changed, swapped with another person's or made to look newer does not
open) and compares the verifier. The window, lockout, expiry and must-change rules apply as
online; a password that must be changed cannot be changed without the server, so such a
sign-in is refused with that reason. Wrong passwords are counted here and lock the account
on this machine; they, the lockouts and the offline sign-ins are written to the audit trail
when the server answers again (``send_offline_sign_ins``).

What this does not protect against, said in the README ("Offline start"): whoever copies
the file can try passwords against it offline, as against a copied database; the local
failure count is not sealed (nothing is unlocked by a wrong password), so someone who can
write the file can reset it.
"""

from __future__ import annotations

import base64
import hmac
import json
import sqlite3
from datetime import datetime
from typing import Any, NoReturn

from cs_console.domain.enums import AuditAction, Role
from cs_console.domain.text import clean_line
from cs_console.services.accounts import Login
from cs_console.services.context import Actor, ServiceContext, ServiceError, data_key_of
from cs_console.services.journal.store import Journal
from cs_console.services.passwords import DUMMY_HASH, derivation_of, derive
from cs_console.storage import users as user_queries
from cs_console.storage.audit import append_audit
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import DataKey, KeyMismatch

_SEAL = "cs-console offline sign-in v1"
_DUMMY = derivation_of(DUMMY_HASH) or ""
# What is sent to the audit trail when the server is back.
FAILED, LOCKED, SIGNED_IN = "login_failed", "lockout", "login"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sign_ins (
    username TEXT PRIMARY KEY,
    derivation TEXT NOT NULL,
    wrapped_key TEXT NOT NULL,
    profile TEXT NOT NULL,
    kept_at TEXT NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE IF NOT EXISTS offline_sign_ins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    what TEXT NOT NULL,
    at TEXT NOT NULL,
    locked_until TEXT
);
"""


def _label(username: str, derivation: str, wrapped: str, kept_at: str) -> str:
    """The associated data a profile is sealed with: whose it is, and everything kept in
    clear beside it that a sign-in relies on."""
    return json.dumps([_SEAL, username, derivation, wrapped, kept_at], ensure_ascii=False)


def _tables(db: sqlite3.Connection) -> None:
    db.executescript(_SCHEMA)


def keep_sign_in(console: ServiceContext, journal: Journal, actor: Actor) -> bool:
    """After an online sign-in of ``actor`` (who unlocked the data key): keep what signing
    them in offline needs, as the database has it now. Returns whether it was kept (not
    with the window at 0 days, or a hash from before keys were wrapped)."""
    key = data_key_of(actor)
    with read_session(console.engine) as session:
        user = user_queries.user_by_name(session=session, username=actor.username)
        if user is None:
            return False
        stored, wrapped = user.password_hash, user.wrapped_data_key
        changed_at, must_change = user.password_changed_at, user.must_change_password
    derivation = derivation_of(stored)
    if console.policy.security.offline_window.total_seconds() <= 0 or not derivation:
        forget_sign_in(journal, actor.username)
        return False
    kept_at = console.now().isoformat()
    profile = {
        "id": actor.id,
        "display_name": actor.display_name,
        "agent_no": actor.agent_no,
        "role": actor.role.value,
        "team": actor.team,
        "outlet": actor.outlet,
        "verifier": stored.rsplit("$", 1)[1],
        "password_changed_at": changed_at.isoformat(),
        "must_change": must_change,
        "kept_at": kept_at,
    }
    sealed = key.seal(
        json.dumps(profile, ensure_ascii=False),
        _label(actor.username, derivation, wrapped, kept_at),
    )
    with journal.locked() as db:
        _tables(db)
        db.execute(
            "INSERT OR REPLACE INTO sign_ins (username, derivation, wrapped_key, profile, "
            "kept_at, failed, locked_until) VALUES (?, ?, ?, ?, ?, 0, NULL)",
            (actor.username, derivation, wrapped, sealed, kept_at),
        )
    return True


def forget_sign_in(journal: Journal, username: str) -> None:
    """This machine no longer signs ``username`` in offline."""
    with journal.locked() as db:
        _tables(db)
        db.execute("DELETE FROM sign_ins WHERE username = ?", (username,))


def kept_sign_ins(journal: Journal) -> list[str]:
    """Whose sign-ins this machine keeps (expired ones included until they are tried)."""
    with journal.locked() as db:
        _tables(db)
        return [row[0] for row in db.execute("SELECT username FROM sign_ins ORDER BY username")]


def offline_sign_in(
    console: ServiceContext, journal: Journal, username: str, password: str
) -> Login:
    """Sign ``username`` in from what this machine kept (the server is unreachable).

    Refused with ``offline_not_kept`` (never signed in here, or longer ago than the window),
    ``login_failed`` / ``account_locked`` (counted here), ``offline_record_tampered`` (the
    kept sign-in was changed in the file) or ``offline_change_due`` (an expired or reset
    password: changing it needs the server).
    """
    now = console.now()
    security = console.policy.security
    with journal.locked() as db:
        _tables(db)
        row = db.execute("SELECT * FROM sign_ins WHERE username = ?", (username,)).fetchone()
    window = security.offline_window
    if row is not None and datetime.fromisoformat(row["kept_at"]) + window <= now:
        forget_sign_in(journal, username)  # past the window: nothing to keep it for
        row = None
    if row is None:
        derive(password, _DUMMY)  # the same cost whether anyone is kept or not
        raise ServiceError("offline_not_kept", days=window.days)
    locked_until = row["locked_until"] and datetime.fromisoformat(row["locked_until"])
    if locked_until and locked_until > now:
        raise ServiceError("account_locked", until=locked_until)
    verifier, kek = derive(password, row["derivation"])
    try:
        key = DataKey.unwrap(row["wrapped_key"], kek)
    except KeyMismatch:
        _count_failure(journal, username, row["failed"] + 1, console)
    profile = _opened_profile(row, key, verifier)
    with journal.locked() as db:
        db.execute(
            "UPDATE sign_ins SET failed = 0, locked_until = NULL WHERE username = ?", (username,)
        )
    expired = now - datetime.fromisoformat(profile["password_changed_at"])
    if expired >= security.password_max_age or profile["must_change"]:
        raise ServiceError("offline_change_due")
    _note(journal, username, SIGNED_IN, now)
    actor = Actor(
        profile["id"],
        username,
        profile["display_name"],
        profile["agent_no"],
        Role(profile["role"]),
        profile["team"],
        profile["outlet"],
        key,
    )
    return Login(actor, False, offline=True)


def _opened_profile(row: sqlite3.Row, key: DataKey, verifier: bytes) -> dict[str, Any]:
    """The profile kept with ``row`` if it is the one sealed there and matches the
    password's verifier; else refused as changed in the file."""
    label = _label(row["username"], row["derivation"], row["wrapped_key"], row["kept_at"])
    try:
        profile = json.loads(key.open(row["profile"], label))
        kept = base64.b64decode(profile["verifier"], validate=True)
    except (KeyMismatch, ValueError, KeyError, TypeError):
        raise ServiceError("offline_record_tampered") from None
    if not hmac.compare_digest(kept, verifier) or profile.get("kept_at") != row["kept_at"]:
        raise ServiceError("offline_record_tampered")
    return dict(profile)


def _count_failure(
    journal: Journal, username: str, failed: int, console: ServiceContext
) -> NoReturn:
    """A wrong password offline: counted (the lockout as online), noted to be sent, refused."""
    security, now = console.policy.security, console.now()
    locked_until = now + security.lockout if failed >= security.max_failed_logins else None
    with journal.locked() as db:
        db.execute(
            "UPDATE sign_ins SET failed = ?, locked_until = ? WHERE username = ?",
            (0 if locked_until else failed, locked_until and locked_until.isoformat(), username),
        )
    _note(journal, username, FAILED, now, locked_until)
    if locked_until is not None:
        raise ServiceError("account_locked", until=locked_until)
    raise ServiceError("login_failed")


def _note(
    journal: Journal, username: str, what: str, at: datetime, locked_until: datetime | None = None
) -> None:
    with journal.locked() as db:
        _tables(db)
        db.execute(
            "INSERT INTO offline_sign_ins (username, what, at, locked_until) VALUES (?, ?, ?, ?)",
            (username, what, at.isoformat(), locked_until and locked_until.isoformat()),
        )


def send_offline_sign_ins(console: ServiceContext, journal: Journal, key: DataKey | None) -> int:
    """The server answers again: write the sign-ins tried offline to its audit trail
    (wrong passwords, lockouts, sign-ins; a sign-in sealed with ``key``, the data key of
    the person signed in who sends them), and carry a lockout still in force to the
    account. Returns how many were sent; they are then forgotten here."""
    with journal.locked() as db:
        _tables(db)
        noted = db.execute("SELECT * FROM offline_sign_ins ORDER BY id").fetchall()
    if not noted:
        return 0
    now = console.now()
    with write_session(console.engine) as session:
        for row in noted:
            user = user_queries.user_by_name(session=session, username=row["username"])
            target = f"user:{clean_line(row['username'])[:64]}"
            at = {"offline_at": row["at"]}
            if row["what"] == SIGNED_IN:
                uid = user.id if user is not None else None
                append_audit(
                    session=session,
                    at=now,
                    actor_id=uid,
                    action=AuditAction.LOGIN,
                    target=target,
                    key=key,
                    via="offline",
                    **at,
                )
                continue
            append_audit(
                session=session,
                at=now,
                actor_id=None,
                action=AuditAction.LOGIN_FAILED,
                target=target,
                key=None,
                reason="wrong_password_offline",
                **at,
            )
            if row["locked_until"] is None:
                continue
            until = datetime.fromisoformat(row["locked_until"])
            later = user is not None and (user.locked_until is None or user.locked_until < until)
            if user is not None and later and until > now:
                user.locked_until = until
                session.add(user)
            append_audit(
                session=session,
                at=now,
                actor_id=None,
                action=AuditAction.LOCKOUT,
                target=target,
                key=None,
                until=until,
                **at,
            )
    with journal.locked() as db:
        db.execute("DELETE FROM offline_sign_ins WHERE id <= ?", (noted[-1]["id"],))
    return len(noted)
