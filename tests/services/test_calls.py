"""A call: start, first answer, the caller's history, and the stored contact."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cs_console.domain.enums import Channel, CompensationKind, ContactType
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import (
    UNKNOWN,
    caller_history,
    end_call,
    mark_answered,
    start_call,
)
from cs_console.services.complaint_progress import record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, NotFound, ServiceContext, ServiceError
from cs_console.storage.caller_complaints import CallerRole
from cs_console.storage.tables import Contact, Customer, Event, Parcel
from tests.conftest import FakeClock, add_person

from .helpers import (
    PHONE,
    TRACKING,
    count,
    delay_form,
    in_clear,
    one,
    phone,
    rows,
    tracking,
)


def _contact(console: ServiceContext, contact_id: int) -> Contact:
    return one(console, Contact, Contact.id == contact_id)


def _end(console: ServiceContext, actor: Actor, contact_id: int, **changes: object) -> None:
    fields: dict[str, object] = {
        "contact_type": ContactType.TRACKING,
        "notes": "客户查询包裹位置，已告知预计明天送达",
        "outcome": "answered",
    }
    fields.update(changes)
    end_call(console, actor, contact_id, **fields)  # type: ignore[arg-type]


# --- start, answer, end ------------------------------------------------------------------


def test_start_call(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    contact_id = start_call(console, agent, Channel.ONLINE)

    contact = _contact(console, contact_id)
    assert (contact.agent_id, contact.channel, contact.started_at) == (
        agent.id,
        "online",
        clock.now,
    )
    assert contact.answered_at is contact.ended_at is contact.contact_type is None
    event = one(console, Event)
    assert (event.kind, event.contact_id, event.actor_id) == ("call_started", contact_id, agent.id)


def test_mark_answered_keeps_the_first_answer(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    contact_id = start_call(console, agent)
    first = clock.now + timedelta(seconds=6)

    mark_answered(console, agent, contact_id, first)
    mark_answered(console, agent, contact_id, first + timedelta(seconds=30))

    assert _contact(console, contact_id).answered_at == first


def test_only_the_agent_on_the_call_may_touch_it(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    colleague = add_person(console, "lisi", agent_no="1025")
    contact_id = start_call(console, agent)

    with pytest.raises(NotFound):
        mark_answered(console, colleague, contact_id, clock.now)
    with pytest.raises(NotFound):
        _end(console, colleague, contact_id)
    with pytest.raises(NotFound):
        _end(console, agent, contact_id + 100)
    assert _contact(console, contact_id).ended_at is None


def test_end_call_stores_the_contact(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    contact_id = start_call(console, agent)
    mark_answered(console, agent, contact_id, clock.now + timedelta(seconds=5))
    clock.advance(minutes=4, seconds=10)

    _end(console, agent, contact_id, contact_type=ContactType.SHIPPING, outcome="已报价")

    contact = _contact(console, contact_id)
    assert contact.ended_at == clock.now
    assert contact.contact_type == "shipping"
    assert contact.notes == "客户查询包裹位置，已告知预计明天送达"
    assert contact.outcome == "已报价"
    assert contact.answered_at == contact.started_at + timedelta(seconds=5)
    event = rows(console, Event, Event.kind == "call_ended")[0]
    assert '"seconds": 250' in event.detail


def test_end_call_without_answer_counts_the_end_as_answer(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    contact_id = start_call(console, agent)
    clock.advance(seconds=40)

    _end(console, agent, contact_id)

    assert _contact(console, contact_id).answered_at == clock.now


def test_end_call_finds_the_caller(console: ServiceContext, agent: Actor) -> None:
    registered = register_complaint(console, agent, delay_form(2))
    contact_id = start_call(console, agent)

    _end(console, agent, contact_id, phone="13812345678", tracking_no=TRACKING.lower())

    contact = _contact(console, contact_id)
    assert contact.customer_id == registered.customer_id
    assert contact.parcel_id == registered.parcel_id


def test_a_call_about_someone_elses_parcel_is_the_callers(
    console: ServiceContext, agent: Actor
) -> None:
    """13955556666 rings about 张伟's parcel: the contact is theirs, the parcel stays his."""
    owners = register_complaint(console, agent, delay_form(2))  # 张伟, 13812345678
    contact_id = start_call(console, agent)

    _end(console, agent, contact_id, phone="13955556666", tracking_no=TRACKING)

    contact = _contact(console, contact_id)
    caller = one(console, Customer, Customer.id == contact.customer_id)
    assert in_clear(caller).phone == "+8613955556666"
    assert contact.customer_id != owners.customer_id
    assert contact.parcel_id == owners.parcel_id
    parcel = one(console, Parcel, Parcel.id == owners.parcel_id)
    assert parcel.customer_id == owners.customer_id  # the sender/recipient is unchanged
    assert caller_history(console, agent, phone=PHONE).contacts == 0  # not 张伟's call


def test_a_call_about_a_parcel_never_seen_puts_it_on_file_for_the_next_call(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    """A tracking query about a parcel nobody asked about before: the contact records the
    parcel (on file now, with no owner: the caller may be neither sender nor recipient);
    the next call about it, from anyone, finds that call; the caller's history says which
    parcel their last call was about; a complaint about it later gives it its owner."""
    number = tracking(7)
    first = start_call(console, agent)
    _end(console, agent, first, phone=phone(1), tracking_no=number.lower())

    parcel = one(console, Parcel, Parcel.tracking_no == number)
    assert parcel.customer_id is None
    assert _contact(console, first).parcel_id == parcel.id
    assert _contact(console, first).customer_id is not None  # the caller, kept by number

    clock.advance(minutes=30)
    second = start_call(console, agent)
    about = caller_history(console, agent, tracking_no=number, contact_id=second)
    assert not about.known  # a tracking number does not say who is calling
    assert about.parcel_contacts == 1 and about.parcel_last is not None
    assert about.parcel_last.contact_type == "tracking"
    assert about.parcel_last.started_at == _contact(console, first).started_at
    callers = caller_history(console, agent, phone=phone(1), contact_id=second)
    assert callers.recent[0].tracking_no == number
    _end(console, agent, second, phone=phone(2), tracking_no=number)
    assert _contact(console, second).parcel_id == parcel.id
    assert count(console, Parcel, Parcel.tracking_no == number) == 1
    assert caller_history(console, agent, tracking_no=number).parcel_contacts == 2

    registered = register_complaint(console, agent, delay_form(2, tracking_no=number))
    assert registered.parcel_id == parcel.id
    owner = one(console, Parcel, Parcel.id == parcel.id).customer_id
    assert owner == registered.customer_id


def test_a_call_with_no_valid_tracking_number_records_no_parcel(
    console: ServiceContext, agent: Actor
) -> None:
    contact_id = start_call(console, agent)
    _end(console, agent, contact_id, phone=PHONE, tracking_no="12")
    assert _contact(console, contact_id).parcel_id is None
    assert count(console, Parcel) == 0


def test_a_complaint_made_for_someone_else_keeps_both_roles(
    console: ServiceContext, agent: Actor
) -> None:
    """The caller on 13955556666 complains for 张伟 (the form has his phone)."""
    contact_id = start_call(console, agent)
    promise_reply(console, agent, phone="13955556666", contact_id=contact_id)
    registered = register_complaint(console, agent, delay_form(2), contact_id=contact_id)

    caller_id = _contact(console, contact_id).customer_id
    _end(console, agent, contact_id, phone="13955556666", contact_type=ContactType.COMPLAINT)

    contact = _contact(console, contact_id)
    assert contact.customer_id == caller_id != registered.customer_id
    assert (contact.parcel_id, contact.contact_type) == (registered.parcel_id, "complaint")
    assert in_clear(one(console, Customer, Customer.id == caller_id)).phone == "+8613955556666"


def test_a_first_call_from_a_new_number_is_known_next_time(
    console: ServiceContext, agent: Actor
) -> None:
    contact_id = start_call(console, agent)
    _end(console, agent, contact_id, contact_type=ContactType.SHIPPING, phone="139 5555 6666")

    history = caller_history(console, agent, phone="13955556666")

    assert history.known
    assert (history.phone_masked, history.contacts) == ("139****6666", 1)
    assert history.recent[0].contact_type == "shipping"
    assert _contact(console, contact_id).customer_id is not None


def test_a_quoted_reference_links_the_call_to_that_complaint_s_customer(
    console: ServiceContext, agent: Actor
) -> None:
    registered = register_complaint(console, agent, delay_form(2))
    contact_id = start_call(console, agent)
    typed = registered.reference.replace("-", "").lower()

    _end(console, agent, contact_id, phone=typed)

    contact = _contact(console, contact_id)
    assert (contact.customer_id, contact.parcel_id) == (
        registered.customer_id,
        registered.parcel_id,
    )


def test_ending_twice_is_refused(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    contact_id = start_call(console, agent)
    _end(console, agent, contact_id)
    ended = _contact(console, contact_id).ended_at
    clock.advance(minutes=1)

    with pytest.raises(ServiceError) as caught:
        _end(console, agent, contact_id, notes="second")

    assert caught.value.code == "call_already_ended"
    contact = _contact(console, contact_id)
    assert (contact.ended_at, contact.notes) == (ended, "客户查询包裹位置，已告知预计明天送达")


def test_notes_longer_than_the_limit_are_refused(console: ServiceContext, agent: Actor) -> None:
    contact_id = start_call(console, agent)
    limit = console.policy.limits.max_description_chars

    with pytest.raises(InvalidInput) as caught:
        _end(console, agent, contact_id, notes="记" * (limit + 1))

    assert caught.value.fields == {"notes": "too_long"}
    assert _contact(console, contact_id).ended_at is None
    _end(console, agent, contact_id, notes="记" * limit)
    assert len(_contact(console, contact_id).notes) == limit


def test_end_call_needs_a_type(console: ServiceContext, agent: Actor) -> None:
    contact_id = start_call(console, agent)

    with pytest.raises(InvalidInput) as caught:
        _end(console, agent, contact_id, contact_type=None)

    assert caught.value.fields == {"contact_type": "required"}


# --- caller history ----------------------------------------------------------------------


def test_unknown_caller(console: ServiceContext, agent: Actor) -> None:
    assert caller_history(console, agent) == UNKNOWN
    assert caller_history(console, agent, phone="12") == UNKNOWN
    history = caller_history(console, agent, phone=PHONE, tracking_no=TRACKING)
    assert (history.known, history.contacts, history.repeat_of) == (False, 0, None)


def test_history_by_phone_and_by_tracking_no(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    first = register_complaint(console, agent, delay_form(2))
    clock.advance(hours=1)
    second = register_complaint(console, agent, delay_form(1, tracking_no=tracking(1)))
    for _ in range(3):
        contact_id = start_call(console, agent)
        _end(console, agent, contact_id, phone=PHONE)
        clock.advance(minutes=10)
    promise_reply(console, agent, phone=PHONE)

    by_phone = caller_history(console, agent, phone="138 1234 5678")
    by_tracking = caller_history(console, agent, tracking_no=tracking(1))

    assert by_phone.known
    assert (by_phone.name_masked, by_phone.phone_masked) == ("张*", "138****5678")
    assert by_phone.contacts == 3
    assert len(by_phone.recent) == 3
    assert by_phone.recent[0].started_at > by_phone.recent[-1].started_at  # newest first
    assert [c.reference for c in by_phone.complaints] == [second.reference, first.reference]
    latest = by_phone.complaints[0]
    assert (latest.category, latest.severity, latest.status) == ("delay", "major", "registered")
    assert {c.role for c in by_phone.complaints} == {CallerRole.COMPLAINANT}
    assert by_phone.open_complaints == 2
    assert by_phone.pending_callbacks == 1
    assert by_phone.repeat_of == first.reference
    assert not by_phone.repeat_by_parcel
    # A tracking number alone does not say who is calling: the parcel's complaint is
    # listed as the parcel's, and nobody's history is shown as the caller's.
    assert not by_tracking.known and by_tracking.contacts == 0
    assert [(c.reference, c.role) for c in by_tracking.complaints] == [
        (second.reference, CallerRole.PARCEL)
    ]
    assert by_tracking.repeat_of == second.reference and by_tracking.repeat_by_parcel


def test_a_complaint_registered_in_this_call_is_told_apart(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    """Saved during the call: named as registered now, not as history; the call itself is
    not a past contact. The repeat rule still applies to a next complaint."""
    contact_id = start_call(console, agent)
    registered = register_complaint(console, agent, delay_form(2), contact_id=contact_id)
    assert registered.repeat_of is None

    during = caller_history(console, agent, phone=PHONE, contact_id=contact_id)
    assert during.registered_now == (registered.reference,)
    assert [(c.reference, c.this_call) for c in during.complaints] == [(registered.reference, True)]
    assert during.repeat_of == registered.reference  # what a next complaint would repeat
    assert (during.contacts, during.recent) == (0, ())

    second = register_complaint(
        console, agent, delay_form(1, tracking_no=tracking(1)), contact_id=contact_id
    )
    assert second.repeat_of == registered.reference
    assert second.classification.severity.value == "major"
    both = caller_history(console, agent, phone=PHONE, contact_id=contact_id)
    assert both.registered_now == (registered.reference, second.reference)

    _end(console, agent, contact_id, phone=PHONE, contact_type=ContactType.COMPLAINT)
    clock.advance(minutes=5)
    later = caller_history(console, agent, phone=PHONE, contact_id=start_call(console, agent))
    assert later.registered_now == () and later.repeat_of == registered.reference
    assert not any(c.this_call for c in later.complaints)
    assert later.contacts == 1 and later.recent[0].contact_type == "complaint"


def test_history_by_a_quoted_reference_with_or_without_dashes(
    console: ServiceContext, agent: Actor
) -> None:
    first = register_complaint(console, agent, delay_form(2))
    typed = ["c" + first.reference[2:].replace("-", ""), f" {first.reference} "]

    for text in typed:
        history = caller_history(console, agent, phone=text)
        assert history.known and history.phone_masked == "138****5678"
        assert history.found is not None and history.found.id == first.id
        assert [c.reference for c in history.complaints] == [first.reference]
    missing = caller_history(console, agent, phone="C-20200101-0001")
    assert (missing.known, missing.found, missing.reference_missing) == (
        False,
        None,
        "C-20200101-0001",
    )


def test_history_repeat_clears_once_resolved(console: ServiceContext, agent: Actor) -> None:
    first = register_complaint(console, agent, delay_form(2))
    assert caller_history(console, agent, phone=PHONE).repeat_of == first.reference

    record_resolution(
        console, agent, first.id, kind=CompensationKind.COUPON, amount_fen=1000, accepted=True
    )

    history = caller_history(console, agent, phone=PHONE)
    assert history.repeat_of is None
    assert history.open_complaints == 1  # resolved, but not closed until the follow-up
    assert history.pending_callbacks == 1  # the follow-up


def test_tracking_no_of_another_caller_names_the_repeat(
    console: ServiceContext, agent: Actor
) -> None:
    first = register_complaint(console, agent, delay_form(2))

    history = caller_history(console, agent, phone=phone(5), tracking_no=TRACKING)

    # A new caller about a parcel with an open complaint: the repeat is the parcel's,
    # and the parcel's customer is not shown as the caller.
    assert history.repeat_of == first.reference and history.repeat_by_parcel
    assert not history.known
    assert [(c.reference, c.role) for c in history.complaints] == [
        (first.reference, CallerRole.PARCEL)
    ]


def test_the_sender_or_recipient_sees_complaints_about_their_parcels(
    console: ServiceContext, agent: Actor
) -> None:
    owners = register_complaint(console, agent, delay_form(2))  # 13812345678 owns TRACKING
    others = register_complaint(console, agent, delay_form(1, phone=phone(7)))

    history = caller_history(console, agent, phone=PHONE)

    assert [(c.reference, c.role) for c in history.complaints] == [
        (others.reference, CallerRole.PARTY),
        (owners.reference, CallerRole.COMPLAINANT),
    ]
    assert history.open_complaints == 1  # their own


def test_history_does_not_count_other_callers(console: ServiceContext, agent: Actor) -> None:
    register_complaint(console, agent, delay_form(2))
    register_complaint(console, agent, delay_form(2, phone=phone(1), tracking_no=tracking(1)))

    history = caller_history(console, agent, phone=phone(1))

    assert len(history.complaints) == 1
    assert history.complaints[0].role is CallerRole.COMPLAINANT
    assert count(console, Contact) == 0
