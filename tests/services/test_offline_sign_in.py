"""Signing in while the server is unreachable (issue 14): what an online sign-in keeps in
the journal file is sealed (no verifier in clear, owner-only files), a kept sign-in changed
in the file is refused, the offline window, lockout, expiry and must-change rules hold
offline, and what was tried offline reaches the audit trail when the server is back."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from cs_console.domain.enums import Role
from cs_console.services.accounts import authenticate, set_password
from cs_console.services.context import Actor, ServiceContext, ServiceError
from cs_console.services.journal.sign_ins import (
    keep_sign_in,
    kept_sign_ins,
    offline_sign_in,
    send_offline_sign_ins,
)
from cs_console.services.journal.store import Journal
from cs_console.services.journal.writes import open_journal
from cs_console.storage.tables import AuditEntry, User
from tests.conftest import TEST_DATA_KEY, FakeClock, add_person

from .helpers import one, rows

PASSWORD = "secret-pass-1"


@pytest.fixture
def journal(console: ServiceContext) -> Iterator[Journal]:
    kept = open_journal(console)
    yield kept
    kept.close()


def _online(console: ServiceContext, journal: Journal, username: str) -> Actor:
    """An online sign-in, as the console does it: authenticate, then keep it."""
    login = authenticate(console, username, PASSWORD)
    assert keep_sign_in(console, journal, login.actor)
    return login.actor


def _refused(console: ServiceContext, journal: Journal, username: str, password: str) -> str:
    with pytest.raises(ServiceError) as refused:
        offline_sign_in(console, journal, username, password)
    return refused.value.code


def _edit(path: Path, sql: str, *params: object) -> None:
    """What someone with the file and a SQLite shell could do (no data key)."""
    with sqlite3.connect(path) as db:
        db.execute(sql, params)


def test_a_sign_in_kept_online_signs_in_offline_as_the_same_person(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    online = _online(console, journal, "wangfang")

    login = offline_sign_in(console, journal, "wangfang", PASSWORD)

    assert login.offline and not login.must_change_password
    assert login.actor == online  # id, name, agent number, role, team, outlet
    assert login.actor.data_key is not None
    assert login.actor.data_key.fingerprint == TEST_DATA_KEY.fingerprint


def test_the_kept_verifier_is_sealed_and_the_files_owner_only(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    _online(console, journal, "wangfang")
    stored = one(console, User, User.username == "wangfang").password_hash
    verifier = stored.rsplit("$", 1)[1]

    journal.close()  # everything written to the main file
    files = [
        journal.path,
        *(journal.path.with_name(journal.path.name + s) for s in ("-wal", "-shm")),
    ]
    kept = b"".join(path.read_bytes() for path in files if path.exists())
    assert verifier.encode() not in kept  # the verifier only sealed, never in clear
    assert b"wangfang" in kept  # (the file does hold the sign-in: the test looks in it)
    for path in files:
        if path.exists():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_nobody_else_signs_in_offline(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    add_person(console, "lisi")  # has an account, never signed in on this machine
    _online(console, journal, "wangfang")

    assert _refused(console, journal, "lisi", PASSWORD) == "offline_not_kept"
    assert _refused(console, journal, "nobody", PASSWORD) == "offline_not_kept"


def test_a_wrong_password_is_refused_offline(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    _online(console, journal, "wangfang")
    assert _refused(console, journal, "wangfang", "not-the-password") == "login_failed"


def test_past_the_window_the_kept_sign_in_is_refused_and_forgotten(
    console: ServiceContext, journal: Journal, agent: Actor, clock: FakeClock
) -> None:
    _online(console, journal, "wangfang")
    window = console.policy.security.offline_window
    clock.advance(seconds=window.total_seconds() - 60)
    assert offline_sign_in(console, journal, "wangfang", PASSWORD).offline  # just within

    clock.advance(seconds=61)
    assert _refused(console, journal, "wangfang", PASSWORD) == "offline_not_kept"
    assert kept_sign_ins(journal) == []


def test_a_window_of_zero_days_keeps_nothing(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    security = replace(console.policy.security, offline_window=timedelta(0))
    closed = replace(console, policy=replace(console.policy, security=security))
    login = authenticate(closed, "wangfang", PASSWORD)
    assert not keep_sign_in(closed, journal, login.actor)
    assert kept_sign_ins(journal) == []


@pytest.mark.parametrize(
    ("what", "sql"),
    [
        ("made to look newer", "UPDATE sign_ins SET kept_at = '2099-01-01T00:00:00+00:00'"),
        (
            "profile changed",
            "UPDATE sign_ins SET profile = substr(profile, 1, 40) || "
            "CASE substr(profile, 41, 1) WHEN 'A' THEN 'B' ELSE 'A' END || substr(profile, 42)",
        ),
        ("profile emptied", "UPDATE sign_ins SET profile = ''"),
    ],
)
def test_a_kept_sign_in_changed_in_the_file_is_refused(
    console: ServiceContext, journal: Journal, agent: Actor, what: str, sql: str
) -> None:
    _online(console, journal, "wangfang")
    _edit(journal.path, sql + " WHERE username = ?", "wangfang")
    assert _refused(console, journal, "wangfang", PASSWORD) == "offline_record_tampered", what


def test_another_persons_password_put_in_someone_elses_place_is_refused(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    """An outlet clerk copies their own derivation and wrapped key into the supervisor's
    row (same data key), hoping to sign in as the supervisor with the clerk's password."""
    add_person(console, "zhoumin", role=Role.SUPERVISOR)
    add_person(console, "qianmei", role=Role.OUTLET, outlet="浦东")
    _online(console, journal, "zhoumin")
    _online(console, journal, "qianmei")
    _edit(
        journal.path,
        "UPDATE sign_ins SET (derivation, wrapped_key) = "
        "(SELECT derivation, wrapped_key FROM sign_ins WHERE username = 'qianmei') "
        "WHERE username = 'zhoumin'",
    )
    assert _refused(console, journal, "zhoumin", PASSWORD) == "offline_record_tampered"
    # Whole rows swapped: the seal names whose profile it is.
    _edit(journal.path, "UPDATE sign_ins SET username = 'x' WHERE username = 'zhoumin'")
    _edit(journal.path, "UPDATE sign_ins SET username = 'zhoumin' WHERE username = 'qianmei'")
    assert _refused(console, journal, "zhoumin", PASSWORD) == "offline_record_tampered"


def test_wrong_passwords_lock_the_account_offline_and_reach_the_audit_trail(
    console: ServiceContext, journal: Journal, agent: Actor, clock: FakeClock
) -> None:
    _online(console, journal, "wangfang")
    security = console.policy.security
    for _ in range(security.max_failed_logins - 1):
        assert _refused(console, journal, "wangfang", "wrong-guess") == "login_failed"
    assert _refused(console, journal, "wangfang", "wrong-guess") == "account_locked"
    # Locked: even the right password is refused until the lockout ends.
    assert _refused(console, journal, "wangfang", PASSWORD) == "account_locked"
    clock.advance(minutes=1)

    assert (
        send_offline_sign_ins(console, journal, agent.data_key) == security.max_failed_logins
    )  # back

    user = one(console, User, User.username == "wangfang")
    assert user.locked_until is not None and user.locked_until > clock.now
    audit = rows(console, AuditEntry, AuditEntry.target == "user:wangfang")
    offline = [
        (a.action, json.loads(a.detail).get("reason")) for a in audit if "offline_at" in a.detail
    ]
    assert offline == [("login_failed", "wrong_password_offline")] * security.max_failed_logins + [
        ("lockout", None)
    ]
    assert send_offline_sign_ins(console, journal, agent.data_key) == 0  # sent once
    with pytest.raises(ServiceError, match="account_locked"):  # online too, now
        authenticate(console, "wangfang", PASSWORD)

    clock.advance(seconds=security.lockout.total_seconds())
    assert offline_sign_in(console, journal, "wangfang", PASSWORD).offline


def test_an_offline_sign_in_is_recorded_when_the_server_is_back(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    _online(console, journal, "wangfang")
    offline_sign_in(console, journal, "wangfang", PASSWORD)
    assert send_offline_sign_ins(console, journal, agent.data_key) == 1
    (entry,) = [a for a in rows(console, AuditEntry) if "offline_at" in a.detail]
    assert (entry.action, entry.actor_id, json.loads(entry.detail)["via"]) == (
        "login",
        agent.id,
        "offline",
    )


def test_an_expired_password_is_refused_offline(
    console: ServiceContext, journal: Journal, agent: Actor, clock: FakeClock
) -> None:
    long_window = replace(console.policy.security, offline_window=timedelta(days=60))
    console = replace(console, policy=replace(console.policy, security=long_window))
    _online(console, journal, "wangfang")
    clock.advance(seconds=console.policy.security.password_max_age.total_seconds())
    assert _refused(console, journal, "wangfang", PASSWORD) == "offline_change_due"


def test_a_password_that_must_be_changed_is_refused_offline(
    console: ServiceContext, journal: Journal, agent: Actor
) -> None:
    admin = add_person(console, "root", role=Role.ADMIN)
    set_password(console, "wangfang", PASSWORD, actor_id=admin.id, data_key=TEST_DATA_KEY)
    _online(console, journal, "wangfang")  # signed in, the change still due
    assert _refused(console, journal, "wangfang", PASSWORD) == "offline_change_due"
