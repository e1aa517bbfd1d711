"""Accounts: creating users, logging in with lockout, password age and changes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from cs_console.domain.enums import Role
from cs_console.services.accounts import (
    authenticate,
    change_password,
    create_user,
    list_accounts,
    set_password,
)
from cs_console.services.context import InvalidInput, ServiceContext, ServiceError
from cs_console.storage.engine import read_session
from cs_console.storage.tables import User
from tests.conftest import TEST_DATA_KEY, FakeClock, add_person

from .helpers import count, one

PASSWORD = "secret-pass-1"


def _new_user(console: ServiceContext, **changes: object):  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {
        "username": "lina",
        "display_name": "李娜",
        "agent_no": "2001",
        "role": Role.AGENT,
        "password": PASSWORD,
    }
    fields.update(changes)
    return create_user(console, data_key=TEST_DATA_KEY, **fields)  # type: ignore[arg-type]


def _refused(console: ServiceContext, **changes: object) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        _new_user(console, **changes)
    return caught.value.fields


def _login_code(console: ServiceContext, username: str, password: str) -> str:
    with pytest.raises(ServiceError) as caught:
        authenticate(console, username, password)
    return caught.value.code


# --- create_user -------------------------------------------------------------------------


def test_create_user_stores_the_account(console: ServiceContext, clock: FakeClock) -> None:
    row = _new_user(console, team="A组")

    user = one(console, User, User.username == "lina")
    assert (row.id, row.username, row.display_name, row.agent_no) == (
        user.id,
        "lina",
        "李娜",
        "2001",
    )
    assert (user.role, user.team, user.outlet) == ("agent", "A组", "")
    assert user.password_changed_at == clock.now == user.created_at
    assert (user.must_change_password, user.failed_logins, user.locked_until) == (False, 0, None)
    assert user.active


def test_taken_username_is_refused(console: ServiceContext) -> None:
    _new_user(console)

    assert _refused(console, agent_no="2002") == {"username": "username_taken"}
    assert count(console, User) == 1


def test_taken_agent_number_is_refused(console: ServiceContext) -> None:
    _new_user(console)

    assert _refused(console, username="zhaolei", agent_no=" 2001 ") == {
        "agent_no": "agent_no_taken"
    }
    assert count(console, User) == 1


def test_short_password_is_refused(console: ServiceContext) -> None:
    short = "x" * (console.policy.security.min_password_length - 1)

    assert _refused(console, password=short) == {"password": "password_too_short"}
    assert count(console, User) == 0


def test_every_problem_is_reported_at_once(console: ServiceContext) -> None:
    assert _refused(console, username="", display_name="", password="short") == {
        "username": "username_invalid",
        "display_name": "required",
        "password": "password_too_short",
    }


def test_password_of_minimum_length_is_accepted(console: ServiceContext) -> None:
    # Length alone: a policy that asks for no strength takes any password long enough.
    security = replace(console.policy.security, min_password_score=0)
    lenient = replace(console, policy=replace(console.policy, security=security))
    _new_user(lenient, password="x" * console.policy.security.min_password_length)

    assert count(console, User) == 1


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("password123", "password_common"),
        ("Password123!", "password_common"),
        ("P@ssw0rd!", "password_common"),
        ("qwerty2024", "password_common"),
        ("woaini1314", "password_common"),
        ("linalina", "password_has_name"),
        ("LiNa20240101", "password_has_name"),
        ("anil123456", "password_has_name"),
        ("1990lina!", "password_has_name"),
        ("李娜李娜李娜123", "password_has_name"),
        ("aaaaaaaaaaaa", "password_repetitive"),
        ("abcdefghijk", "password_repetitive"),
        ("asdfghjkl;'", "password_repetitive"),
        ("Johnson1999", "password_guessable"),
        ("beautiful day", "password_guessable"),
    ],
)
def test_weak_passwords_are_refused_saying_why(
    console: ServiceContext, password: str, code: str
) -> None:
    assert _refused(console, password=password) == {"password": code}
    assert count(console, User) == 0


def test_a_password_built_from_the_display_name_is_refused(console: ServiceContext) -> None:
    refused = _refused(console, username="zhaolei", display_name="Zhao Lei", password="ielOahz42")

    assert refused == {"password": "password_has_name"}


@pytest.mark.parametrize(
    "password", ["lina-demo1", "tulip-42x", "correct-horse-9", "护照-晚霞-星期-9"]
)
def test_strong_passwords_are_accepted(console: ServiceContext, password: str) -> None:
    _new_user(console, password=password)

    assert authenticate(console, "lina", password).actor.username == "lina"


def test_outlet_account_needs_an_outlet(console: ServiceContext) -> None:
    assert _refused(console, role=Role.OUTLET, outlet="  ") == {"outlet": "outlet_required"}

    _new_user(console, role=Role.OUTLET, outlet="上海浦东网点")
    assert one(console, User).outlet == "上海浦东网点"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"username": ""}, "username", "username_invalid"),
        ({"username": "li na"}, "username", "username_invalid"),
        ({"username": "x" * 65}, "username", "username_invalid"),
        ({"agent_no": " "}, "agent_no", "agent_no_invalid"),
        ({"agent_no": "1" * 21}, "agent_no", "agent_no_invalid"),
        ({"display_name": "  "}, "display_name", "required"),
        ({"display_name": "名" * 101}, "display_name", "too_long"),
        ({"team": "t" * 51}, "team", "too_long"),
        ({"role": Role.OUTLET, "outlet": "o" * 51}, "outlet", "too_long"),
    ],
)
def test_invalid_account_fields_are_refused(
    console: ServiceContext, changes: dict[str, object], field: str, code: str
) -> None:
    assert _refused(console, **changes) == {field: code}
    assert count(console, User) == 0


def test_list_accounts_by_agent_number_and_role(console: ServiceContext) -> None:
    _new_user(console, username="b", agent_no="3002")
    _new_user(console, username="a", agent_no="3001", role=Role.SUPERVISOR)

    assert [u.username for u in list_accounts(console)] == ["a", "b"]
    assert [u.username for u in list_accounts(console, Role.SUPERVISOR)] == ["a"]


# --- passwords at rest -------------------------------------------------------------------


@pytest.mark.real_password_cost
def test_passwords_are_stored_as_scrypt_hashes_never_in_clear(console: ServiceContext) -> None:
    _new_user(console)
    _new_user(console, username="twin", agent_no="2002")  # the same password

    with read_session(console.engine) as session:
        hashes = session.execute(text("SELECT password_hash FROM users ORDER BY id")).scalars()
        hashes = list(hashes)
        every_value = [
            str(value)
            for row in session.execute(text("SELECT * FROM users")).all()
            for value in row
        ]

    assert all(h.startswith("scrypt-kek$32768$8$1$") for h in hashes)
    assert hashes[0] != hashes[1]  # salted
    assert not any(PASSWORD in value for value in every_value)


# --- authenticate ------------------------------------------------------------------------


def test_authenticate_returns_the_actor(console: ServiceContext) -> None:
    row = _new_user(console, team="A组")

    login = authenticate(console, "lina", PASSWORD)

    assert login.actor.id == row.id
    assert (login.actor.username, login.actor.agent_no, login.actor.role) == (
        "lina",
        "2001",
        Role.AGENT,
    )
    assert login.actor.team == "A组"
    assert login.must_change_password is False


def test_wrong_password_and_unknown_user_fail_alike(console: ServiceContext) -> None:
    _new_user(console)

    assert _login_code(console, "lina", "wrong-password") == "login_failed"
    assert _login_code(console, "nobody", PASSWORD) == "login_failed"
    assert one(console, User).failed_logins == 1


def test_a_good_login_resets_the_failure_count(console: ServiceContext) -> None:
    _new_user(console)
    _login_code(console, "lina", "wrong-password")
    _login_code(console, "lina", "wrong-password")

    authenticate(console, "lina", PASSWORD)

    assert one(console, User).failed_logins == 0


def test_lockout_after_max_failed_logins(console: ServiceContext, clock: FakeClock) -> None:
    security = console.policy.security
    _new_user(console)

    for _ in range(security.max_failed_logins - 1):
        assert _login_code(console, "lina", "wrong-password") == "login_failed"
    assert one(console, User).locked_until is None
    # The attempt that locks the account says so.
    assert _login_code(console, "lina", "wrong-password") == "account_locked"

    user = one(console, User)
    assert user.locked_until == clock.now + security.lockout
    # Locked: even the right password is refused, until the lockout has passed.
    assert _login_code(console, "lina", PASSWORD) == "account_locked"
    clock.advance(seconds=security.lockout.total_seconds() - 1)
    assert _login_code(console, "lina", PASSWORD) == "account_locked"
    clock.advance(seconds=1)
    assert authenticate(console, "lina", PASSWORD).actor.username == "lina"
    user = one(console, User)
    assert (user.locked_until, user.failed_logins) == (None, 0)


def test_inactive_account_cannot_log_in(console: ServiceContext) -> None:
    _new_user(console)
    with console.engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = :no"), {"no": False})

    assert _login_code(console, "lina", PASSWORD) == "login_failed"


def test_password_expires_after_max_age(console: ServiceContext, clock: FakeClock) -> None:
    _new_user(console)
    max_age = console.policy.security.password_max_age

    clock.advance(seconds=max_age.total_seconds() - 1)
    assert authenticate(console, "lina", PASSWORD).must_change_password is False
    clock.advance(seconds=1)
    assert authenticate(console, "lina", PASSWORD).must_change_password is True


def test_an_expired_password_allows_no_service_until_changed(
    console: ServiceContext, clock: FakeClock
) -> None:
    from cs_console.services.calls import start_call

    _new_user(console)
    clock.advance(days=20)
    due = authenticate(console, "lina", PASSWORD).actor

    with pytest.raises(ServiceError) as caught:
        start_call(console, due)
    assert caught.value.code == "password_change_due"
    change_password(console, "lina", PASSWORD, "new-secret-2")
    assert start_call(console, authenticate(console, "lina", "new-secret-2").actor) > 0


# --- change_password / set_password ------------------------------------------------------


def test_change_password(console: ServiceContext, clock: FakeClock) -> None:
    _new_user(console)
    clock.advance(days=20)
    assert authenticate(console, "lina", PASSWORD).must_change_password

    change_password(console, "lina", PASSWORD, "new-secret-2")

    user = one(console, User)
    assert user.password_changed_at == clock.now
    assert user.password_hash.startswith("scrypt-kek$")
    assert authenticate(console, "lina", "new-secret-2").must_change_password is False
    assert _login_code(console, "lina", PASSWORD) == "login_failed"


def test_change_password_checks_the_old_one(console: ServiceContext) -> None:
    _new_user(console)
    before = one(console, User).password_hash

    with pytest.raises(ServiceError) as caught:
        change_password(console, "lina", "not-the-old-one", "new-secret-2")

    assert caught.value.code == "login_failed"
    assert one(console, User).password_hash == before


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("short", "password_too_short"),
        ("lina2025", "password_has_name"),
        ("iloveyou1", "password_common"),
        (PASSWORD, None),
    ],
)
def test_change_password_refuses_weak_or_unchanged(
    console: ServiceContext, new: str, code: str | None
) -> None:
    _new_user(console)

    with pytest.raises(InvalidInput) as caught:
        change_password(console, "lina", PASSWORD, new)

    assert caught.value.fields == {"password": code or "password_unchanged"}


def test_set_password_forces_a_change_and_unlocks(
    console: ServiceContext, clock: FakeClock
) -> None:
    _new_user(console)
    for _ in range(console.policy.security.max_failed_logins):
        _login_code(console, "lina", "wrong-password")
    clock.advance(minutes=1)

    set_password(console, "lina", "reset-pass-9", data_key=TEST_DATA_KEY)

    user = one(console, User)
    assert (user.must_change_password, user.locked_until, user.failed_logins) == (True, None, 0)
    assert user.password_changed_at == clock.now
    login = authenticate(console, "lina", "reset-pass-9")
    assert login.must_change_password is True
    change_password(console, "lina", "reset-pass-9", "my-own-pass-3")
    assert authenticate(console, "lina", "my-own-pass-3").must_change_password is False


def test_set_password_refuses_a_weak_password_and_changes_nothing(console: ServiceContext) -> None:
    _new_user(console)
    before = one(console, User).password_hash

    with pytest.raises(InvalidInput) as caught:
        set_password(console, "lina", "Lina123456", data_key=TEST_DATA_KEY)

    assert caught.value.fields == {"password": "password_has_name"}
    user = one(console, User)
    assert (user.password_hash, user.must_change_password) == (before, False)
    assert authenticate(console, "lina", PASSWORD).actor.data_key is not None


def test_set_password_of_unknown_user(console: ServiceContext) -> None:
    with pytest.raises(ServiceError) as caught:
        set_password(console, "nobody", "reset-pass-9")
    assert caught.value.code == "no_such_user"


def test_add_person_fixture_logs_in(console: ServiceContext) -> None:
    actor = add_person(console, "zhao", Role.SPECIALIST, agent_no="5001")

    assert authenticate(console, "zhao", "secret-pass-1").actor == actor
