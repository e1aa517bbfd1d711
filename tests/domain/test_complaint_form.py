"""The registration form: drafts, the live preview and the strict check."""

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.complaint_entry import (
    FORM_FIELDS,
    ComplaintFacts,
    ComplaintForm,
    check_complaint_form,
    facts_from_form,
    from_payload,
    to_payload,
)
from cs_console.domain.enums import Category, Channel
from cs_console.domain.validation import FieldError

LIMITS = default_policy().limits
GOOD = ComplaintForm(
    customer_name=" 张伟 ",
    phone="138 1234 5678",
    tracking_no="sf 1311-2345-67890",
    category="damage",
    declared_value="500",
    shipping_fee="¥18",
    item_damaged=True,
    description="外箱破损，\n花瓶碎了 [TODO]",
    request="按申报价值赔偿",
    channel="walk_in",
    outlet="深圳南山网点",
)
forms = st.builds(
    ComplaintForm,
    **{
        name: st.booleans() if isinstance(getattr(ComplaintForm(), name), bool) else st.text()
        for name in FORM_FIELDS
    },
)


def check(form: ComplaintForm, repeat_of: str | None = None):
    return check_complaint_form(form, LIMITS, repeat_of)


def errors_of(**changes: object) -> dict[str, str]:
    return check(dataclasses.replace(GOOD, **changes))[1]


def test_form_fields_are_in_form_order() -> None:
    assert FORM_FIELDS[:4] == ("customer_name", "phone", "tracking_no", "category")
    assert FORM_FIELDS[-2:] == ("channel", "outlet")
    assert len(FORM_FIELDS) == 15


def test_a_good_form_gives_a_valid_complaint() -> None:
    valid, errors = check(GOOD, repeat_of="C-7")
    assert errors == {}
    assert valid is not None
    assert (valid.customer_name, valid.phone, valid.tracking_no) == (
        "张伟",
        "+8613812345678",
        "SF1311234567890",
    )
    assert valid.description == "外箱破损，\n花瓶碎了 [TODO]"
    assert valid.channel is Channel.WALK_IN
    assert valid.facts == ComplaintFacts(
        Category.DAMAGE,
        declared_value_fen=50000,
        shipping_fee_fen=1800,
        item_damaged=True,
        repeat_of="C-7",
    )


def test_an_empty_form_names_every_required_field() -> None:
    valid, errors = check(ComplaintForm())
    assert valid is None
    required = ("customer_name", "phone", "tracking_no", "category", "description", "request")
    assert errors == dict.fromkeys(required, FieldError.REQUIRED)


def test_text_is_cleaned_of_escapes_and_lines_flattened() -> None:
    valid, _ = check(
        dataclasses.replace(
            GOOD, customer_name="[bold red]x\x1b]52;c;aGk=\x07\n张", request="\x1b[2J退款"
        )
    )
    assert valid is not None
    assert valid.customer_name == "[bold red]x 张"
    assert valid.request == "退款"


def test_escape_only_text_counts_as_empty() -> None:
    assert errors_of(customer_name="\x1b[2J ") == {"customer_name": FieldError.REQUIRED}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"description": "x" * 10_000}, {"description": FieldError.TOO_LONG}),
        ({"request": "诉" * 4001}, {"request": FieldError.TOO_LONG}),
        ({"customer_name": "名" * 201}, {"customer_name": FieldError.TOO_LONG}),
        ({"outlet": "o" * 201}, {"outlet": FieldError.TOO_LONG}),
        ({"phone": "12345"}, {"phone": FieldError.PHONE_INVALID}),
        ({"tracking_no": "SF123"}, {"tracking_no": FieldError.TRACKING_INVALID}),
        ({"category": "bogus"}, {"category": FieldError.CATEGORY_INVALID}),
        ({"channel": "fax"}, {"channel": FieldError.REQUIRED}),
        ({"declared_value": ""}, {"declared_value": FieldError.REQUIRED}),
        ({"declared_value": "12.345"}, {"declared_value": FieldError.NOT_A_NUMBER}),
        ({"shipping_fee": ""}, {"shipping_fee": FieldError.REQUIRED}),
        ({"shipping_fee": "-5"}, {"shipping_fee": FieldError.NEGATIVE}),
        ({"days_late": "abc"}, {"days_late": FieldError.NOT_WHOLE_DAYS}),
        ({"insured": True}, {"insured_amount": FieldError.INSURED_AMOUNT_REQUIRED}),
        ({"insured": True, "insured_amount": "0"}, {"insured_amount": "insured_amount_required"}),
        ({"insured": True, "insured_amount": "abc"}, {"insured_amount": FieldError.NOT_A_NUMBER}),
        ({"insured": True, "insured_amount": "2000"}, {}),
        ({"insured_amount": "abc"}, {}),  # not insured: the amount is ignored
        ({"outlet": ""}, {}),
    ],
)
def test_field_errors(changes: dict[str, object], errors: dict[str, str]) -> None:
    assert errors_of(**changes) == errors


@pytest.mark.parametrize(
    ("days", "error"),
    [
        ("", "required"),
        ("0", "no_days_late"),
        ("10000", "too_many_days"),
        ("2.5", "not_whole_days"),
    ],
)
def test_a_delay_needs_whole_days_late(days: str, error: str) -> None:
    assert errors_of(category="delay", days_late=days, shipping_fee="", declared_value="") == {
        "days_late": error
    }


def test_a_loss_needs_the_declared_value_but_no_fee() -> None:
    assert errors_of(category="loss", declared_value="", shipping_fee="") == {
        "declared_value": FieldError.REQUIRED
    }


def test_attitude_needs_no_numbers() -> None:
    valid, errors = check(
        dataclasses.replace(GOOD, category="attitude", declared_value="", shipping_fee="")
    )
    assert errors == {}
    assert valid is not None and valid.facts.declared_value_fen == 0


def test_facts_from_form_is_lenient() -> None:
    assert facts_from_form(ComplaintForm(), LIMITS) is None
    assert facts_from_form(ComplaintForm(category="bogus"), LIMITS) is None
    typing = ComplaintForm(
        category="delay", days_late="3天", declared_value="abc", insured_amount="9"
    )
    assert facts_from_form(typing, LIMITS, repeat_of="C-1") == ComplaintFacts(
        Category.DELAY, days_late=3, repeat_of="C-1"
    )
    insured = dataclasses.replace(typing, insured=True)
    assert facts_from_form(insured, LIMITS).insured_amount_fen == 900


@given(forms)
def test_check_never_raises_and_agrees_with_the_preview(form: ComplaintForm) -> None:
    valid, errors = check(form)
    assert (valid is None) == bool(errors)
    assert set(errors) <= set(FORM_FIELDS)
    assert all(isinstance(error, FieldError) for error in errors.values())
    if valid is not None:
        assert valid.facts == facts_from_form(form, LIMITS)


@given(forms)
def test_draft_payload_round_trips_through_json(form: ComplaintForm) -> None:
    payload = to_payload(form)
    assert set(payload) == set(FORM_FIELDS)
    assert from_payload(json.loads(json.dumps(payload))) == form


@given(
    st.none()
    | st.integers()
    | st.lists(st.text())
    | st.dictionaries(
        st.sampled_from(FORM_FIELDS) | st.text(),
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text()
        | st.lists(st.integers()),
    )
)
def test_from_payload_never_raises(payload: object) -> None:
    form = from_payload(payload)
    for name in FORM_FIELDS:
        assert type(getattr(form, name)) is type(getattr(ComplaintForm(), name))


def test_from_payload_ignores_unknown_keys_and_wrong_types() -> None:
    payload = {"customer_name": "张伟", "phone": 13812345678, "insured": "yes", "x": 1}
    assert from_payload(payload) == ComplaintForm(customer_name="张伟")


def test_enum_values_are_stored_as_plain_text() -> None:
    payload = to_payload(ComplaintForm(category=Category.LOSS, channel=Channel.ONLINE))
    assert type(payload["category"]) is str and payload["category"] == "loss"
    assert from_payload(payload).channel == "online"
