"""register_complaint: classification, clocks, compensation, references and what is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col

from cs_console.domain.classification import SeverityReason
from cs_console.domain.enums import (
    Channel,
    ClockKind,
    CompensationKind,
    ComplaintStatus,
    ContactType,
    NameChoice,
    Role,
    Severity,
)
from cs_console.services.calls import end_call, start_call
from cs_console.services.complaint_progress import record_resolution
from cs_console.services.complaints import (
    WORKSPACE_DRAFT,
    NameOnFileDiffers,
    find_repeat,
    register_complaint,
)
from cs_console.services.context import Actor, InvalidInput, PermissionDenied, ServiceContext
from cs_console.services.drafts import load_draft, save_draft
from cs_console.storage.tables import (
    Complaint,
    Contact,
    Customer,
    Event,
    Parcel,
    ReferenceCounter,
)
from tests.conftest import TEST_DATA_KEY, FakeClock, add_person
from tests.injections import NO_VISIBLE_WORDS

from .helpers import (
    PHONE,
    TRACKING,
    complaint_form,
    count,
    damage_form,
    delay_form,
    distinct_form,
    in_clear,
    loss_form,
    one,
    phone,
    rows,
    tracking,
)


def _complaint(console: ServiceContext, complaint_id: int) -> Complaint:
    return one(console, Complaint, Complaint.id == complaint_id)


# --- a general complaint in full ---------------------------------------------------------


def test_general_delay_complaint(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    result = register_complaint(console, agent, delay_form(2))

    assert result.reference == "C-20261122-0001"  # 06:00 UTC is 14:00 in Shanghai
    assert result.classification.severity is Severity.GENERAL
    assert result.classification.reasons == (SeverityReason.GENERAL,)
    assert (result.verify.kind, result.verify.due) == (
        ClockKind.VERIFY,
        clock.now + timedelta(hours=1),
    )
    assert (result.resolve.kind, result.resolve.due) == (
        ClockKind.RESOLVE,
        clock.now + timedelta(hours=24),
    )
    assert (result.suggestion.kind, result.suggestion.amount_fen) == (CompensationKind.COUPON, 1000)

    stored = _complaint(console, result.id)
    assert stored.reference == result.reference
    assert (stored.category, stored.severity, stored.status) == ("delay", "general", "registered")
    assert stored.severity_reasons == "general"
    assert (stored.severity_override, stored.repeat_of) == ("", None)
    assert stored.owner_id == agent.id
    assert stored.channel == "phone"
    assert stored.days_late == 2
    assert stored.registered_at == clock.now
    assert stored.verify_due == clock.now + timedelta(hours=1)
    assert stored.resolve_due == clock.now + timedelta(hours=24)
    assert (stored.compensation_kind, stored.compensation_fen) == ("coupon", 1000)
    assert (stored.description, stored.request) == ("包裹比承诺晚到两天", "尽快派送并道歉")
    assert stored.verified_at is stored.resolved_at is stored.followup_due is None
    assert stored.version == 1


@pytest.mark.parametrize("number", ["JT1234567890123", "EA123456789CN"])
def test_a_complaint_about_another_carriers_parcel_is_refused(
    console: ServiceContext, agent: Actor, number: str
) -> None:
    # The parcel box said "极兔速递's number, not ours", yet the form saved a major loss on it.
    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, delay_form(2, tracking_no=number))
    assert caught.value.fields == {"tracking_no": "tracking_not_ours"}
    assert count(console, Complaint) == 0


def test_another_carriers_parcel_is_told_with_the_forms_other_errors(
    console: ServiceContext, agent: Actor
) -> None:
    # It was told only once the rest of the form was right: a second round for the agent.
    form = delay_form(2, tracking_no="JT1234567890123", description="")
    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, form)
    assert caught.value.fields["tracking_no"] == "tracking_not_ours"
    assert "description" in caught.value.fields


def test_registration_records_an_event(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    result = register_complaint(console, agent, delay_form(2))

    event = one(console, Event, Event.complaint_id == result.id)
    assert (event.kind, event.actor_id, event.at) == ("registered", agent.id, clock.now)
    assert '"severity": "general"' in event.detail


def test_customer_and_parcel_rows(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    result = register_complaint(console, agent, delay_form(2, phone="138 1234-5678"))

    stored_customer = one(console, Customer)
    customer = in_clear(stored_customer)
    parcel = one(console, Parcel)
    assert (customer.name, customer.phone) == ("张伟", "+8613812345678")
    assert stored_customer.phone_key == TEST_DATA_KEY.lookup_hash("+8613812345678")
    assert stored_customer.created_at == clock.now
    assert (parcel.tracking_no, parcel.customer_id) == (TRACKING, customer.id)
    stored = _complaint(console, result.id)
    assert (stored.customer_id, stored.parcel_id) == (customer.id, parcel.id)


def test_customer_and_parcel_are_created_once_and_reused(
    console: ServiceContext, agent: Actor
) -> None:
    first = register_complaint(console, agent, delay_form(2, tracking_no="sf 1311-2345-67890"))
    second = register_complaint(console, agent, delay_form(1, phone="+86 138 1234 5678"))
    third = register_complaint(
        console, agent, delay_form(1, phone=phone(7), customer_name="王五", tracking_no=TRACKING)
    )

    assert count(console, Customer) == 2
    assert count(console, Parcel) == 1
    a, b, c = (_complaint(console, r.id) for r in (first, second, third))
    assert a.customer_id == b.customer_id != c.customer_id
    assert a.parcel_id == b.parcel_id == c.parcel_id


def test_a_newly_given_name_replaces_the_old_one_only_as_a_correction(
    console: ServiceContext, agent: Actor
) -> None:
    register_complaint(console, agent, delay_form(2, customer_name="张先生"))
    other = delay_form(2, customer_name="张伟", tracking_no=tracking(1))
    with pytest.raises(NameOnFileDiffers):  # never silently (tests/services/test_names_on_file)
        register_complaint(console, agent, other)
    register_complaint(console, agent, other, name_choice=NameChoice.CORRECTION)

    assert in_clear(one(console, Customer)).name == "张伟"


# --- severity ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "severity", "reasons", "verify_hours", "resolve_hours"),
    [
        (delay_form(1), Severity.GENERAL, ("general",), 1, 24),
        (delay_form(2), Severity.GENERAL, ("general",), 1, 24),
        (delay_form(3), Severity.MAJOR, ("delay_days",), 6, 48),
        (loss_form("300"), Severity.MAJOR, ("loss",), 6, 48),
        (damage_form("500"), Severity.MAJOR, ("damage_value",), 6, 48),
        (damage_form("499.99"), Severity.GENERAL, ("general",), 1, 24),
        (damage_form("800", item_damaged=False), Severity.GENERAL, ("general",), 1, 24),
        (complaint_form(category="attitude", days_late=""), Severity.GENERAL, ("general",), 1, 24),
    ],
    ids=[
        "1-day",
        "2-days",
        "3-days",
        "loss",
        "damage-500",
        "damage-499.99",
        "packaging-only",
        "attitude",
    ],
)
def test_severity_and_clocks(
    console: ServiceContext,
    clock: FakeClock,
    agent: Actor,
    form,  # type: ignore[no-untyped-def]
    severity: Severity,
    reasons: tuple[str, ...],
    verify_hours: int,
    resolve_hours: int,
) -> None:
    result = register_complaint(console, agent, form)

    assert result.classification.severity is severity
    assert tuple(r.value for r in result.classification.reasons) == reasons
    stored = _complaint(console, result.id)
    assert stored.severity == severity.value
    assert stored.severity_reasons == ",".join(reasons)
    assert stored.verify_due - stored.registered_at == timedelta(hours=verify_hours)
    assert stored.resolve_due - stored.registered_at == timedelta(hours=resolve_hours)


@pytest.mark.parametrize(
    ("form", "kind", "amount_fen"),
    [
        (delay_form(1), "coupon", 500),
        (delay_form(4), "coupon", 1500),
        (delay_form(9), "coupon", 2000),
        (loss_form("800"), "declared_value", 50000),  # uninsured: at most 500 yuan
        (loss_form("800", insured=True, insured_amount="1000"), "insured_amount", 100000),
        (damage_form("30"), "declared_value", 6000),  # never less than 3 x the 20 yuan fee
        (damage_form("300", repairable=True), "repair", None),
    ],
)
def test_compensation_suggestion_is_stored(
    console: ServiceContext,
    agent: Actor,
    form,  # type: ignore[no-untyped-def]
    kind: str,
    amount_fen: int | None,
) -> None:
    result = register_complaint(console, agent, form)

    assert (result.suggestion.kind.value, result.suggestion.amount_fen) == (kind, amount_fen)
    stored = _complaint(console, result.id)
    assert (stored.compensation_kind, stored.compensation_fen) == (kind, amount_fen)


def test_money_and_flags_are_stored_in_fen(console: ServiceContext, agent: Actor) -> None:
    form = damage_form("1,234.5", insured=True, insured_amount="2000", repairable=True)
    stored = _complaint(console, register_complaint(console, agent, form).id)

    assert (stored.declared_value_fen, stored.insured_amount_fen, stored.shipping_fee_fen) == (
        123450,
        200000,
        2000,
    )
    assert (stored.insured, stored.item_damaged, stored.repairable) == (True, True, True)


# --- the repeat rule ---------------------------------------------------------------------


def test_second_complaint_same_phone_is_a_major_repeat(
    console: ServiceContext, agent: Actor
) -> None:
    first = register_complaint(console, agent, delay_form(1))

    second = register_complaint(console, agent, delay_form(1, tracking_no=tracking(2)))

    assert second.classification.severity is Severity.MAJOR
    assert second.classification.reasons == (SeverityReason.REPEAT,)
    stored = _complaint(console, second.id)
    assert (stored.severity, stored.severity_reasons) == ("major", "repeat")
    assert stored.repeat_of == first.reference
    assert stored.verify_due - stored.registered_at == timedelta(hours=6)
    assert (
        '"repeat_of": "' + first.reference
        in one(console, Event, Event.complaint_id == second.id).detail
    )


def test_second_complaint_same_tracking_no_is_a_major_repeat(
    console: ServiceContext, agent: Actor
) -> None:
    first = register_complaint(console, agent, delay_form(1))

    second = register_complaint(console, agent, delay_form(1, phone=phone(3)))

    assert second.classification.severity is Severity.MAJOR
    assert _complaint(console, second.id).repeat_of == first.reference
    assert find_repeat(console, agent, "", TRACKING) == first.reference  # the oldest open one


def test_repeat_names_every_reason(console: ServiceContext, agent: Actor) -> None:
    register_complaint(console, agent, delay_form(1))

    second = register_complaint(console, agent, loss_form())

    assert second.classification.reasons == (SeverityReason.LOSS, SeverityReason.REPEAT)


def test_no_repeat_after_the_first_is_resolved(console: ServiceContext, agent: Actor) -> None:
    first = register_complaint(console, agent, delay_form(1))
    record_resolution(
        console, agent, first.id, kind=CompensationKind.COUPON, amount_fen=500, accepted=True
    )

    assert find_repeat(console, agent, PHONE, TRACKING) is None

    second = register_complaint(console, agent, delay_form(1))

    assert second.classification.severity is Severity.GENERAL
    assert _complaint(console, second.id).repeat_of is None


def test_unrelated_caller_is_no_repeat(console: ServiceContext, agent: Actor) -> None:
    register_complaint(console, agent, delay_form(1))

    other = register_complaint(console, agent, distinct_form(9, days_late="1"))

    assert other.classification.severity is Severity.GENERAL
    assert find_repeat(console, agent, phone(10), tracking(10)) is None
    assert find_repeat(console, agent, "", "") is None


# --- overriding the severity -------------------------------------------------------------


def test_override_with_a_reason(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    result = register_complaint(
        console, agent, delay_form(2), override=(Severity.MAJOR, "  客户情绪激动，媒体关注  ")
    )

    assert result.classification.severity is Severity.MAJOR
    stored = _complaint(console, result.id)
    assert (stored.severity, stored.severity_override) == ("major", "客户情绪激动，媒体关注")
    assert stored.verify_due == clock.now + timedelta(hours=6)
    events = rows(console, Event, Event.complaint_id == result.id)
    assert [e.kind for e in events] == ["registered", "severity_overridden"]
    assert '"classified": "general"' in events[1].detail
    assert '"chosen": "major"' in events[1].detail
    assert "客户情绪激动" in events[1].detail


def test_override_down_to_general(console: ServiceContext, clock: FakeClock, agent: Actor) -> None:
    override = (Severity.GENERAL, "客户确认误报")
    result = register_complaint(console, agent, delay_form(3), override=override)

    stored = _complaint(console, result.id)
    assert stored.severity == "general"
    assert stored.verify_due == clock.now + timedelta(hours=1)


@pytest.mark.parametrize("reason", ["", "   "])
def test_override_without_a_reason_is_refused(
    console: ServiceContext, agent: Actor, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, delay_form(2), override=(Severity.MAJOR, reason))

    assert caught.value.fields == {"severity": "override_reason_required"}
    assert count(console, Complaint) == 0


@pytest.mark.parametrize("reason", [*NO_VISIBLE_WORDS, "误报"])  # or one word
def test_an_override_reason_of_invisible_characters_or_markup_is_refused(
    console: ServiceContext, agent: Actor, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, delay_form(2), override=(Severity.MAJOR, reason))

    assert caught.value.fields == {"severity": "reason_too_vague"}
    assert count(console, Complaint) == 0


def test_override_reason_longer_than_its_column_is_refused(
    console: ServiceContext, agent: Actor
) -> None:
    with pytest.raises(InvalidInput) as caught:
        override = (Severity.MAJOR, "原因说明" * 126)
        register_complaint(console, agent, delay_form(2), override=override)

    assert caught.value.fields == {"severity": "too_long"}
    assert count(console, Complaint) == 0


# --- invalid input writes nothing --------------------------------------------------------


def _nothing_written(console: ServiceContext) -> None:
    for model in (Complaint, Customer, Parcel, Event, ReferenceCounter):
        assert count(console, model) == 0, model.__name__


def test_empty_form_names_every_required_field(console: ServiceContext, agent: Actor) -> None:
    from cs_console.domain.complaint_entry import ComplaintForm

    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, ComplaintForm())

    assert caught.value.code == "invalid_input"
    assert caught.value.fields == {
        "customer_name": "required",
        "phone": "required",
        "tracking_no": "required",
        "category": "required",
        "description": "required",
        "request": "required",
    }
    _nothing_written(console)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"phone": "12345"}, {"phone": "phone_invalid"}),
        ({"tracking_no": "ABC"}, {"tracking_no": "tracking_invalid"}),
        ({"category": "weather"}, {"category": "category_invalid"}),
        ({"days_late": ""}, {"days_late": "required"}),
        ({"days_late": "0"}, {"days_late": "no_days_late"}),
        ({"days_late": "2.5"}, {"days_late": "not_whole_days"}),
        ({"days_late": "-1"}, {"days_late": "negative"}),
        ({"declared_value": "abc"}, {"declared_value": "not_a_number"}),
        ({"insured": True}, {"insured_amount": "insured_amount_required"}),
        ({"description": "长" * 4001}, {"description": "too_long"}),
        ({"customer_name": "名" * 201}, {"customer_name": "too_long"}),
        ({"channel": "fax"}, {"channel": "required"}),
        ({"phone": "", "request": " "}, {"phone": "required", "request": "required"}),
    ],
)
def test_invalid_form_raises_with_field_codes(
    console: ServiceContext, agent: Actor, changes: dict[str, object], fields: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, complaint_form(**changes))

    assert caught.value.fields == fields
    _nothing_written(console)


def test_outlet_too_long_for_its_column_is_refused(console: ServiceContext, agent: Actor) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_complaint(console, agent, complaint_form(channel="walk_in", outlet="网" * 51))

    assert caught.value.fields == {"outlet": "too_long"}
    _nothing_written(console)


def test_admin_cannot_register(console: ServiceContext) -> None:
    admin = add_person(console, "root", Role.ADMIN, agent_no="0001")

    with pytest.raises(PermissionDenied):
        register_complaint(console, admin, delay_form(2))
    _nothing_written(console)


def test_unknown_contact_is_refused(console: ServiceContext, agent: Actor) -> None:
    from cs_console.services.context import NotFound

    with pytest.raises(NotFound):
        register_complaint(console, agent, delay_form(2), contact_id=999)
    _nothing_written(console)


# --- outlets, drafts and contacts --------------------------------------------------------


def test_outlet_role_forces_walk_in_and_its_outlet(console: ServiceContext) -> None:
    counter = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")

    result = register_complaint(
        console, counter, delay_form(2, channel="online", outlet="别的网点")
    )

    stored = _complaint(console, result.id)
    assert (stored.channel, stored.outlet) == ("walk_in", "浦东网点")
    assert stored.owner_id == counter.id


def test_agent_keeps_channel_and_outlet_typed(console: ServiceContext, agent: Actor) -> None:
    result = register_complaint(console, agent, delay_form(2, channel="online", outlet="  "))

    stored = _complaint(console, result.id)
    assert (stored.channel, stored.outlet) == ("online", "")


def test_workspace_draft_is_deleted_on_save(console: ServiceContext, agent: Actor) -> None:
    other = add_person(console, "lisi", agent_no="1025")
    save_draft(console, agent, WORKSPACE_DRAFT, {"customer_name": "张伟"})
    save_draft(console, agent, "callback_note", {"note": "keep"})
    save_draft(console, other, WORKSPACE_DRAFT, {"customer_name": "别人的"})

    register_complaint(console, agent, delay_form(2))

    assert load_draft(console, agent, WORKSPACE_DRAFT) is None
    assert load_draft(console, agent, "callback_note") is not None
    assert load_draft(console, other, WORKSPACE_DRAFT) is not None


def test_draft_survives_a_refused_registration(console: ServiceContext, agent: Actor) -> None:
    save_draft(console, agent, WORKSPACE_DRAFT, {"customer_name": "张伟"})

    with pytest.raises(InvalidInput):
        register_complaint(console, agent, complaint_form(phone="1"))

    assert load_draft(console, agent, WORKSPACE_DRAFT) is not None


def test_contact_is_linked_and_typed_complaint(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    contact_id = start_call(console, agent, Channel.PHONE)
    clock.advance(minutes=3)

    result = register_complaint(console, agent, delay_form(2), contact_id=contact_id)
    end_call(
        console,
        agent,
        contact_id,
        contact_type=ContactType.TRACKING,
        notes="登记投诉",
        outcome="registered",
    )

    stored = _complaint(console, result.id)
    contact = one(console, Contact, Contact.id == contact_id)
    assert stored.contact_id == contact_id
    assert (contact.customer_id, contact.parcel_id) == (stored.customer_id, stored.parcel_id)
    assert contact.contact_type == "complaint"  # a registered complaint wins over the type chosen


def test_resolution_of_unknown_complaint_is_not_found(
    console: ServiceContext, agent: Actor
) -> None:
    from cs_console.services.context import NotFound

    with pytest.raises(NotFound):
        record_resolution(
            console, agent, 12345, kind=CompensationKind.APOLOGY, amount_fen=None, accepted=True
        )


def test_statuses_are_the_domain_values(console: ServiceContext, agent: Actor) -> None:
    register_complaint(console, agent, delay_form(2))

    statuses = {c.status for c in rows(console, Complaint, col(Complaint.id) > 0)}
    assert statuses <= {s.value for s in ComplaintStatus}
