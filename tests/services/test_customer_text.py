"""Customer text is data: escape sequences are stripped on the way in, markup kept literally.

The regression strings are PITFALLS.md's; each goes into every free-text field a service
stores, and comes back from the database (and from the views) exactly as expected.
"""

from __future__ import annotations

import json

import pytest

from cs_console.domain.enums import AttemptOutcome, CompensationKind, ContactType, Role, Severity
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import caller_history, end_call, start_call
from cs_console.services.complaint_progress import hand_over, mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import Callback, CallbackAttempt, Complaint, Contact, Customer, Event
from tests.conftest import add_person

from .helpers import PHONE, complaint_form, in_clear, one, rows

# (typed, stored): markup-like text is kept as typed; escape sequences vanish whole.
INJECTIONS = [
    ("[", "["),
    ("[/]", "[/]"),
    ("[/b]", "[/b]"),
    ("[TODO]", "[TODO]"),
    ("[bold red]x", "[bold red]x"),
    ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    ("[link=http://x]y[/link]", "[link=http://x]y[/link]"),
    (":smile:", ":smile:"),
    ("\x1b[2J", ""),
    ("\x1b]52;c;aGk=\x07", ""),
]
IDS = [typed.encode("unicode_escape").decode() for typed, _ in INJECTIONS]
ALL_TYPED = "".join(typed for typed, _ in INJECTIONS)
ALL_STORED = "".join(stored for _, stored in INJECTIONS)


def _no_escapes(*values: str) -> None:
    for value in values:
        assert "\x1b" not in value and "\x07" not in value, repr(value)


@pytest.mark.parametrize(("typed", "stored"), INJECTIONS, ids=IDS)
def test_complaint_text_fields(
    console: ServiceContext, agent: Actor, typed: str, stored: str
) -> None:
    form = complaint_form(
        customer_name=f"张{typed}伟",
        description=f"描述{typed}\n第二行",
        request=f"诉求：{typed}",
    )

    result = register_complaint(console, agent, form)

    complaint = one(console, Complaint)
    customer = in_clear(one(console, Customer))
    assert customer.name == f"张{stored}伟"
    assert complaint.description == f"描述{stored}\n第二行"
    assert complaint.request == f"诉求：{stored}"
    view = complaint_view(console, agent, result.id)
    assert (view.description, view.request) == (complaint.description, complaint.request)
    assert view.customer.startswith("张")
    _no_escapes(customer.name, complaint.description, complaint.request, view.customer)


def test_every_string_at_once_in_a_complaint(console: ServiceContext, agent: Actor) -> None:
    form = complaint_form(customer_name=ALL_TYPED, description=ALL_TYPED, request=ALL_TYPED)

    register_complaint(console, agent, form)

    complaint = one(console, Complaint)
    assert in_clear(one(console, Customer)).name == ALL_STORED
    assert complaint.description == complaint.request == ALL_STORED


def test_override_reason_and_outlet(console: ServiceContext) -> None:
    counter = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")

    register_complaint(
        console, counter, complaint_form(), override=(Severity.MAJOR, f"原因{ALL_TYPED}")
    )

    complaint = one(console, Complaint)
    assert complaint.severity_override == f"原因{ALL_STORED}"
    override = one(console, Event, Event.kind == "severity_overridden")
    assert json.loads(override.detail)["reason"] == f"原因{ALL_STORED}"


@pytest.mark.parametrize(("typed", "stored"), INJECTIONS, ids=IDS)
def test_call_notes_and_outcome(
    console: ServiceContext, agent: Actor, typed: str, stored: str
) -> None:
    contact_id = start_call(console, agent)

    end_call(
        console,
        agent,
        contact_id,
        contact_type=ContactType.OTHER,
        notes=f"记录{typed}",
        outcome=f"结果{typed}",
    )

    contact = one(console, Contact)
    assert (contact.notes, contact.outcome) == (f"记录{stored}", f"结果{stored}")


@pytest.mark.parametrize(("typed", "stored"), INJECTIONS, ids=IDS)
def test_callback_name_and_notes(
    console: ServiceContext, agent: Actor, typed: str, stored: str
) -> None:
    promise_reply(console, agent, phone=PHONE, name=f"李{typed}", note=f"回电{typed}")
    callback = one(console, Callback)

    record_attempt(console, agent, callback.id, AttemptOutcome.NO_ANSWER, note=f"未接{typed}")

    assert in_clear(one(console, Customer)).name == f"李{stored}"
    assert one(console, Callback).note == f"回电{stored}"
    assert one(console, CallbackAttempt).note == f"未接{stored}"
    assert caller_history(console, agent, phone=PHONE).name_masked.startswith("李")


def test_notes_and_reasons_in_the_history(console: ServiceContext, agent: Actor) -> None:
    add_person(console, "zhou", Role.SPECIALIST, agent_no="5001")
    supervisor = add_person(console, "chen", Role.SUPERVISOR, agent_no="9001")
    result = register_complaint(console, agent, complaint_form())

    mark_verified(console, agent, result.id, note=f"核实{ALL_TYPED}")
    record_resolution(
        console,
        agent,
        result.id,
        kind=CompensationKind.COUPON,
        amount_fen=500,
        accepted=False,
        note=f"协商{ALL_TYPED}",
    )
    hand_over(console, agent, result.id, "zhou", f"转交{ALL_TYPED}")

    details = {e.kind: e.detail for e in complaint_view(console, supervisor, result.id).events}
    assert details["verified"]["note"] == f"核实{ALL_STORED}"
    assert details["negotiation_round"]["note"] == f"协商{ALL_STORED}"
    assert details["handed_over"]["reason"] == f"转交{ALL_STORED}"
    for event in rows(console, Event):
        _no_escapes(*(v for v in json.loads(event.detail).values() if isinstance(v, str)))
