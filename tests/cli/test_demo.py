"""cs-console demo: a small demo has every category, severity, clock state and callback
state, obeys the policy, and never writes over a database in use."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from cs_console.cli.commands import app
from cs_console.config.policy_file import read_policy
from cs_console.demo.rows import open_count
from cs_console.domain.classification import classify
from cs_console.domain.clocks import clock_state
from cs_console.domain.compensation import suggest_compensation
from cs_console.domain.complaint_clocks import all_clocks
from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import (
    CallbackKind,
    CallbackStatus,
    Category,
    Channel,
    ClockKind,
    ClockState,
    ComplaintStatus,
    ContactType,
    Role,
    Severity,
)
from cs_console.domain.validation import normalize_phone, normalize_tracking_no
from cs_console.services.accounts import authenticate
from cs_console.services.claim_decisions import approvals_waiting
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.work_orders import outlet_inbox
from cs_console.storage.complaints import times_of
from cs_console.storage.customers import phone_key
from cs_console.storage.engine import make_engine, read_session
from cs_console.storage.tables import Callback, Complaint, Customer, Parcel, User
from tests.cli.conftest import ADMIN, Run, assert_clean_failure, output_json

N = 300
RUNNING = (ClockState.OK, ClockState.AMBER, ClockState.RED, ClockState.BREACHED)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One small demo for the whole module (it takes a second or two to build)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    result = CliRunner().invoke(
        app, ["--lang", "en", "demo", "--db", url, "--complaints", str(N), "--seed", "7"]
    )
    assert result.exit_code == 0, result.output
    assert "Demo logins" in result.stderr and "wangfang-demo1" in result.stderr
    engine = make_engine(url)
    with read_session(engine) as session:
        complaints = list(session.exec(select(Complaint)))
        callbacks = list(session.exec(select(Callback)))
    yield {"url": url, "json": output_json(result), "engine": engine,
           "complaints": complaints, "callbacks": callbacks, "now": datetime.now(UTC)}  # fmt: skip
    engine.dispose()


def _sql(demo: dict[str, Any], query: str) -> list[tuple]:
    with demo["engine"].connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def test_counts_match_the_database(demo: dict[str, Any]) -> None:
    counts = demo["json"]["counts"]
    assert counts["complaints"] == N == len(demo["complaints"])
    # a parcel per complaint, and one per tracking query or claim (the parcel asked about)
    asked_about = _sql(
        demo,
        "SELECT count(DISTINCT parcel_id) FROM contacts"
        " WHERE contact_type IN ('tracking', 'claim') AND parcel_id IS NOT NULL",
    )[0][0]
    assert asked_about > 0
    assert counts["parcels"] == N + asked_about
    assert counts["customers"] == round(N * 0.7)
    for table in ("customers", "parcels", "contacts", "callbacks", "events"):
        assert _sql(demo, f"SELECT count(*) FROM {table}")[0][0] == counts[table], table
    assert demo["json"]["open_complaints"] == open_count(N)
    still_open = [c for c in demo["complaints"] if c.status != ComplaintStatus.CLOSED.value]
    assert len(still_open) == open_count(N)


def test_every_category_severity_and_channel(demo: dict[str, Any]) -> None:
    complaints = demo["complaints"]
    assert {c.category for c in complaints} == {c.value for c in Category}
    assert {c.severity for c in complaints} == {s.value for s in Severity}
    assert {c.channel for c in complaints} == {c.value for c in Channel}
    assert {c.status for c in complaints} >= {
        "registered",
        "verifying",
        "verified",
        "resolved",
        "closed",
    }


def test_walk_ins_wait_at_the_outlet_only_until_the_call_desk_takes_them(
    demo: dict[str, Any],
) -> None:
    """Outlets register and cannot work a complaint: one an outlet still holds is waiting
    for its first owner (the overview's walk-ins); any further along has a call-desk owner,
    handed to it with a reason."""
    rows = _sql(
        demo,
        "SELECT c.status, u.role, c.id FROM complaints c JOIN users u ON u.id = c.owner_id "
        "WHERE c.channel = 'walk_in'",
    )
    waiting = [status for status, role, _ in rows if role == Role.OUTLET.value]
    assert waiting and set(waiting) == {ComplaintStatus.REGISTERED.value}
    taken = {cid for _, role, cid in rows if role != Role.OUTLET.value}
    assert taken
    handed = {
        cid
        for cid, detail in _sql(
            demo, "SELECT complaint_id, detail FROM events WHERE kind = 'handed_over'"
        )
        if "网点登记" in json.loads(detail)["reason"]
    }
    assert handed and handed <= taken  # (one closed long ago keeps only its last events)


def test_every_clock_in_every_state(demo: dict[str, Any]) -> None:
    policy, now = read_policy().clocks, demo["now"]
    seen: Counter = Counter()
    for complaint in demo["complaints"]:
        for clock in all_clocks(times_of(complaint), policy):
            seen[(clock.kind, complaint.severity, clock_state(clock, now, policy))] += 1
    # A complaint's own clocks (a claim's are the claims', tested with them).
    for kind in (
        k for k in ClockKind if k not in (ClockKind.CLAIM_DECISION, ClockKind.CLAIM_PAYOUT)
    ):
        for state in ClockState:
            assert any(seen[(kind, s.value, state)] for s in Severity), (kind, state)
    for kind in (ClockKind.VERIFY, ClockKind.RESOLVE):  # both severities in every running state
        for severity in Severity:
            for state in RUNNING:
                assert seen[(kind, severity.value, state)], (kind, severity, state)


def test_claims_wait_for_each_approver_and_orders_wait_at_the_outlet(
    demo: dict[str, Any],
) -> None:
    counts = demo["json"]["counts"]
    assert (counts["claims"], counts["work_orders"]) == (3, 2)
    claims = _sql(demo, "SELECT status, proposed_fen FROM claims ORDER BY id")
    assert claims == [("pending", 60_000), ("pending", 180_000), ("open", None)]
    orders = _sql(
        demo,
        "SELECT w.outlet, w.status, coalesce(nullif(c.outlet, ''), p.outlet), c.status "
        "FROM work_orders w JOIN complaints c ON c.id = w.complaint_id "
        "JOIN parcels p ON p.id = c.parcel_id",
    )  # about the outlet's own parcels, on complaints still being worked on
    assert {(sent_to, state, outlet) for sent_to, state, outlet, _s in orders} == {
        ("杭州西湖网点", "open", "杭州西湖网点")
    }
    assert {status for *_o, status in orders} <= {"registered", "verifying", "verified"}
    console = ServiceContext(demo["engine"], read_policy())
    waiting = {
        name: [c.proposed_fen for c in approvals_waiting(console, _signed_in(console, name))]
        for name in ("sunqiang", "zhoumin")
    }
    assert waiting == {"sunqiang": [60_000], "zhoumin": [60_000, 180_000]}
    inbox = outlet_inbox(console, _signed_in(console, "qianmei"))
    assert len(inbox.shown) == 2


def _signed_in(console: ServiceContext, username: str) -> Actor:
    return authenticate(console, username, f"{username}-demo1").actor


def test_callbacks_pending_due_overdue_and_done(demo: dict[str, Any]) -> None:
    now = demo["now"]
    seen = {
        (cb.kind, cb.status, "overdue" if cb.due_at < now else "due") for cb in demo["callbacks"]
    }
    for kind in (CallbackKind.FOLLOWUP, CallbackKind.REPLY_PROMISE, CallbackKind.SECOND_FOLLOWUP):
        assert (kind.value, "pending", "due") in seen, kind
        assert (kind.value, "pending", "overdue") in seen, kind
    assert any(status == CallbackStatus.DONE.value for _k, status, _d in seen)
    for cb in demo["callbacks"]:
        assert (cb.done_at is None) == (cb.status == CallbackStatus.PENDING.value)
    attempts = _sql(
        demo,
        "SELECT c.attempts, count(a.id) FROM callbacks c "
        "LEFT JOIN callback_attempts a ON a.callback_id = c.id GROUP BY c.id",
    )
    assert all(made == recorded for made, recorded in attempts)


def test_severity_clocks_and_compensation_follow_the_policy(demo: dict[str, Any]) -> None:
    policy = read_policy()
    for c in demo["complaints"]:
        facts = ComplaintFacts(Category(c.category), c.days_late, c.declared_value_fen, c.insured,
                               c.insured_amount_fen, c.shipping_fee_fen, c.item_damaged,
                               c.repairable, c.repeat_of)  # fmt: skip
        classification = classify(facts, policy.severity)
        assert c.severity == classification.severity.value, c.reference
        assert c.severity_reasons == ",".join(r.value for r in classification.reasons)
        suggestion = suggest_compensation(facts, policy.compensation)
        assert (c.compensation_kind, c.compensation_fen) == (
            suggestion.kind.value,
            suggestion.amount_fen,
        )
        major = c.severity == Severity.MAJOR.value
        clocks = policy.clocks
        assert c.verify_due - c.registered_at == (
            clocks.verify_major if major else clocks.verify_general
        )
        assert c.resolve_due - c.registered_at == (
            clocks.resolve_major if major else clocks.resolve_general
        )
        if c.resolved_at is not None:
            assert c.followup_due == c.resolved_at + clocks.followup
        if c.second_followup_due is not None:
            assert c.second_followup_due == c.followup_done_at + clocks.second_followup
        steps = [c.registered_at, c.verified_at, c.resolved_at, c.followup_done_at, c.closed_at]
        done = [step for step in steps if step is not None]
        assert done == sorted(done) and done[-1] <= demo["now"], c.reference
        assert (c.status == "closed") == (c.closed_at is not None)


def test_repeat_complaints_follow_the_repeat_rule(demo: dict[str, Any]) -> None:
    by_reference = {c.reference: c for c in demo["complaints"]}
    repeats = [c for c in demo["complaints"] if c.repeat_of]
    assert repeats
    for c in repeats:
        earlier = by_reference[c.repeat_of]
        assert earlier.customer_id == c.customer_id and earlier.registered_at < c.registered_at
        assert earlier.resolved_at is None and c.severity == Severity.MAJOR.value
    # Nobody else complained while an earlier complaint of theirs was unresolved.
    by_customer: dict[int, list[Complaint]] = {}
    for c in demo["complaints"]:
        by_customer.setdefault(c.customer_id, []).append(c)
    for complaints in by_customer.values():
        complaints.sort(key=lambda c: c.registered_at)
        for earlier, later in zip(complaints, complaints[1:], strict=False):
            unresolved = earlier.resolved_at is None or earlier.resolved_at > later.registered_at
            assert not unresolved or later.repeat_of == earlier.reference, later.reference


def test_people_parcels_and_places_look_real(demo: dict[str, Any]) -> None:
    from stdnum.cn import ric

    from cs_console.storage.customers import _record

    console = ServiceContext(demo["engine"], read_policy())
    key = authenticate(console, "wangfang", "wangfang-demo1").actor.data_key
    assert key is not None
    with read_session(demo["engine"]) as session:
        stored = list(session.exec(select(Customer)))
        parcels = list(session.exec(select(Parcel)))
    for row in stored:
        customer = _record(row, key)
        assert normalize_phone(customer.phone) == customer.phone
        assert row.phone_key == phone_key(customer.phone, key)
        assert not customer.id_number or ric.is_valid(customer.id_number), customer.id_number
        assert re.fullmatch(r"\+861[3589]\d{9}", customer.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", customer.name), customer.name
        assert re.search(r"[省市].*[区].*号", customer.address), customer.address
    prefixes = Counter(re.match(r"[A-Z]+|7[57]", p.tracking_no).group() for p in parcels)  # type: ignore[union-attr]
    assert set(prefixes) == {"SF", "YT", "75", "77", "JDV"}
    for parcel in parcels:
        assert normalize_tracking_no(parcel.tracking_no) == parcel.tracking_no
        assert parcel.route and parcel.hub and parcel.outlet and parcel.batch
    assert {p.outlet for p in parcels} >= {"杭州西湖网点"}


def test_the_data_obeys_the_schema(demo: dict[str, Any]) -> None:
    assert _sql(demo, "PRAGMA foreign_key_check") == []
    assert _sql(demo, "PRAGMA integrity_check") == [("ok",)]
    checks = {
        "complaints": {"category": Category, "severity": Severity, "status": ComplaintStatus,
                       "channel": Channel},
        "contacts": {"channel": Channel, "contact_type": ContactType},
        "callbacks": {"kind": CallbackKind, "status": CallbackStatus},
    }  # fmt: skip
    for table, columns in checks.items():
        for column, enum in columns.items():
            values = {row[0] for row in _sql(demo, f"SELECT DISTINCT {column} FROM {table}")}
            assert values <= {m.value for m in enum}, (table, column, values)
    unregistered = (
        "SELECT count(*) FROM complaints c WHERE NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.complaint_id = c.id AND e.kind = 'registered')"
    )
    assert _sql(demo, unregistered) == [(0,)]
    # New complaints continue the day's numbering after the demo's references.
    last = dict(_sql(demo, "SELECT day, last FROM reference_counters"))
    for (reference,) in _sql(demo, "SELECT reference FROM complaints"):
        _c, day, number = reference.split("-")
        assert int(number) <= last[day]
    # Sorting by registration puts the demo's indexes to work (they were rebuilt).
    names = {row[0] for row in _sql(demo, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_complaints_owner_status", "ix_events_complaint_id"} <= names


def test_printed_logins_work(demo: dict[str, Any]) -> None:
    console = ServiceContext(demo["engine"], read_policy())
    logins = demo["json"]["logins"]
    roles = Counter(login["role"] for login in logins)
    assert roles == {"admin": 1, "supervisor": 2, "agent": 8, "specialist": 2, "outlet": 2}
    for login in logins:
        actor = authenticate(console, login["username"], login["password"]).actor
        assert actor.role.value == login["role"] and actor.agent_no == login["agent_no"]
    outlets = {login["outlet"] for login in logins if login["role"] == "outlet"}
    assert "杭州西湖网点" in outlets


def test_refuses_a_database_in_use_without_force(run: Run, admin_db: str) -> None:
    result = run(["demo", "--db", admin_db, "--complaints", "50"])
    assert_clean_failure(result)
    assert "--force" in result.stderr
    engine = make_engine(admin_db)
    with read_session(engine) as session:
        assert [u.username for u in session.exec(select(User))] == [ADMIN]
        assert session.exec(select(Complaint)).first() is None


def test_force_adds_demo_data_again_and_again(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    without_key = run(["demo", "--db", admin_db, "--complaints", "60", "--force"])
    assert_clean_failure(without_key)
    assert "--user" in without_key.stderr
    command = ["--user", ADMIN, "demo", "--db", admin_db, "--complaints", "60", "--seed", "1"]
    first = run([*command, "--force"], env=as_admin)
    assert first.exit_code == 0, first.stderr
    assert {login["username"] for login in output_json(first)["logins"]} >= {"admin", "wangfang"}
    second = run([*command, "--force"], env=as_admin)
    assert second.exit_code == 0, second.stderr
    assert all(login["password"] is None for login in output_json(second)["logins"])
    assert "existing account" in second.stderr
    engine = make_engine(admin_db)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM complaints")).scalar() == 120
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 16
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []


def test_an_initialised_empty_database_needs_no_force(run: Run, sqlite_url: str) -> None:
    result = run(["demo", "--db", sqlite_url, "--complaints", "40"])
    assert result.exit_code == 0, result.stderr
    assert output_json(result)["new_file"] is False


def test_interrupted_demo_leaves_no_file(
    run: Run, new_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cs_console.demo.build.open_batch", interrupt)
    result = run(["demo", "--db", new_db, "--complaints", "100"])
    assert result.exit_code == 1
    assert "left as it was" in result.stderr
    folder = Path(new_db.removeprefix("sqlite:///")).parent
    assert list(folder.iterdir()) == []


def test_interrupted_demo_leaves_an_existing_database_as_it_was(
    run: Run, admin_db: str, as_admin: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cs_console.demo.build.open_batch", interrupt)
    command = ["--user", ADMIN, "demo", "--db", admin_db, "--complaints", "100", "--force"]
    result = run(command, env=as_admin)
    assert result.exit_code == 1
    assert "left as it was" in result.stderr
    engine = make_engine(admin_db)
    with engine.connect() as connection:
        for table in ("customers", "parcels", "complaints", "events"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 1


def test_same_seed_same_demo(run: Run, tmp_path: Path) -> None:
    def build(name: str) -> list[tuple]:
        url = f"sqlite:///{tmp_path / name}"
        assert run(["demo", "--db", url, "--complaints", "80", "--seed", "5"]).exit_code == 0
        with make_engine(url).connect() as connection:
            query = "SELECT category, severity, days_late, description FROM complaints ORDER BY id"
            return [tuple(row) for row in connection.execute(text(query))]

    assert build("a.db") == build("b.db")


def test_quiet_when_stderr_is_not_a_terminal(run: Run, new_db: str) -> None:
    result = run(["demo", "--db", new_db, "--complaints", "30"])
    assert result.exit_code == 0
    assert "\r" not in result.stderr and "━━━━" not in result.stderr.split("Demo logins")[0]


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch, new_db: str) -> None:
    from cs_console.cli import demo_command

    stages: list[str] = []

    class FakeBar:
        def __enter__(self):  # type: ignore[no-untyped-def]
            return lambda stage, done, total: stages.append(stage)

        def __exit__(self, *_exc: object) -> None:
            return None

    monkeypatch.setattr(demo_command, "progress_bar", FakeBar)
    result = CliRunner().invoke(app, ["demo", "--db", new_db, "--complaints", "30"])
    assert result.exit_code == 0, result.stderr
    assert {"accounts", "customers", "complaints", "indexes"} <= set(stages)


def test_timestamps_are_stored_like_the_orm_stores_them(demo: dict[str, Any]) -> None:
    stored = _sql(demo, "SELECT registered_at FROM complaints LIMIT 1")[0][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", stored)
    oldest = _sql(demo, "SELECT min(registered_at) FROM complaints")[0][0]
    age = demo["now"] - datetime.fromisoformat(oldest).replace(tzinfo=UTC)
    assert timedelta(days=80) < age <= timedelta(days=91)


def test_demo_on_each_engine_then_new_rows_get_fresh_ids(run: Run, db_url: str) -> None:
    """In place on SQLite and PostgreSQL; afterwards the id sequences continue past it."""
    result = run(["demo", "--db", db_url, "--complaints", "120", "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    assert output_json(result)["counts"]["complaints"] == 120
    added = run(
        ["user", "add", "newbie", "--role", "agent", "--display-name", "新人", "--agent-no", "1999",
         "--password-stdin", "--user", "admin", "--db", db_url],
        input="newbie-pass-1\n",
        env={"CS_CONSOLE_PASSWORD": "admin-demo1"},
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            newest = connection.execute(text("SELECT max(id), count(*) FROM users")).one()
            assert tuple(newest) == (16, 16)
            reference = connection.execute(
                text("SELECT reference FROM complaints ORDER BY registered_at DESC LIMIT 1")
            ).scalar()
    finally:
        engine.dispose()
    assert reference is not None and reference.startswith("C-")


def test_generated_tuples_fill_every_column_of_their_table() -> None:
    from cs_console.demo import rows as demo_rows
    from cs_console.storage import tables

    pairs = {
        tables.User: demo_rows.USER_COLUMNS,
        tables.Customer: demo_rows.CUSTOMER_COLUMNS,
        tables.Parcel: demo_rows.PARCEL_COLUMNS,
        tables.ParcelHub: demo_rows.HUB_COLUMNS,
        tables.Contact: demo_rows.CONTACT_COLUMNS,
        tables.Complaint: demo_rows.COMPLAINT_COLUMNS,
        tables.Callback: demo_rows.CALLBACK_COLUMNS,
        tables.CallbackAttempt: demo_rows.ATTEMPT_COLUMNS,
        tables.Event: demo_rows.EVENT_COLUMNS,
    }
    for model, columns in pairs.items():
        table = model.__table__  # type: ignore[attr-defined]
        assert sorted(columns) == sorted(column.name for column in table.columns), table.name


def test_no_personal_data_in_the_database_bytes_and_lookups_still_work(
    demo: dict[str, Any],
) -> None:
    """Every customer's name, phone and ID number is absent from the file and its WAL (a
    complaint registered afterwards puts pages in the WAL); found by phone all the same."""
    from cs_console.services.complaints import register_complaint
    from cs_console.storage import customers as customer_queries
    from tests.services.helpers import delay_form

    console = ServiceContext(demo["engine"], read_policy())
    logins = {login["role"]: login for login in demo["json"]["logins"]}
    agent = authenticate(console, logins["agent"]["username"], logins["agent"]["password"]).actor
    key = agent.data_key
    assert key is not None
    register_complaint(console, agent, delay_form(2, phone="13999990001", customer_name="欧阳新客"))
    with read_session(demo["engine"]) as session:
        stored = list(session.exec(select(Customer)))
        clear = [customer_queries._record(row, key) for row in stored]
        for record in clear[:: max(1, len(clear) // 50)]:
            found = customer_queries.find_customer(session=session, key=key, phone=record.phone)
            assert found is not None and found.id == record.id
    path = Path(demo["url"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    data = path.read_bytes() + wal.read_bytes()
    staff = {login["display_name"] for login in demo["json"]["logins"]}
    assert sum(1 for r in clear if r.id_number) > len(clear) // 4
    leaks = [
        value
        for record in clear
        for value in (record.phone, record.phone.removeprefix("+86"), record.id_number)
        + ((record.name,) if record.name not in staff else ())
        if value and value.encode() in data
    ]
    assert leaks == []
