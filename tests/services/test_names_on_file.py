"""A phone on file under another name: the stored name is never overwritten silently.

The form's save asks (``NameOnFileDiffers``, nothing written) until the person says whose
name it is: another person on the number (the complaint keeps a sealed contact name) or a
correction (the customer's name replaced, the old one kept sealed in an event). The import
and the outage journal's replay cannot ask: they keep the stored name and the row's name
as the complaint's contact name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from cs_console.domain.enums import NameChoice, Role
from cs_console.services.complaint_export import ExportRequest, open_export
from cs_console.services.complaint_import import import_register
from cs_console.services.complaints import NameOnFileDiffers, name_on_file, register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.customers import reveal_customer
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.writes import JournalledWrites, open_journal
from cs_console.services.worklists import complaint_view
from cs_console.storage.customers import open_contact_name, open_previous_name
from cs_console.storage.tables import Complaint, Customer, Event
from tests.conftest import TEST_DATA_KEY, add_person

from .helpers import complaint_form, count, distinct_form, in_clear, one, phone, rows, tracking
from .outage import ServerGate
from .test_complaint_import import line, register


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")


@pytest.fixture
def on_file(console: ServiceContext, agent: Actor) -> int:
    """A customer on file as 张伟 (phone(1)) with one complaint; returns the customer id."""
    register_complaint(console, agent, distinct_form(1, customer_name="张伟"))
    return one(console, Customer).id


def _second(name: str) -> object:
    """Another complaint from the same phone about another parcel, typed with ``name``."""
    return complaint_form(customer_name=name, phone=phone(1), tracking_no=tracking(2))


def _stored_name(console: ServiceContext) -> str:
    return in_clear(one(console, Customer)).name


def test_the_name_on_file_is_found_by_a_valid_phone_and_shown_masked(
    console: ServiceContext, agent: Actor, on_file: int
) -> None:
    assert name_on_file(console, agent, phone(1)) == "张*"
    assert name_on_file(console, agent, f"+86 {phone(1)}") == "张*"
    assert name_on_file(console, agent, phone(9)) is None  # not on file
    assert name_on_file(console, agent, "139") is None  # not a valid number


def test_a_different_name_without_an_answer_writes_nothing(
    console: ServiceContext, agent: Actor, on_file: int
) -> None:
    with pytest.raises(NameOnFileDiffers) as refused:
        register_complaint(console, agent, _second("李娜"))

    assert refused.value.on_file_masked == "张*"
    assert count(console, Complaint) == 1
    assert _stored_name(console) == "张伟"


def test_the_same_name_spelled_with_spaces_asks_nothing(
    console: ServiceContext, agent: Actor, on_file: int
) -> None:
    register_complaint(console, agent, _second(" 张伟 "))

    assert count(console, Complaint) == 2
    assert {c.contact_name for c in rows(console, Complaint)} == {""}
    assert _stored_name(console) == "张伟"


def test_another_person_on_the_number_keeps_their_name_on_the_complaint(
    console: ServiceContext, agent: Actor, boss: Actor, on_file: int
) -> None:
    registered = register_complaint(
        console, agent, _second("李娜"), name_choice=NameChoice.OTHER_PERSON
    )

    stored = one(console, Complaint, Complaint.id == registered.id)
    assert stored.customer_id == on_file
    assert stored.contact_name not in ("", "李娜")  # sealed like every personal field
    assert open_contact_name(stored.contact_name, TEST_DATA_KEY) == "李娜"
    assert _stored_name(console) == "张伟"
    assert count(console, Event, Event.kind == "customer_name_corrected") == 0
    # The complaint screen and the exports show the complaint's own contact name.
    view = complaint_view(console, agent, registered.id)
    assert (view.customer, view.customer_on_file) == ("李*", "张*")
    reveal = reveal_customer(console, agent, registered.id, "回电核实")
    assert reveal[0] == "李娜"
    export = open_export(console, boss, ExportRequest("json", unmask=True, reason="核对客户身份"))
    names = {row["reference"]: row["customer_name"] for row in export.rows()}
    assert names[registered.reference] == "李娜"
    assert sorted(names.values()) == ["张伟", "李娜"]


def test_a_correction_replaces_the_name_and_keeps_the_old_one_in_the_history(
    console: ServiceContext, agent: Actor, on_file: int
) -> None:
    registered = register_complaint(
        console, agent, _second("张炜"), name_choice=NameChoice.CORRECTION
    )

    assert _stored_name(console) == "张炜"
    stored = one(console, Complaint, Complaint.id == registered.id)
    assert stored.contact_name == ""
    event = one(console, Event, Event.kind == "customer_name_corrected")
    detail = json.loads(event.detail)
    assert event.complaint_id == registered.id and detail["customer_id"] == on_file
    assert "张伟" not in event.detail  # the old name is kept sealed
    assert open_previous_name(detail["previous_name"], TEST_DATA_KEY) == "张伟"
    view = complaint_view(console, agent, registered.id)
    [shown] = [e for e in view.events if e.kind == "customer_name_corrected"]
    assert shown.detail == {"previous": "张*"}
    assert (view.customer, view.customer_on_file) == ("张*", "")


def test_the_import_keeps_the_stored_name_and_the_rows_name_as_contact_name(
    console: ServiceContext, agent: Actor, boss: Actor
) -> None:
    register_complaint(console, agent, distinct_form(1, customer_name="张伟"))

    report = import_register(
        console, boss, register(line(1, 姓名="王芳", 快递单号=tracking(7)), line(2))
    )

    assert report.imported == 2
    assert _name_of(console, phone(1)) == "张伟"
    imported = rows(console, Complaint, Complaint.import_key.is_not(None))  # type: ignore[union-attr]
    contact_names = sorted(open_contact_name(c.contact_name, TEST_DATA_KEY) for c in imported)
    assert contact_names == ["", "王芳"]  # the new customer's row is their own


def _name_of(console: ServiceContext, e164_local: str) -> str:
    from cs_console.storage.customers import phone_key

    key = phone_key(f"+86{e164_local}", TEST_DATA_KEY)
    return in_clear(one(console, Customer, Customer.phone_key == key)).name


@pytest.fixture
def writes(console: ServiceContext) -> Iterator[JournalledWrites]:
    journal = open_journal(console)
    yield JournalledWrites(console, journal)
    journal.close()


@pytest.fixture
def gate(console: ServiceContext) -> Iterator[ServerGate]:
    gate = ServerGate(console.engine)
    yield gate
    gate.up()


def test_the_replay_keeps_the_stored_name_unless_a_correction_was_chosen(
    console: ServiceContext, agent: Actor, on_file: int, writes: JournalledWrites, gate: ServerGate
) -> None:
    gate.down()
    writes.register_complaint(agent, _second("李娜"))  # nobody could be asked
    writes.register_complaint(
        agent,
        complaint_form(customer_name="张炜", phone=phone(1), tracking_no=tracking(3)),
        name_choice=NameChoice.CORRECTION,  # answered before the server went away
    )
    gate.up()

    report = replay_journal(console, writes.journal, TEST_DATA_KEY)

    assert report.failed == [] and len(report.references) == 2
    first, second = (
        one(console, Complaint, Complaint.reference == ref) for ref in report.references
    )
    assert open_contact_name(first.contact_name, TEST_DATA_KEY) == "李娜"
    assert second.contact_name == ""
    assert _stored_name(console) == "张炜"
    assert count(console, Event, Event.kind == "customer_name_corrected") == 1


def test_online_through_the_journal_the_question_reaches_the_form(
    console: ServiceContext, agent: Actor, on_file: int, writes: JournalledWrites
) -> None:
    with pytest.raises(NameOnFileDiffers):
        writes.register_complaint(agent, _second("李娜"))

    assert writes.journal.entries() == []
    registered = writes.register_complaint(
        agent, _second("李娜"), name_choice=NameChoice.OTHER_PERSON
    )
    assert not registered.pending
    assert _stored_name(console) == "张伟"
