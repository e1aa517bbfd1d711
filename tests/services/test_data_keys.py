"""The data key: unwrapped only by the right password (or a remembered login), kept by a
password change or an administrator's reset, created for a database from before encryption,
and recovered with the recovery key. Both engines."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlmodel import select

from cs_console.domain.enums import Role
from cs_console.services.account_admin import create_first_admin, reset_password
from cs_console.services.accounts import authenticate, change_password, create_user
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, ServiceContext, ServiceError
from cs_console.services.customers import reveal_customer
from cs_console.services.data_keys import recover_with_key, seal_database
from cs_console.services.passwords import password_kek
from cs_console.services.sessions import authenticate_token, forget_login, remember_login
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import DataKey, KeyMismatch
from cs_console.storage.tables import Customer, LoginSession, User
from tests.conftest import FakeClock, add_person

from .helpers import delay_form

PASSWORD = "secret-pass-1"


def _code(call: object, *args: object) -> str:
    with pytest.raises(ServiceError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.code


def _complaint(console: ServiceContext, agent: Actor) -> int:
    return register_complaint(console, agent, delay_form(2, customer_name="张伟")).id


def _name_seen_by(console: ServiceContext, actor: Actor, complaint_id: int) -> str:
    return reveal_customer(console, actor, complaint_id, "customer asked")[0]


def test_login_unwraps_the_key_and_a_wrong_password_cannot(console: ServiceContext) -> None:
    agent = add_person(console, "wangfang")
    complaint_id = _complaint(console, agent)

    login = authenticate(console, "wangfang", PASSWORD)
    assert _name_seen_by(console, login.actor, complaint_id) == "张伟"
    assert _code(authenticate, console, "wangfang", "wrong-pass-1") == "login_failed"
    with read_session(console.engine) as session:
        user = session.exec(select(User).where(User.username == "wangfang")).one()
    assert password_kek("wrong-pass-1", user.password_hash) is None
    with pytest.raises(KeyMismatch):  # even the verifier's half of a derivation opens nothing
        DataKey.unwrap(user.wrapped_data_key, bytes(32))


def test_a_password_change_keeps_the_data_readable(console: ServiceContext) -> None:
    agent = add_person(console, "wangfang")
    complaint_id = _complaint(console, agent)

    change_password(console, "wangfang", PASSWORD, "new-pass-22")

    assert _code(authenticate, console, "wangfang", PASSWORD) == "login_failed"
    actor = authenticate(console, "wangfang", "new-pass-22").actor
    assert _name_seen_by(console, actor, complaint_id) == "张伟"


def test_an_administrators_reset_keeps_the_data_readable(console: ServiceContext) -> None:
    agent = add_person(console, "wangfang")
    admin = add_person(console, "root", Role.ADMIN)
    complaint_id = _complaint(console, agent)

    reset_password(console, admin, "wangfang", "reset-pass-3")

    login = authenticate(console, "wangfang", "reset-pass-3")
    assert login.must_change_password and login.actor.data_key is not None
    with pytest.raises(ServiceError) as caught:  # nothing but the change until it is made
        _name_seen_by(console, login.actor, complaint_id)
    assert caught.value.code == "password_change_due"
    change_password(console, "wangfang", "reset-pass-3", "own-pass-44")
    login = authenticate(console, "wangfang", "own-pass-44")
    assert not login.must_change_password
    assert _name_seen_by(console, login.actor, complaint_id) == "张伟"


def test_a_reset_or_new_account_without_the_key_is_refused(console: ServiceContext) -> None:
    add_person(console, "wangfang")
    locked_admin = Actor(1, "root", "root", "9", Role.ADMIN)  # no data key unlocked

    assert _code(reset_password, console, locked_admin, "wangfang", "x-pass-123") == (
        "data_key_locked"
    )
    with pytest.raises(ServiceError) as caught:
        create_user(
            console,
            username="lisi",
            display_name="李四",
            agent_no="7",
            role=Role.AGENT,
            password=PASSWORD,
            data_key=DataKey.generate(),  # not this database's key
        )
    assert caught.value.code == "data_key_locked"


def test_the_first_admin_creates_the_key_and_a_recovery_key(console: ServiceContext) -> None:
    row, recovery = create_first_admin(
        console, username="root", display_name="root", agent_no="1", password=PASSWORD
    )
    actor = authenticate(console, "root", PASSWORD).actor
    assert actor.data_key is not None and row.username == "root"

    wrong = ("BBBB-" if recovery[:4] == "AAAA" else "AAAA-") + recovery[5:]
    assert _code(recover_with_key, console, wrong, "root", "x-pass-1234") == "recovery_key_wrong"
    with pytest.raises(InvalidInput) as weak:
        recover_with_key(console, recovery, "root", "toor12345")
    assert weak.value.fields == {"password": "password_has_name"}
    recover_with_key(console, recovery.lower().replace("-", " "), "root", "recovered-kiwi-9")
    again = authenticate(console, "root", "recovered-kiwi-9")
    assert again.must_change_password
    assert again.actor.data_key is not None
    assert again.actor.data_key.fingerprint == actor.data_key.fingerprint


def test_a_database_from_before_encryption_is_sealed_by_an_admin(
    console: ServiceContext, clock: FakeClock
) -> None:
    for username, role in (("root", Role.ADMIN), ("wangfang", Role.AGENT)):
        create_user(
            console,
            username=username,
            display_name=username,
            agent_no=username,
            role=role,
            password=PASSWORD,
        )
    with write_session(console.engine) as session:  # customers stored in clear, as in 0002
        session.execute(
            insert(Customer).values(
                phone_key="+8613812345678",
                phone="+8613812345678",
                name="张伟",
                address="上海",
                created_at=clock.now,
            )
        )
    assert _code(authenticate, console, "root", PASSWORD) == "data_not_sealed"
    assert _code(seal_database, console, "wangfang", PASSWORD) == "refused_manage_users"
    assert _code(seal_database, console, "root", "wrong-pass-1") == "login_failed"

    report = seal_database(console, "root", PASSWORD)

    assert report.customers == 1 and len(report.recovery_key) == 39
    with read_session(console.engine) as session:
        stored = [str(v) for v in session.execute(text("SELECT * FROM customers")).one()]
    assert not any("张伟" in v or "13812345678" in v or "上海" in v for v in stored)
    if console.engine.dialect.name == "sqlite":  # nor in free pages or the WAL
        path = Path(str(console.engine.url.database))
        wal = path.with_name(path.name + "-wal")
        data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        assert "张伟".encode() not in data and b"13812345678" not in data
    admin = authenticate(console, "root", PASSWORD).actor
    assert _code(authenticate, console, "wangfang", PASSWORD) == "no_key_access"
    reset_password(console, admin, "wangfang", "reset-pass-3")
    assert authenticate(console, "wangfang", "reset-pass-3").actor.data_key is not None
    assert _code(seal_database, console, "root", PASSWORD) == "data_already_sealed"


def test_a_remembered_login_unlocks_the_key_for_one_shift(
    console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(console, "wangfang")
    complaint_id = _complaint(console, agent)
    token = remember_login(console, agent)

    with read_session(console.engine) as session:
        row = session.exec(select(LoginSession)).one()
    assert token not in (row.token_hash, row.wrapped_data_key)
    actor = authenticate_token(console, "wangfang", token).actor
    assert _name_seen_by(console, actor, complaint_id) == "张伟"
    assert _code(authenticate_token, console, "lisi", token) == "session_expired"

    other = remember_login(console, agent)
    clock.advance(seconds=console.policy.security.session.total_seconds())
    assert _code(authenticate_token, console, "wangfang", other) == "session_expired"
    with read_session(console.engine) as session:
        assert session.exec(select(LoginSession)).all() == []  # both forgotten


def test_a_new_password_or_signing_out_ends_remembered_logins(console: ServiceContext) -> None:
    agent = add_person(console, "wangfang")
    kept, ended = remember_login(console, agent), remember_login(console, agent)
    forget_login(console, ended)
    assert _code(authenticate_token, console, "wangfang", ended) == "session_expired"
    assert authenticate_token(console, "wangfang", kept).actor.data_key is not None

    change_password(console, "wangfang", PASSWORD, "new-pass-22")

    assert _code(authenticate_token, console, "wangfang", kept) == "session_expired"


def test_a_locked_account_cannot_use_its_remembered_login(
    console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(console, "wangfang")
    token = remember_login(console, agent)
    with write_session(console.engine) as session:
        user = session.exec(select(User).where(User.username == "wangfang")).one()
        user.locked_until = clock.now + timedelta(minutes=5)
        session.add(user)
    assert _code(authenticate_token, console, "wangfang", token) == "session_expired"
