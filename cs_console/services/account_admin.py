"""Account administration: what an administrator does to other people's accounts.

Every use case here takes the acting administrator and refuses anyone else; the only
exception is the very first administrator of an empty database (``cs-console init
--admin``), which nobody could otherwise create.
"""

from __future__ import annotations

from datetime import timedelta

from cs_console.domain.enums import AuditAction, Role
from cs_console.domain.permissions import Action
from cs_console.services.accounts import create_user, list_accounts, set_password
from cs_console.services.context import Actor, ServiceContext, ServiceError, require
from cs_console.services.data_keys import new_recovery_key, recovery_kek
from cs_console.storage import users as user_queries
from cs_console.storage.audit import append_audit
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import DataKey
from cs_console.storage.users import UserRow

# A lock an administrator sets lasts until an administrator lifts it.
LOCK_FOR = timedelta(days=36525)


def create_first_admin(
    console: ServiceContext, *, username: str, display_name: str, agent_no: str, password: str
) -> tuple[UserRow, str]:
    """Create the first administrator and the database's data key, wrapped for them;
    refused once the database holds any account. Returns the account and the recovery key
    (shown once, never stored: services.data_keys)."""
    with read_session(console.engine) as session:
        if user_queries.count_users(session=session):
            raise ServiceError("accounts_exist")
    key, recovery = DataKey.generate(), new_recovery_key()
    row = create_user(
        console,
        username=username,
        display_name=display_name,
        agent_no=agent_no,
        role=Role.ADMIN,
        password=password,
        data_key=key,
        recovery_wrapped=key.wrap(recovery_kek(recovery)),
    )
    return row, recovery


def add_account(
    console: ServiceContext,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    agent_no: str,
    role: Role,
    password: str,
    team: str = "",
    outlet: str = "",
) -> UserRow:
    """An administrator adds an account."""
    require(actor, Action.MANAGE_USERS)
    return create_user(
        console,
        username=username,
        display_name=display_name,
        agent_no=agent_no,
        role=role,
        password=password,
        team=team,
        outlet=outlet,
        actor_id=actor.id,
        data_key=actor.data_key,
    )


def all_accounts(console: ServiceContext, actor: Actor) -> list[UserRow]:
    """Every account, for an administrator (never with password hashes)."""
    require(actor, Action.MANAGE_USERS)
    return list_accounts(console)


def reset_password(console: ServiceContext, actor: Actor, username: str, password: str) -> None:
    """An administrator sets someone's password; they must change it at their next login."""
    require(actor, Action.MANAGE_USERS)
    set_password(console, username, password, actor_id=actor.id, data_key=actor.data_key)


def _set_lock(console: ServiceContext, actor: Actor, username: str, locked: bool) -> UserRow:
    require(actor, Action.MANAGE_USERS)
    if locked and username == actor.username:
        raise ServiceError("cannot_lock_self")
    now = console.now()
    with write_session(console.engine) as session:
        user = user_queries.user_by_name(session=session, username=username)
        if user is None:
            raise ServiceError("no_such_user", username=username)
        user.locked_until = now + LOCK_FOR if locked else None
        user.failed_logins = 0
        session.add(user)
        session.flush()
        append_audit(
            session=session,
            at=now,
            actor_id=actor.id,
            action=AuditAction.ACCOUNT_LOCKED if locked else AuditAction.ACCOUNT_UNLOCKED,
            target=f"user:{username}",
            key=actor.data_key,
        )
        return user_queries._row(user)


def lock_account(console: ServiceContext, actor: Actor, username: str) -> UserRow:
    """Lock an account until an administrator unlocks it (its owner can no longer log in)."""
    return _set_lock(console, actor, username, locked=True)


def unlock_account(console: ServiceContext, actor: Actor, username: str) -> UserRow:
    """Lift a lock, set by an administrator or by too many wrong passwords."""
    return _set_lock(console, actor, username, locked=False)
