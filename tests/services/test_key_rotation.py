"""Rotating the data key (issue 14): a new key, every sealed value re-sealed in chunks while
another console keeps working, accounts taking the new key at their next sign-in, the old
key destroyed at the end; interrupted and resumed; administrators only; audited. Both
engines."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from cs_console.domain.enums import AttemptOutcome, AuditAction, NameChoice, Role
from cs_console.services.account_admin import reset_password
from cs_console.services.accounts import authenticate, change_password
from cs_console.services.audit_checks import verify_audit
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, PermissionDenied, ServiceContext, ServiceError
from cs_console.services.customers import reveal_callback_phone, reveal_customer
from cs_console.services.data_keys import recover_with_key
from cs_console.services.drafts import load_draft, save_draft
from cs_console.services.key_rotation import rotate_data_key
from cs_console.services.sessions import authenticate_token, remember_login
from cs_console.storage.customers import find_customer
from cs_console.storage.engine import make_engine, read_session
from cs_console.storage.sealing import DataKey, KeyMismatch
from cs_console.storage.tables import (
    AuditEntry,
    Callback,
    Complaint,
    Customer,
    DataKeyRecord,
    Draft,
    Event,
    KeyRotation,
)
from tests.conftest import TEST_DATA_KEY, FakeClock, add_person

from .helpers import complaint_form, delay_form, phone, tracking

PASSWORD = "secret-pass-1"


@pytest.fixture
def other_console(console: ServiceContext) -> Iterator[ServiceContext]:
    """A second console (its own engine) on the same database."""
    engine = make_engine(str(console.engine.url.render_as_string(hide_password=False)))
    yield ServiceContext(engine, console.policy, console.zone, console.now)
    engine.dispose()


def _people(console: ServiceContext) -> None:
    add_person(console, "root", Role.ADMIN)
    add_person(console, "wangfang")


def _signed_in(console: ServiceContext, username: str) -> Actor:
    return authenticate(console, username, PASSWORD).actor


def _register(console: ServiceContext, agent: Actor, i: int, name: str) -> int:
    form = delay_form(2, customer_name=name, phone=phone(i), tracking_no=tracking(i))
    return register_complaint(console, agent, form).id


def _name(console: ServiceContext, actor: Actor, complaint_id: int) -> str:
    return reveal_customer(console, actor, complaint_id, "customer asked again")[0]


def _found(console: ServiceContext, actor: Actor, i: int) -> str | None:
    assert actor.data_key is not None
    with read_session(console.engine) as session:
        record = find_customer(session=session, key=actor.data_key, phone=f"+86{phone(i)}")
    return None if record is None else record.name


def _sealed_values(console: ServiceContext) -> list[str]:
    with read_session(console.engine) as session:
        customers = session.exec(select(Customer)).all()
        drafts = session.exec(select(Draft)).all()
    values = [c.name for c in customers] + [c.phone for c in customers]
    return values + [json.loads(d.payload)["sealed"] for d in drafts if d.payload.startswith("{")]


def _steps(console: ServiceContext) -> list[str]:
    with read_session(console.engine) as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == AuditAction.KEY_ROTATION.value)
        ).all()
    return [json.loads(entry.detail)["step"] for entry in entries]


def test_rotation_while_another_console_works(
    console: ServiceContext, other_console: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other console asks only when it meets a value its key does not open: its first
    # registration during the rotation is sealed with the old key, and must be re-sealed.
    monkeypatch.setattr(DataKey, "FOLLOW_SECONDS", 3600.0)
    _people(console)
    writer = _signed_in(other_console, "wangfang")  # signed in before: holds the old key only
    complaints = [
        _register(console, _signed_in(console, "wangfang"), i, f"客户{i}") for i in range(6)
    ]
    save_draft(console, writer, "complaint", {"customer_name": "草稿里的名字"})
    admin = _signed_in(console, "root")
    assert _found(other_console, writer, 0) == _found(console, admin, 0) == "客户0"  # before
    seen_during: list[str | None] = []

    def meanwhile(rows: int) -> None:  # the other console keeps working between chunks
        i = 10 + len(seen_during)
        complaints.append(_register(other_console, writer, i, f"新客户{i}"))
        seen_during.append(_found(other_console, writer, 0))
        seen_during.append(_name(other_console, writer, complaints[1]))

    first = rotate_data_key(console, admin, chunk=2, progress=meanwhile)

    assert first.recovery_key and not first.finished
    assert set(first.pending) == {"root", "wangfang"}
    assert seen_during and set(seen_during) <= {"客户0", "客户1"}
    new_key = _signed_in(console, "root").data_key  # root takes the new key here
    new_id = new_key.key_id if new_key is not None else ""
    assert new_id and all(v.startswith(f"{new_id}$") for v in _sealed_values(console) if v)
    # Phone lookups and names, before the accounts switch, by both kinds of session.
    assert _found(other_console, writer, 3) == _found(console, admin, 3) == "客户3"
    assert load_draft(console, writer, "complaint") is not None

    switched = _signed_in(console, "wangfang")  # takes the new key at this sign-in
    assert [_name(console, switched, c) for c in complaints[:2]] == ["客户0", "客户1"]
    last = rotate_data_key(console, _signed_in(console, "root"))

    assert last.finished and last.pending == ()
    with read_session(console.engine) as session:
        keys = session.exec(select(DataKeyRecord)).all()
        rotation = session.exec(select(KeyRotation)).one()
    assert [k.fingerprint for k in keys] == [switched.data_key.fingerprint]  # type: ignore[union-attr]
    assert rotation.new_under_old == rotation.old_under_new == ""
    with pytest.raises(KeyMismatch):  # the old key opens nothing any more
        TEST_DATA_KEY.open(_sealed_values(console)[0], "customers.name")
    again = _signed_in(console, "wangfang")
    assert [_name(console, again, c) for c in complaints] == [
        _name(console, switched, c) for c in complaints
    ]
    assert _found(console, again, 12) == "新客户12" and _found(console, again, 99) is None
    assert _name(other_console, writer, complaints[-1]).startswith("新客户")  # it learned
    assert _steps(console) == ["start", "resealed", "progress", "resealed", "finish"]
    # Entries sealed under the old key and the new one all check with the new one.
    with read_session(console.engine) as session:
        sealed = session.exec(select(AuditEntry.seal)).all()
    assert sealed.count(None) < len(sealed)
    assert verify_audit(console, _signed_in(console, "root")).ok


def test_an_interrupted_rotation_resumes_where_it_stopped(console: ServiceContext) -> None:
    _people(console)
    agent = _signed_in(console, "wangfang")
    complaints = [_register(console, agent, i, f"客户{i}") for i in range(5)]
    done: list[int] = []

    def interrupt(rows: int) -> None:
        done.append(rows)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate_data_key(console, _signed_in(console, "root"), chunk=1, progress=interrupt)

    # Every row readable meanwhile: by a session from before (old key) and one after.
    assert [_name(console, agent, c) for c in complaints] == [f"客户{i}" for i in range(5)]
    later = _signed_in(console, "wangfang")
    assert [_name(console, later, c) for c in complaints] == [f"客户{i}" for i in range(5)]
    with read_session(console.engine) as session:
        assert session.exec(select(KeyRotation.stage, KeyRotation.last_id)).one() == (
            "customers",
            2,
        )

    resumed = rotate_data_key(console, _signed_in(console, "root"), chunk=1)

    assert resumed.recovery_key == ""  # no second start
    assert sum(done) + resumed.resealed == 5  # each customer re-sealed once
    assert resumed.finished


def test_only_an_administrator_rotates(console: ServiceContext) -> None:
    _people(console)
    for username in ("wangfang",):
        with pytest.raises(PermissionDenied) as refused:
            rotate_data_key(console, _signed_in(console, username))
        assert refused.value.code == "refused_manage_users"
    with read_session(console.engine) as session:
        assert session.exec(select(KeyRotation)).first() is None


def test_finish_leaves_accounts_that_never_signed_in_to_a_reset(console: ServiceContext) -> None:
    _people(console)
    add_person(console, "left", Role.SUPERVISOR)
    complaint = _register(console, _signed_in(console, "wangfang"), 1, "张伟")
    rotate_data_key(console, _signed_in(console, "root"))
    _signed_in(console, "wangfang")

    done = rotate_data_key(console, _signed_in(console, "root"), finish=True)

    assert done.finished and done.accounts_reset == ("left",)
    with pytest.raises(ServiceError) as refused:
        authenticate(console, "left", PASSWORD)
    assert refused.value.code == "no_key_access"
    reset_password(console, _signed_in(console, "root"), "left", "reset-pass-3")
    back = authenticate(console, "left", "reset-pass-3").actor
    assert back.data_key is not None and _found(console, back, 1) == "张伟"
    assert complaint


def test_remembered_logins_and_the_recovery_key(console: ServiceContext, clock: FakeClock) -> None:
    _people(console)
    agent = _signed_in(console, "wangfang")
    _register(console, agent, 1, "张伟")
    token = remember_login(console, agent)
    started = rotate_data_key(console, _signed_in(console, "root"))

    during = authenticate_token(console, "wangfang", token).actor  # still works, both keys
    assert _found(console, during, 1) == "张伟"
    with pytest.raises(ServiceError) as wrong:  # the database's old recovery key is replaced
        recover_with_key(console, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-2222", "root", "x")
    assert wrong.value.code == "recovery_key_wrong"
    recover_with_key(console, started.recovery_key, "root", "recovered-pass-9")
    change_password(console, "root", "recovered-pass-9", "changed-pass-10")
    admin = authenticate(console, "root", "changed-pass-10").actor
    _signed_in(console, "wangfang")
    clock.advance(minutes=1)

    done = rotate_data_key(console, admin)

    assert done.finished and done.sessions_ended == 1
    with pytest.raises(ServiceError) as ended:
        authenticate_token(console, "wangfang", token)
    assert ended.value.code == "session_expired"


def test_a_session_from_before_the_rotation_wraps_the_new_key_or_none(
    console: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DataKey, "FOLLOW_SECONDS", 3600.0)  # only the reset asks
    _people(console)
    add_person(console, "lihua")
    before, idle = _signed_in(console, "root"), _signed_in(console, "root")
    rotate_data_key(console, _signed_in(console, "root"))

    reset_password(console, before, "wangfang", "reset-pass-3")  # learns, wraps the new key
    change_password(console, "wangfang", "reset-pass-3", "changed-pass-4")
    _signed_in(console, "lihua")
    assert rotate_data_key(console, _signed_in(console, "root")).finished

    assert authenticate(console, "wangfang", "changed-pass-4").actor.data_key is not None
    with pytest.raises(ServiceError) as refused:  # its key destroyed, nothing left to learn
        reset_password(console, idle, "lihua", "reset-pass-5")
    assert refused.value.code == "data_key_locked"
    assert _signed_in(console, "lihua").data_key is not None  # still holds its key


def test_every_sealed_column_is_re_sealed(console: ServiceContext) -> None:
    _people(console)
    agent = _signed_in(console, "wangfang")
    _register(console, agent, 1, "张伟")
    other = complaint_form(customer_name="李娜", phone=phone(1), tracking_no=tracking(2))
    shared = register_complaint(console, agent, other, name_choice=NameChoice.OTHER_PERSON).id
    fixed = complaint_form(customer_name="张炜", phone=phone(1), tracking_no=tracking(3))
    register_complaint(console, agent, fixed, name_choice=NameChoice.CORRECTION)
    promise_reply(console, agent, phone=phone(5), name="王芳")
    with read_session(console.engine) as session:
        callback_id = session.exec(select(Callback.id)).one()
    assert callback_id is not None
    record_attempt(console, agent, callback_id, AttemptOutcome.WRONG_NUMBER, phone="13900001111")
    save_draft(console, agent, "complaint", {"customer_name": "草稿"})

    rotate_data_key(console, _signed_in(console, "root"))
    _signed_in(console, "wangfang")
    assert rotate_data_key(console, _signed_in(console, "root")).finished

    after = _signed_in(console, "wangfang")
    with read_session(console.engine) as session:
        contact = session.exec(select(Complaint.contact_name).where(Complaint.id == shared)).one()
        phone_sealed = session.exec(select(Callback.phone)).one()
        corrected = session.exec(
            select(Event.detail).where(Event.kind == "customer_name_corrected")
        ).one()
    key_id = after.data_key.key_id if after.data_key else ""
    previous = json.loads(corrected)["previous_name"]
    for value in (contact, phone_sealed, previous, *_sealed_values(console)):
        assert value.startswith(f"{key_id}$")
    assert _name(console, after, shared) == "李娜"
    assert reveal_callback_phone(console, after, callback_id, "回拨客户") == "13900001111"
    draft = load_draft(console, after, "complaint")
    assert draft is not None and draft[0] == {"customer_name": "草稿"}
    with pytest.raises(KeyMismatch):
        TEST_DATA_KEY.open(previous, "events.previous_name")
