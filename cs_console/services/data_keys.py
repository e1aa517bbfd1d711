"""The data key's life: created with the first administrator, sealing a database from
before encryption, and the recovery key that stands in for every lost password.

The recovery key is 160 random bits shown once, as eight groups of four letters and
digits; the database keeps only the data key wrapped with a key derived from it. With it an
administrator who lost every password (or whose every administrator left) sets a new
password on an administrator account; without it, and without any person who can still
sign in, the customers' personal data cannot be read again (README, "Keys").
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from cs_console.domain.enums import Role
from cs_console.services.accounts import store_password
from cs_console.services.context import ServiceContext, ServiceError
from cs_console.services.passwords import password_kek
from cs_console.storage import users as user_queries
from cs_console.storage.customers import seal_clear_customers
from cs_console.storage.data_keys import add_data_key, data_key_info, scrub_free_pages
from cs_console.storage.engine import write_session
from cs_console.storage.sealing import DataKey, KeyMismatch, token_kek


def new_recovery_key() -> str:
    """A fresh recovery key: ``XXXX-XXXX-…`` (eight groups of base32)."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_kek(recovery_key: str) -> bytes:
    """The key-encryption key of a recovery key, however it was typed (case, spaces, dashes)."""
    normal = "".join(ch for ch in recovery_key.upper() if ch.isalnum())
    return token_kek(normal)


@dataclass(frozen=True)
class SealReport:
    recovery_key: str
    customers: int


def seal_database(console: ServiceContext, username: str, password: str) -> SealReport:
    """Create the data key of a database from before encryption and seal its customers.

    ``username`` must be an active administrator and ``password`` theirs; the key is wrapped
    for them only (the others get it when an administrator resets their password). One
    transaction: every customer is sealed, or nothing changed; on SQLite the file is then
    rewritten so no clear value stays in free pages. Refused once a key exists.
    """
    with write_session(console.engine) as session:
        user = user_queries.user_by_name(session=session, username=username)
        if user is None or not user.active or password_kek(password, user.password_hash) is None:
            raise ServiceError("login_failed")
        if user.role != Role.ADMIN.value:
            raise ServiceError("refused_manage_users", role=user.role)
        if data_key_info(session=session) is not None:
            raise ServiceError("data_already_sealed")
        key, recovery = DataKey.generate(), new_recovery_key()
        add_data_key(
            session=session,
            fingerprint=key.fingerprint,
            recovery_wrapped=key.wrap(recovery_kek(recovery)),
            now=console.now(),
        )
        count = seal_clear_customers(session=session, key=key)
        # The password the administrator already has, kept (not judged again) to wrap the key.
        store_password(
            console,
            session,
            user,
            password,
            actor_id=user.id,
            by_owner=True,
            data_key=key,
            check_strength=False,
        )
    scrub_free_pages(console.engine)
    return SealReport(recovery, count)


def recover_with_key(console: ServiceContext, recovery_key: str, username: str, new: str) -> None:
    """Set ``username``'s (an administrator's) password with the recovery key.

    The data key the recovery key unwraps is wrapped for the new password; the password
    must be changed at the next login like any reset.
    """
    with write_session(console.engine) as session:
        info = data_key_info(session=session)
        user = user_queries.user_by_name(session=session, username=username)
        if info is None:
            raise ServiceError("data_not_sealed")
        if not info.recovery_wrapped:  # the demo's key: its passwords are printed instead
            raise ServiceError("no_recovery_key")
        try:
            key = DataKey.unwrap(info.recovery_wrapped, recovery_kek(recovery_key))
        except KeyMismatch:
            raise ServiceError("recovery_key_wrong") from None
        if user is None or user.role != Role.ADMIN.value:
            raise ServiceError("no_such_admin", username=username)
        user.locked_until, user.failed_logins, user.active = None, 0, True
        store_password(console, session, user, new, actor_id=None, by_owner=False, data_key=key)
