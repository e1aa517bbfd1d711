"""Hashes made at an older scrypt cost (N=2^13, before issue 14) still sign in, and are
hashed again at today's cost by the first right sign-in, the data key re-wrapped with it."""

from __future__ import annotations

import base64
import hashlib
import secrets

import pytest
from sqlalchemy import update

from cs_console.domain.enums import Role
from cs_console.services.accounts import authenticate, change_password, create_user
from cs_console.services.context import ServiceContext, ServiceError
from cs_console.services.passwords import needs_rehash, password_kek
from cs_console.services.sessions import authenticate_token, remember_login
from cs_console.storage.engine import write_session
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import AuditEntry, User
from tests.conftest import TEST_DATA_KEY, FakeClock

from .helpers import one, rows

PASSWORD = "secret-pass-1"
CURRENT = "scrypt-kek$32768$8$1$"
pytestmark = pytest.mark.real_password_cost  # the cost itself is tested here


def _hash_of_2025(password: str) -> tuple[str, bytes]:
    """A hash as the program made them before issue 14: scrypt N=2^13, r=8, p=1."""
    salt = secrets.token_bytes(16)
    derived = hashlib.scrypt(password.encode(), salt=salt, n=2**13, r=8, p=1, dklen=64)
    verifier = base64.b64encode(derived[:32]).decode()
    return f"scrypt-kek$8192$8$1${base64.b64encode(salt).decode()}${verifier}", derived[32:]


def _login_details(console: ServiceContext) -> list[str]:
    logins = rows(console, AuditEntry, AuditEntry.action == "login")  # type: ignore[arg-type]
    return [entry.detail for entry in sorted(logins, key=lambda entry: entry.id)]


@pytest.fixture
def old_account(console: ServiceContext) -> User:
    """lina, whose password hash and wrapped data key date from before the new cost."""
    create_user(
        console,
        username="lina",
        display_name="李娜",
        agent_no="2001",
        role=Role.AGENT,
        password=PASSWORD,
        data_key=TEST_DATA_KEY,
    )
    old_hash, kek = _hash_of_2025(PASSWORD)
    with write_session(console.engine) as session:
        session.execute(
            update(User)
            .where(User.username == "lina")  # type: ignore[arg-type]
            .values(password_hash=old_hash, wrapped_data_key=TEST_DATA_KEY.wrap(kek))
        )
    return one(console, User)


def test_an_old_hash_signs_in_and_is_upgraded_with_the_key_rewrapped(
    console: ServiceContext, clock: FakeClock, old_account: User
) -> None:
    assert needs_rehash(old_account.password_hash)
    token = remember_login(console, authenticate(console, "lina", PASSWORD).actor)

    user = one(console, User)
    assert user.password_hash.startswith(CURRENT) and not needs_rehash(user.password_hash)
    assert user.wrapped_data_key != old_account.wrapped_data_key
    # The data key unwraps with the new derivation, and only with it.
    kek = password_kek(PASSWORD, user.password_hash)
    assert kek is not None
    assert DataKey.unwrap(user.wrapped_data_key, kek).fingerprint == TEST_DATA_KEY.fingerprint
    assert password_kek(PASSWORD, old_account.password_hash) != kek
    # Nothing else about the password changed.
    assert (user.password_changed_at, user.must_change_password) == (
        old_account.password_changed_at,
        False,
    )
    assert '"password_rehashed":true' in _login_details(console)[-1]
    # The next sign-in and the remembered login both unlock the same key, no re-hash.
    clock.advance(minutes=1)
    again = authenticate(console, "lina", PASSWORD)
    assert again.actor.data_key is not None
    assert again.actor.data_key.fingerprint == TEST_DATA_KEY.fingerprint
    assert one(console, User).password_hash == user.password_hash
    remembered = authenticate_token(console, "lina", token)
    assert remembered.actor.data_key is not None
    assert remembered.actor.data_key.fingerprint == TEST_DATA_KEY.fingerprint


def test_a_wrong_password_never_upgrades(
    console: ServiceContext, clock: FakeClock, old_account: User
) -> None:
    for _ in range(console.policy.security.max_failed_logins):
        with pytest.raises(ServiceError):
            authenticate(console, "lina", "wrong-pass-77")
    # Locked now: the right password is refused too, and upgrades nothing either.
    with pytest.raises(ServiceError) as locked:
        authenticate(console, "lina", PASSWORD)
    assert locked.value.code == "account_locked"

    user = one(console, User)
    assert (user.password_hash, user.wrapped_data_key) == (
        old_account.password_hash,
        old_account.wrapped_data_key,
    )


def test_a_password_change_from_an_old_hash_stores_the_new_cost(
    console: ServiceContext, old_account: User
) -> None:
    change_password(console, "lina", PASSWORD, "tulip-42x-river")

    user = one(console, User)
    assert user.password_hash.startswith(CURRENT)
    login = authenticate(console, "lina", "tulip-42x-river")
    assert login.actor.data_key is not None
    assert login.actor.data_key.fingerprint == TEST_DATA_KEY.fingerprint
