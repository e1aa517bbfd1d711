"""Accounts: creating users, logging in (with lockout), changing passwords.

Each account holds the data key wrapped with a key derived from its password (the same
scrypt derivation as the verifier, services.passwords): signing in unwraps it onto the
actor, creating an account or resetting a password wraps it with the administrator's
unlocked key, and a change of password rewraps it. A new password also ends the person's
remembered logins.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from cs_console.domain.enums import AuditAction, Role
from cs_console.domain.password_strength import password_problem
from cs_console.domain.text import clean_line
from cs_console.services.context import Actor, InvalidInput, ServiceContext, ServiceError
from cs_console.services.passwords import DUMMY_HASH, hash_password, needs_rehash, password_kek
from cs_console.storage import users as user_queries
from cs_console.storage.audit import append_audit
from cs_console.storage.data_keys import add_data_key, data_key_info, end_login_sessions
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.key_rotation import ring_for, took_new_key
from cs_console.storage.sealing import DataKey, KeyMismatch
from cs_console.storage.tables import User, max_chars
from cs_console.storage.users import UserRow


@dataclass(frozen=True)
class Login:
    actor: Actor
    must_change_password: bool
    offline: bool = False  # signed in from what this machine kept (services/journal/sign_ins)


def actor_of(user: User, data_key: DataKey | None = None, *, change_due: bool = False) -> Actor:
    """The actor an account signs in as, with the data key it unlocked; ``change_due`` when
    the password must be changed before anything else."""
    assert user.id is not None
    return Actor(
        user.id,
        user.username,
        user.display_name,
        user.agent_no,
        Role(user.role),
        user.team,
        user.outlet,
        data_key,
        change_due,
    )


def unwrap_for(
    session: Session, user: User, kek: bytes, *, follow: Engine | None = None
) -> DataKey | None:
    """The data key ``user``'s password-derived ``kek`` unwraps (None: no access to it);
    with ``follow`` (the console's engine) it learns a key that replaces it meanwhile."""
    if not user.wrapped_data_key or not kek:
        return None
    try:
        key = DataKey.unwrap(user.wrapped_data_key, kek)
    except KeyMismatch:
        return None
    # During a rotation the key held may be the old one: the ring opens both, seals new.
    return ring_for(session=session, key=key, follow=follow)


def _take_new_key(session: Session, user: User, kek: bytes, key: DataKey) -> bool:
    """At a sign-in during a rotation, an account holding the old key takes the new one
    (wrapped with the same password-derived ``kek``). Returns whether it did."""
    if DataKey.unwrap(user.wrapped_data_key, kek).fingerprint == key.fingerprint:
        return False
    user.wrapped_data_key = key.wrap(kek)
    assert user.id is not None
    took_new_key(session=session, user_id=user.id, key=key)
    return True


def password_refusal(
    console: ServiceContext, password: str, *, names: tuple[str, ...]
) -> str | None:
    """Why ``password`` may not be set for the account called ``names`` (user name, display
    name), as an ``error.`` code, or None: long enough, not common, not built from a name,
    not a repeat or sequence (domain.password_strength, the policy's thresholds)."""
    security = console.policy.security
    return password_problem(
        password,
        names=names,
        min_length=security.min_password_length,
        min_score=security.min_password_score,
    )


def _check_password(console: ServiceContext, password: str, user: User) -> None:
    problem = password_refusal(console, password, names=(user.username, user.display_name))
    if problem is not None:
        raise InvalidInput({"password": problem})


def create_user(
    console: ServiceContext,
    *,
    username: str,
    display_name: str,
    agent_no: str,
    role: Role,
    password: str,
    team: str = "",
    outlet: str = "",
    actor_id: int | None = None,
    data_key: DataKey | None = None,
    recovery_wrapped: str = "",
) -> UserRow:
    """Add an account; username and agent number must be new.

    Recorded in the audit trail as done by ``actor_id`` (None: ``init``'s first admin).
    ``data_key`` (the creator's unlocked key) is wrapped for the new account; refused
    without it once the database has a key. In a database without one (``init``'s first
    admin) the given key becomes the database's, with its ``recovery_wrapped`` copy.
    """
    problems: dict[str, str] = {}
    if not username.strip() or len(username) > 64 or any(c.isspace() for c in username):
        problems["username"] = "username_invalid"
    if not agent_no.strip() or len(agent_no) > 20:
        problems["agent_no"] = "agent_no_invalid"
    if not display_name.strip():
        problems["display_name"] = "required"
    if role is Role.OUTLET and not outlet.strip():
        problems["outlet"] = "outlet_required"
    # Longer text would pass SQLite but make PostgreSQL refuse the row (varchar(n)).
    for name, value in (("display_name", display_name), ("team", team), ("outlet", outlet)):
        if name not in problems and len(value.strip()) > max_chars(User, name):
            problems[name] = "too_long"
    problem = password_refusal(console, password, names=(username, display_name))
    if problem is not None:
        problems["password"] = problem
    if problems:
        raise InvalidInput(problems)
    now = console.now()
    with write_session(console.engine) as session:
        if user_queries.user_by_name(session=session, username=username):
            raise InvalidInput({"username": "username_taken"})
        if user_queries.agent_no_taken(session=session, agent_no=agent_no.strip()):
            raise InvalidInput({"agent_no": "agent_no_taken"})
        info = data_key_info(session=session)
        if data_key is not None:
            data_key.refresh()  # a session from before a rotation learns the new key
        if info is not None and (data_key is None or data_key.fingerprint != info.fingerprint):
            raise ServiceError("data_key_locked")
        if info is None and data_key is not None:
            add_data_key(
                session=session,
                fingerprint=data_key.fingerprint,
                recovery_wrapped=recovery_wrapped,
                now=now,
            )
        password_hash, kek = hash_password(password)
        user = User(
            username=username,
            display_name=display_name.strip(),
            agent_no=agent_no.strip(),
            role=role.value,
            team=team.strip(),
            outlet=outlet.strip(),
            password_hash=password_hash,
            password_changed_at=now,
            created_at=now,
            wrapped_data_key=data_key.wrap(kek) if data_key is not None else "",
        )
        session.add(user)
        session.flush()
        append_audit(
            session=session,
            at=now,
            actor_id=actor_id,
            action=AuditAction.ACCOUNT_CREATED,
            target=f"user:{username}",
            key=data_key,
            role=role.value,
            agent_no=user.agent_no,
        )
        return user_queries._row(user)


def _rehash(user: User, password: str, key: DataKey) -> None:
    """Hash a password just proved right again at today's cost (services.passwords), the
    data key re-wrapped with the new derivation; in the sign-in's transaction, so both
    change together or not at all. Its age, must-change flag and the person's remembered
    logins (their own wrapping of the key) stay as they were."""
    user.password_hash, kek = hash_password(password)
    user.wrapped_data_key = key.wrap(kek)


def authenticate(console: ServiceContext, username: str, password: str) -> Login:
    """Log in; wrong passwords count toward a lockout, expired passwords must be changed.

    The actor carries the data key the password unwraps. A right password that unwraps no
    key is refused: ``data_not_sealed`` (a database from before encryption: run ``cs-console
    key seal``) or ``no_key_access`` (an administrator must reset the password).
    Every attempt is recorded in the audit trail (login, login_failed, lockout); a refused
    attempt is committed with its record, then refused. A right password whose hash was
    made at an older cost is hashed again at today's (the login entry says so).
    """
    now = console.now()
    security = console.policy.security
    target = f"user:{clean_line(username)[:64]}"
    locked_out = False
    with write_session(console.engine) as session:
        user = user_queries.user_by_name(session=session, username=username)
        if user is None or not user.active:
            password_kek(password, DUMMY_HASH)  # same cost either way
            refusal, reason = ServiceError("login_failed"), "no_such_user"
        elif user.locked_until is not None and user.locked_until > now:
            refusal = ServiceError("account_locked", until=user.locked_until)
            reason = "locked"
        elif (kek := password_kek(password, user.password_hash)) is not None:
            user.failed_logins = 0
            user.locked_until = None
            session.add(user)
            key = unwrap_for(session, user, kek, follow=console.engine)
            if key is not None:
                switched = _take_new_key(session, user, kek, key)
                upgraded = needs_rehash(user.password_hash)
                if upgraded:
                    _rehash(user, password, key)
                append_audit(
                    session=session,
                    at=now,
                    actor_id=user.id,
                    action=AuditAction.LOGIN,
                    target=target,
                    key=key,
                    **({"password_rehashed": True} if upgraded else {}),
                    **({"took_new_data_key": True} if switched else {}),
                )
                expired = now - user.password_changed_at >= security.password_max_age
                must_change = expired or user.must_change_password
                return Login(actor_of(user, key, change_due=must_change), must_change)
            sealed = data_key_info(session=session) is not None
            reason = "no_key_access" if sealed else "data_not_sealed"
            refusal = ServiceError(reason)
        else:
            # A wrong password: the count is committed, then the login refused.
            user.failed_logins += 1
            if user.failed_logins >= security.max_failed_logins:
                user.locked_until = now + security.lockout
                user.failed_logins = 0
                locked_out = True
            session.add(user)
            # The attempt that locks the account says so (the next one would anyway).
            refusal = (
                ServiceError("account_locked", until=user.locked_until)
                if locked_out
                else ServiceError("login_failed")
            )
            reason = "wrong_password"
        append_audit(
            session=session,
            at=now,
            actor_id=None,
            action=AuditAction.LOGIN_FAILED,
            target=target,
            key=None,
            reason=reason,
        )
        if locked_out and user is not None:
            append_audit(
                session=session,
                at=now,
                actor_id=None,
                action=AuditAction.LOCKOUT,
                target=target,
                key=None,
                until=user.locked_until,
            )
    raise refusal


def store_password(
    console: ServiceContext,
    session: Session,
    user: User,
    new: str,
    *,
    actor_id: int | None,
    by_owner: bool,
    data_key: DataKey | None,
    check_strength: bool = True,
) -> None:
    """Keep ``new`` as ``user``'s password, hashed, with the data key wrapped by it,
    audited; one set by someone other than its owner must be changed at the next login.
    The person's remembered logins end. ``new`` is refused (InvalidInput) unless strong
    enough for this account (password_refusal); ``check_strength=False`` only to re-store
    the password the account already has."""
    if check_strength:
        _check_password(console, new, user)
    user.password_hash, kek = hash_password(new)
    user.wrapped_data_key = data_key.wrap(kek) if data_key is not None else ""
    user.password_changed_at = console.now()
    user.must_change_password = not by_owner
    session.add(user)
    assert user.id is not None
    if data_key is not None:
        took_new_key(session=session, user_id=user.id, key=data_key)
    end_login_sessions(session=session, user_id=user.id)
    append_audit(
        session=session,
        at=user.password_changed_at,
        actor_id=actor_id,
        action=AuditAction.PASSWORD_SET,
        target=f"user:{user.username}",
        key=data_key,
        changed_by_owner=by_owner,
    )


def change_password(console: ServiceContext, username: str, old: str, new: str) -> None:
    """Set a new password after checking the old one; the data key is rewrapped."""
    if new == old:
        raise InvalidInput({"password": "password_unchanged"})
    with write_session(console.engine) as session:
        user = user_queries.user_by_name(session=session, username=username)
        kek = password_kek(old, user.password_hash) if user is not None else None
        if user is None or kek is None:
            raise ServiceError("login_failed")
        key = unwrap_for(session, user, kek)
        store_password(console, session, user, new, actor_id=user.id, by_owner=True, data_key=key)


def set_password(
    console: ServiceContext,
    username: str,
    new: str,
    *,
    actor_id: int | None = None,
    data_key: DataKey | None = None,
) -> None:
    """An administrator (``actor_id``) sets a password; it must be changed at next login.

    The data key (the administrator's, unlocked) is wrapped for the new password; once the
    database has a key, a reset without it, or with a key a rotation replaced, is refused
    (the account would lose access).
    """
    with write_session(console.engine) as session:
        user = user_queries.user_by_name(session=session, username=username)
        if user is None:
            raise ServiceError("no_such_user", username=username)
        info = data_key_info(session=session)
        if data_key is not None:
            data_key.refresh()  # a session from before a rotation learns the new key
        # A session whose key a rotation replaced and destroyed must not wrap the old one.
        if info is not None and (data_key is None or data_key.fingerprint != info.fingerprint):
            raise ServiceError("data_key_locked")
        user.locked_until = None
        user.failed_logins = 0
        store_password(
            console, session, user, new, actor_id=actor_id, by_owner=False, data_key=data_key
        )


def list_accounts(console: ServiceContext, role: Role | None = None) -> list[UserRow]:
    """All accounts, or those of one role."""
    with read_session(console.engine) as session:
        return user_queries.list_users(session=session, role=role.value if role else None)
