"""The audit trail: what is recorded, and that every kind of tampering is found."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from cs_console.domain.enums import Role
from cs_console.services import account_admin
from cs_console.services.accounts import authenticate, change_password
from cs_console.services.audit_checks import trail_alarm, verify_audit
from cs_console.services.complaint_progress import hand_over
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, PermissionDenied, ServiceContext, ServiceError
from cs_console.storage import audit
from cs_console.storage.audit import GENESIS_HASH, AuditReport, unsealed_hash
from cs_console.storage.engine import write_session
from cs_console.storage.tables import AuditEntry
from tests.conftest import FakeClock, add_person

from .helpers import delay_form, rows

PASSWORD = "secret-pass-1"


def _entries(console: ServiceContext) -> list[AuditEntry]:
    return rows(console, AuditEntry)


def _actions(console: ServiceContext) -> list[str]:
    return [entry.action for entry in _entries(console)]


def _sql(console: ServiceContext, statement: str, **values: object) -> None:
    with console.engine.begin() as conn:
        conn.execute(text(statement), values)


@pytest.fixture
def admin(console: ServiceContext) -> Actor:
    return add_person(console, "root", Role.ADMIN, agent_no="0001")


@pytest.fixture
def history(console: ServiceContext, clock: FakeClock, admin: Actor, agent: Actor) -> int:
    """A day's worth of audited actions; returns how many entries it made."""
    lina = account_admin.add_account(
        console,
        admin,
        username="lina",
        display_name="李娜",
        agent_no="2001",
        role=Role.AGENT,
        password=PASSWORD,
    )
    clock.advance(minutes=1)
    authenticate(console, "wangfang", PASSWORD)
    with pytest.raises(ServiceError):
        authenticate(console, "wangfang", "wrong-password")
    complaint = register_complaint(console, agent, delay_form(2))
    hand_over(console, agent, complaint.id, lina.username, "客户要求换人处理")
    account_admin.lock_account(console, admin, "lina")
    account_admin.unlock_account(console, admin, "lina")
    account_admin.reset_password(console, admin, "lina", "another-pass-2")
    return len(_entries(console))


def _report(console: ServiceContext, admin: Actor) -> AuditReport:
    return verify_audit(console, admin)


# --- what is recorded ----------------------------------------------------------------------


def test_the_chain_verifies_after_a_series_of_actions(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    assert _actions(console) == [
        "account_created",  # root, by nobody (init's first administrator)
        "account_created",  # wangfang
        "account_created",  # lina, by root
        "login",
        "login_failed",
        "hand_over",
        "account_locked",
        "account_unlocked",
        "password_set",
    ]
    assert _report(console, admin) == AuditReport(ok=True, entries=history)


def test_entries_name_who_did_what_to_whom(
    console: ServiceContext, clock: FakeClock, admin: Actor, agent: Actor, history: int
) -> None:
    entries = {(e.action, e.target): e for e in _entries(console)}

    created = entries[("account_created", "user:lina")]
    assert (created.actor_id, json.loads(created.detail)) == (
        admin.id,
        {"agent_no": "2001", "role": "agent"},
    )
    assert entries[("account_created", "user:root")].actor_id is None
    assert entries[("login", "user:wangfang")].actor_id == agent.id
    failed = entries[("login_failed", "user:wangfang")]
    assert json.loads(failed.detail) == {"reason": "wrong_password"}
    handed = next(e for e in entries.values() if e.action == "hand_over")
    assert handed.target.startswith("complaint:C-")
    assert handed.actor_id == agent.id
    assert json.loads(handed.detail)["to"] == "lina"
    assert "客户要求" not in handed.detail  # the reason stays with the complaint's events
    assert entries[("password_set", "user:lina")].actor_id == admin.id
    assert entries[("account_locked", "user:lina")].at == clock.now


def test_the_hash_is_sha256_of_canonical_json_and_the_previous_hash(
    console: ServiceContext, history: int
) -> None:
    first, second = _entries(console)[:2]
    body = json.dumps(
        [1, first.at.astimezone(UTC).isoformat(timespec="microseconds"), None]
        + [first.action, first.target, first.detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    unsealed = hashlib.sha256((body + GENESIS_HASH).encode()).hexdigest()

    assert first.prev_hash == GENESIS_HASH
    # Written with the data key: sealed, and the seal is part of the hash.
    assert first.seal is not None and len(first.seal) == 64
    assert first.hash == hashlib.sha256((unsealed + first.seal).encode()).hexdigest()
    assert second.prev_hash == first.hash


def test_unknown_users_and_lockouts_are_recorded(console: ServiceContext, agent: Actor) -> None:
    for _ in range(console.policy.security.max_failed_logins):
        with pytest.raises(ServiceError):
            authenticate(console, "wangfang", "wrong-password")
    with pytest.raises(ServiceError) as locked:
        authenticate(console, "wangfang", PASSWORD)
    with pytest.raises(ServiceError):
        authenticate(console, "nobody", PASSWORD)

    assert locked.value.code == "account_locked"
    entries = _entries(console)[1:]  # after wangfang's account_created
    failures = console.policy.security.max_failed_logins
    assert [e.action for e in entries] == ["login_failed"] * failures + [
        "lockout",
        "login_failed",
        "login_failed",
    ]
    assert [json.loads(e.detail).get("reason") for e in entries[-2:]] == ["locked", "no_such_user"]
    assert entries[-1].target == "user:nobody"


def test_a_person_changing_their_own_password_is_recorded(
    console: ServiceContext, agent: Actor
) -> None:
    change_password(console, "wangfang", PASSWORD, "brand-new-pass")

    entry = _entries(console)[-1]
    assert (entry.action, entry.actor_id, entry.target) == (
        "password_set",
        agent.id,
        "user:wangfang",
    )


def test_only_administrators_and_supervisors_verify(console: ServiceContext, agent: Actor) -> None:
    boss = add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")

    assert verify_audit(console, boss).ok
    with pytest.raises(PermissionDenied):
        verify_audit(console, agent)


def test_the_storage_module_offers_no_way_to_change_or_delete_entries() -> None:
    verbs = ("update", "delete", "remove", "edit", "rewrite", "replace")
    own = [n for n, v in vars(audit).items() if getattr(v, "__module__", "") == audit.__name__]
    assert "append_audit" in own
    assert not [name for name in own if name.lstrip("_").lower().startswith(verbs)]


def test_concurrent_writers_chain_one_after_the_other(
    console: ServiceContext, admin: Actor, agent: Actor
) -> None:
    errors: list[BaseException] = []

    def log_in_repeatedly() -> None:
        try:
            for _ in range(4):
                authenticate(console, "wangfang", PASSWORD)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=log_in_repeatedly) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert _actions(console).count("login") == 12
    assert _report(console, admin).ok


# --- tampering -----------------------------------------------------------------------------


def test_a_changed_detail_is_found(console: ServiceContext, admin: Actor, history: int) -> None:
    _sql(console, """UPDATE audit_log SET detail = '{"role":"admin"}' WHERE id = 3""")

    assert _report(console, admin) == AuditReport(False, history, 3, "changed")


def test_a_changed_row_with_a_recomputed_hash_is_found(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    row = _entries(console)[2]
    forged = unsealed_hash(
        entry_id=3,
        at=row.at,
        actor_id=None,  # "nobody created lina"
        action=row.action,
        target=row.target,
        detail=row.detail,
        prev_hash=row.prev_hash,
    )
    _sql(console, "UPDATE audit_log SET actor_id = NULL, hash = :h WHERE id = 3", h=forged)

    assert _report(console, admin) == AuditReport(False, history, 3, "changed")


def _shift_up_from(console: ServiceContext, first: int, last: int) -> None:
    """Make room at ``first`` the way a forger must: move every later entry up by one."""
    for entry_id in range(last, first - 1, -1):
        _sql(console, "UPDATE audit_log SET id = id + 1 WHERE id = :id", id=entry_id)


def test_a_forged_row_inserted_in_the_middle_is_found(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    before = _entries(console)[3]  # id 4
    _shift_up_from(console, 5, history)
    at = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
    digest = unsealed_hash(
        entry_id=5,
        at=at,
        actor_id=admin.id,
        action="reveal",
        target="complaint:C-20261122-0001",
        detail="{}",
        prev_hash=before.hash,
    )
    _sql(
        console,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash) "
        "VALUES (5, :at, :actor, 'reveal', 'complaint:C-20261122-0001', '{}', :prev, :hash)",
        at=at,
        actor=admin.id,
        prev=before.hash,
        hash=digest,
    )
    _sql(console, "UPDATE audit_head SET last_id = last_id + 1")

    assert _report(console, admin) == AuditReport(False, history + 1, 5, "inserted")


def test_a_forged_row_with_a_made_up_link_is_found(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    _shift_up_from(console, 5, history)
    _sql(
        console,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash) "
        "VALUES (5, :at, NULL, 'export', 'complaints', '{}', :prev, :hash)",
        at=datetime(2026, 11, 22, 6, 30, tzinfo=UTC),
        prev="f" * 64,
        hash="e" * 64,
    )

    assert _report(console, admin) == AuditReport(False, history + 1, 5, "inserted")


def test_a_deleted_middle_row_is_found(console: ServiceContext, admin: Actor, history: int) -> None:
    _sql(console, "DELETE FROM audit_log WHERE id = 4")

    assert _report(console, admin) == AuditReport(False, history - 1, 4, "deleted")


def test_a_deleted_row_with_the_rest_renumbered_is_found(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    _sql(console, "DELETE FROM audit_log WHERE id = 4")
    for entry_id in range(5, history + 1):
        _sql(console, "UPDATE audit_log SET id = id - 1 WHERE id = :id", id=entry_id)
    _sql(console, "UPDATE audit_head SET last_id = last_id - 1")

    assert _report(console, admin) == AuditReport(False, history - 1, 4, "deleted")


def test_a_deleted_newest_row_is_found(console: ServiceContext, admin: Actor, history: int) -> None:
    _sql(console, "DELETE FROM audit_log WHERE id = :id", id=history)

    assert _report(console, admin) == AuditReport(False, history - 1, history, "deleted")


def test_a_row_appended_behind_the_heads_back_is_found(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    newest = _entries(console)[-1]
    at = newest.at
    digest = unsealed_hash(
        entry_id=history + 1,
        at=at,
        actor_id=None,
        action="login_failed",
        target="user:ghost",
        detail="{}",
        prev_hash=newest.hash,
    )
    _sql(
        console,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash) "
        "VALUES (:id, :at, NULL, 'login_failed', 'user:ghost', '{}', :prev, :hash)",
        id=history + 1,
        at=at,
        prev=newest.hash,
        hash=digest,
    )

    assert _report(console, admin) == AuditReport(False, history + 1, history + 1, "inserted")


def test_a_changed_head_is_found(console: ServiceContext, admin: Actor, history: int) -> None:
    _sql(console, "UPDATE audit_head SET last_hash = :h", h="0" * 64)

    assert _report(console, admin) == AuditReport(False, history, history, "head_mismatch")


def test_a_deleted_head_is_found_and_logging_in_still_works(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    _sql(console, "DELETE FROM audit_head")

    authenticate(console, "wangfang", PASSWORD)  # the chain goes on from the newest entry

    assert _report(console, admin) == AuditReport(False, history + 1, None, "head_mismatch")
    newest, previous = _entries(console)[-1], _entries(console)[-2]
    assert (newest.id, newest.prev_hash) == (history + 1, previous.hash)


def _forge_row_behind_the_heads_back(console: ServiceContext, entry_id: int) -> None:
    """A correctly hashed row at ``entry_id``, linked to the newest entry, head untouched."""
    newest = _entries(console)[-1]
    digest = unsealed_hash(
        entry_id=entry_id,
        at=newest.at,
        actor_id=None,
        action="login",
        target="user:ghost",
        detail="{}",
        prev_hash=newest.hash,
    )
    _sql(
        console,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash) "
        "VALUES (:id, :at, NULL, 'login', 'user:ghost', '{}', :prev, :hash)",
        id=entry_id,
        at=newest.at,
        prev=newest.hash,
        hash=digest,
    )


def test_a_row_inserted_behind_the_heads_back_stops_nobody_signing_in(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    _forge_row_behind_the_heads_back(console, history + 1)

    login = authenticate(console, "wangfang", PASSWORD)  # was: UNIQUE constraint failed

    assert login.actor.username == "wangfang"
    entries = _entries(console)
    mine = entries[-1]
    assert (mine.id, mine.action, mine.actor_id) == (history + 2, "login", login.actor.id)
    assert mine.prev_hash == entries[-3].hash  # the chain goes around the forged row
    assert _report(console, admin) == AuditReport(False, history + 2, history + 1, "inserted")
    # and the next sign-in chains on from this one
    authenticate(console, "wangfang", PASSWORD)
    assert _entries(console)[-1].prev_hash == mine.hash


def test_a_forged_row_far_ahead_stops_nobody_signing_in(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    _forge_row_behind_the_heads_back(console, history + 1)
    _forge_row_behind_the_heads_back(console, history + 2)

    authenticate(console, "wangfang", PASSWORD)

    assert _entries(console)[-1].id == history + 3
    # The next entry does not go around the first forged row (the second links to it), but
    # it names a person's act without a seal.
    assert _report(console, admin) == AuditReport(False, history + 3, history + 1, "forged")


# --- seals: a row added with a correctly computed hash --------------------------------------


def _append_by_sql(
    console: ServiceContext, history: int, *, actor_id: int | None, action: str, seal: str | None
) -> None:
    """What someone with the database but not the key can do: append an entry with its hash
    computed as the program would, and move the head onto it."""
    newest = _entries(console)[-1]
    unsealed = audit.unsealed_hash(
        entry_id=history + 1,
        at=newest.at,
        actor_id=actor_id,
        action=action,
        target="complaints",
        detail="{}",
        prev_hash=newest.hash,
    )
    digest = unsealed if seal is None else audit.entry_hash_of(unsealed, seal)
    _sql(
        console,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash, seal) "
        "VALUES (:id, :at, :actor, :action, 'complaints', '{}', :prev, :hash, :seal)",
        id=history + 1,
        at=newest.at,
        actor=actor_id,
        action=action,
        prev=newest.hash,
        hash=digest,
        seal=seal,
    )
    _sql(console, "UPDATE audit_head SET last_id = :id, last_hash = :h", id=history + 1, h=digest)


def test_a_correctly_hashed_row_appended_without_a_seal_is_found(
    console: ServiceContext, admin: Actor, agent: Actor, history: int
) -> None:
    _append_by_sql(console, history, actor_id=agent.id, action="export", seal=None)

    assert _report(console, admin) == AuditReport(False, history + 1, history + 1, "forged")


def test_a_correctly_hashed_row_with_a_made_up_seal_is_found_by_the_key(
    console: ServiceContext, admin: Actor, agent: Actor, history: int
) -> None:
    _append_by_sql(console, history, actor_id=agent.id, action="export", seal="ab" * 32)

    assert _report(console, admin) == AuditReport(False, history + 1, history + 1, "forged")
    # Without the key (doctor, nobody signed in) a seal cannot be checked, only its absence.
    assert trail_alarm(console) is None


def test_a_seal_taken_off_a_real_entry_is_found(
    console: ServiceContext, admin: Actor, history: int
) -> None:
    row = _entries(console)[2]
    unsealed = audit.unsealed_hash(
        entry_id=row.id,
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        target=row.target,
        detail=row.detail,
        prev_hash=row.prev_hash,
    )
    _sql(console, "UPDATE audit_log SET seal = NULL, hash = :h WHERE id = 3", h=unsealed)

    assert _report(console, admin).problem in {"forged", "changed"}
    assert not _report(console, admin).ok


def test_a_failed_sign_in_needs_no_seal_and_entries_from_before_seals_still_verify(
    console: ServiceContext, clock: FakeClock
) -> None:
    with write_session(console.engine) as session:  # from before entries were sealed
        audit.append_audit(
            session=session, at=clock.now, actor_id=None, action="export", target="x", key=None
        )
    admin = add_person(console, "root", Role.ADMIN, agent_no="0001")
    with pytest.raises(ServiceError):
        authenticate(console, "root", "wrong-password")

    assert [e.seal is None for e in _entries(console)] == [True, False, True]
    assert _report(console, admin).ok
