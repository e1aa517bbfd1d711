"""Data-subject requests (PIPL): a person's export holds everything stored about them and is
recorded; their erasure leaves no name or phone anywhere, keeps the complaints and the
statistics, is recorded with counts only, and finds nothing the second time."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import String, Text, select
from sqlmodel import SQLModel

import cs_console.storage.tables  # noqa: F401  (registers every table)
from cs_console.config.paths import journal_path
from cs_console.domain.enums import AttemptOutcome, AuditAction, ContactType, NameChoice, Role
from cs_console.domain.erasure import MARKER
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import end_call, start_call
from cs_console.services.complaints import register_complaint
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceContext,
)
from cs_console.services.data_subjects import ERASED_TABLES, erase_person, export_person
from cs_console.services.drafts import save_draft
from cs_console.services.journal.store import Journal
from cs_console.services.reports import monthly_report
from cs_console.storage import customers as customer_queries
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.tables import AuditEntry, Callback, Complaint, Customer, Event
from tests.conftest import TEST_DATA_KEY, add_person

from .helpers import complaint_form, count, distinct_form, in_clear, one, phone, rows, stored_drafts

NAME, OTHER_NAME, CORRECTED = "欧阳娜娜", "李四", "欧阳娜"
PHONE = phone(1)  # 13900000001
E164 = f"+86{PHONE}"
REASON = "客户来电要求行使个人信息权利"


@pytest.fixture
def admin(console: ServiceContext) -> Actor:
    return add_person(console, "root", Role.ADMIN, agent_no="0001")


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "chen", Role.SUPERVISOR, agent_no="9001")


@pytest.fixture
def person(console: ServiceContext, agent: Actor) -> int:
    """A customer with a call, two complaints (one under a corrected name, one for someone
    else on the number), a reply promise, an attempt and a draft; another customer beside.
    Returns the first complaint's id."""
    call = start_call(console, agent)
    form = distinct_form(1, customer_name=NAME, description=f"寄给{NAME}的包裹晚到")
    first = register_complaint(console, agent, form, contact_id=call)
    with write_session(console.engine) as session:  # an address (the sender's registration)
        customer_queries.upsert_customer(
            session=session,
            key=TEST_DATA_KEY,
            phone=E164,
            name=NAME,
            now=console.now(),
            address="上海市浦东新区1号",
        )
    end_call(
        console,
        agent,
        call,
        contact_type=ContactType.COMPLAINT,
        notes=f"{NAME}说门牌号是1号",
        outcome="已登记",
        phone=PHONE,
    )
    again = complaint_form(phone=PHONE, customer_name=CORRECTED, tracking_no="YT4400000901")
    register_complaint(console, agent, again, name_choice=NameChoice.CORRECTION)
    other = complaint_form(phone=PHONE, customer_name=OTHER_NAME, tracking_no="YT4400000902")
    register_complaint(console, agent, other, name_choice=NameChoice.OTHER_PERSON)
    promise_reply(console, agent, phone=PHONE, name=NAME, note=f"给{NAME}回电")
    callback = one(console, Callback, Callback.complaint_id.is_(None))  # type: ignore[union-attr]
    record_attempt(console, agent, callback.id, AttemptOutcome.NO_ANSWER, note=f"{NAME}未接")
    register_complaint(console, agent, distinct_form(2, customer_name="路人甲"))
    # Saved last: registering discards the workspace's draft.
    save_draft(console, agent, "workspace", {"customer_name": NAME, "phone": "139 0000 0001"})
    save_draft(console, agent, "kept-1", {"customer_name": "别人", "phone": phone(2)})
    return first.id


def _texts(console: ServiceContext) -> list[str]:
    """Every text stored in every table, sealed values opened, drafts opened."""
    found: list[str] = []
    with read_session(console.engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, String | Text)]
            for row in session.execute(select(*columns)) if columns else ():
                found.extend(str(value) for value in row if value)
    for customer in rows(console, Customer):
        record = in_clear(customer)
        found += [record.name, record.phone, record.address, record.id_number]
    for complaint in rows(console, Complaint):
        found.append(customer_queries.open_contact_name(complaint.contact_name, TEST_DATA_KEY))
    found += [json.dumps(payload, ensure_ascii=False) for _, payload in stored_drafts(console)]
    for event in rows(console, Event):
        sealed = json.loads(event.detail).get("previous_name", "")
        found.append(customer_queries.open_previous_name(sealed, TEST_DATA_KEY))
    return found


def _mentions(console: ServiceContext, *needles: str) -> list[str]:
    return [text for text in _texts(console) if any(needle in text for needle in needles)]


def _newest_audit(console: ServiceContext) -> AuditEntry:
    return rows(console, AuditEntry)[-1]


# --- export -------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_person(
    console: ServiceContext, boss: Actor, person: int
) -> None:
    document = export_person(console, boss, PHONE, REASON, "/tmp/x.json")

    assert document["customer"]["name"] == CORRECTED
    assert document["customer"]["phone"] == PHONE
    assert document["customer"]["address"] == "上海市浦东新区1号"
    assert len(document["complaints"]) == 3
    assert {c["contact_name"] for c in document["complaints"]} == {"", OTHER_NAME}
    corrected = [
        e for c in document["complaints"] for e in c["events"] if "previous_name" in e["detail"]
    ]
    assert corrected[0]["detail"]["previous_name"] == NAME
    assert [c["notes"] for c in document["contacts"]] == [f"{NAME}说门牌号是1号"]
    assert [c["note"] for c in document["callbacks"] if c["note"]] == [f"给{NAME}回电"]
    attempts = [a["note"] for c in document["callbacks"] for a in c["attempts"]]
    assert f"{NAME}未接" in attempts
    assert [d["form"]["customer_name"] for d in document["drafts"]] == [NAME]
    assert "YT4400000901" in document["parcels"]
    json.dumps(document, ensure_ascii=False)  # JSON-ready as it is
    assert "路人甲" not in json.dumps(document, ensure_ascii=False)


def test_the_export_is_recorded_without_the_data(
    console: ServiceContext, boss: Actor, person: int
) -> None:
    export_person(console, boss, PHONE, REASON, "/tmp/x.json")

    entry = _newest_audit(console)
    detail = json.loads(entry.detail)
    assert entry.action == AuditAction.EXPORT.value
    assert entry.target.startswith("customer:")
    assert detail["reason"] == REASON and detail["destination"] == "/tmp/x.json"
    assert detail["records"]["complaints"] == 3
    assert NAME not in entry.detail and PHONE not in entry.detail


def test_an_unknown_phone_or_a_vague_reason_is_refused(
    console: ServiceContext, boss: Actor, person: int
) -> None:
    with pytest.raises(NotFound):
        export_person(console, boss, phone(77), REASON, "-")
    with pytest.raises(InvalidInput):
        export_person(console, boss, PHONE, "x", "-")
    with pytest.raises(InvalidInput):
        export_person(console, boss, "12", REASON, "-")


# --- erasure ------------------------------------------------------------------------------


def _report(console: ServiceContext, boss: Actor) -> Any:
    month = console.now().astimezone(console.zone).strftime("%Y-%m")
    return monthly_report(console, boss, month)


def test_erasure_leaves_no_name_or_phone_anywhere(
    console: ServiceContext, admin: Actor, boss: Actor, person: int
) -> None:
    assert _mentions(console, NAME, PHONE, OTHER_NAME, "浦东新区")  # the test sees them
    complaints, report = count(console, Complaint), _report(console, boss)

    erased = erase_person(console, admin, PHONE, REASON)

    assert _mentions(console, NAME, CORRECTED, PHONE, OTHER_NAME, "浦东新区") == []
    assert _mentions(console, "路人甲")  # another customer is left alone
    assert count(console, Complaint) == complaints
    assert _report(console, boss) == report
    assert erased.counts["customers"] == 1 and erased.counts["complaints"] == 3
    assert erased.counts["contacts"] == 1 and erased.counts["drafts"] == 1
    with read_session(console.engine) as session:
        assert (
            customer_queries.find_customer(session=session, key=TEST_DATA_KEY, phone=E164) is None
        )
    erased_customer = in_clear(one(console, Customer, Customer.id == erased.customer_id))
    assert erased_customer.name == MARKER
    complaint = one(console, Complaint, Complaint.id == person)
    assert complaint.description == MARKER and complaint.category == "delay"
    assert [p for _, p in stored_drafts(console) if p.get("phone") == phone(2)]  # kept


def test_erasure_is_recorded_with_counts_only(
    console: ServiceContext, admin: Actor, person: int
) -> None:
    erased = erase_person(console, admin, PHONE, REASON)

    entry = _newest_audit(console)
    detail = json.loads(entry.detail)
    assert entry.action == AuditAction.PURGE.value
    assert entry.target == f"customer:{erased.customer_id}"
    assert detail["request"] == "data_subject_erasure" and detail["reason"] == REASON
    assert set(detail["counts"]) == set(ERASED_TABLES)
    assert NAME not in entry.detail and PHONE not in entry.detail


def test_a_second_erasure_finds_nothing_left(
    console: ServiceContext, admin: Actor, boss: Actor, person: int
) -> None:
    erase_person(console, admin, PHONE, REASON)

    again = erase_person(console, admin, PHONE, REASON)

    assert again.customer_id is None and again.total == 0
    with pytest.raises(NotFound):
        export_person(console, boss, PHONE, REASON, "-")


def test_erasure_reaches_this_machines_journal(
    console: ServiceContext, admin: Actor, agent: Actor, person: int
) -> None:
    url = console.engine.url.render_as_string(hide_password=True)
    journal = Journal(journal_path(url))
    journal.unlock(TEST_DATA_KEY)
    at = datetime.now().astimezone()
    journal.append("promise_reply", {"id": agent.id}, {"phone": PHONE, "name": NAME}, at)
    journal.append("promise_reply", {"id": agent.id}, {"phone": phone(2), "name": "别人"}, at)
    journal.keep_draft(agent.id, "workspace", {"phone": f"+86 {PHONE}", "notes": NAME}, at)
    damaged = journal.append("end_call", {"id": agent.id}, {"notes": NAME}, at)
    with closing(sqlite3.connect(journal.path)) as raw, raw:  # a damaged entry: never opens
        raw.execute("UPDATE entries SET args = 'AAAA' WHERE seq = ?", (damaged.seq,))

    erased = erase_person(console, admin, PHONE, REASON)

    assert erased.counts["journal"] == 2
    with closing(sqlite3.connect(journal.path)) as raw, raw:  # left as it was, then dropped
        stored = raw.execute("SELECT args FROM entries WHERE seq = ?", (damaged.seq,)).fetchone()
        assert stored == ("AAAA",)
        raw.execute("DELETE FROM entries WHERE seq = ?", (damaged.seq,))
    args = [entry.args for entry in journal.entries()]
    assert args == [{"phone": MARKER, "name": MARKER}, {"phone": phone(2), "name": "别人"}]
    assert journal.draft(agent.id, "workspace")[0] == {"phone": MARKER, "notes": MARKER}  # type: ignore[index]
    journal.close()


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AGENT, Role.SPECIALIST, Role.OUTLET])
def test_only_supervisors_and_administrators_export(
    console: ServiceContext, admin: Actor, person: int, role: Role
) -> None:
    someone = add_person(console, "someone", role, agent_no="4001", outlet="浦东网点")
    with pytest.raises(PermissionDenied):
        export_person(console, someone, PHONE, REASON, "-")
    assert export_person(console, admin, PHONE, REASON, "-")["customer"]["name"] == CORRECTED


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.OUTLET])
def test_only_administrators_erase(console: ServiceContext, person: int, role: Role) -> None:
    someone = add_person(console, "someone", role, agent_no="4001", outlet="浦东网点")
    with pytest.raises(PermissionDenied):
        erase_person(console, someone, PHONE, REASON)
    assert _mentions(console, NAME)
