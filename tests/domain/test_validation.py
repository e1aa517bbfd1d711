"""Single typed values: phone numbers, tracking numbers, money, days, lengths."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.validation import (
    FieldError,
    check_length,
    normalize_phone,
    normalize_reference,
    normalize_tracking_no,
    parse_days,
    parse_money_fen,
    tracking_not_phone,
)

LIMITS = default_policy().limits


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("0086 13812345678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),
        (" 19912345678 ", "+8619912345678"),
        ("010-12345678", "+861012345678"),
        ("(010) 1234-5678", "+861012345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 650 253 0000", "+16502530000"),
        ("+852 2123 4567", "+85221234567"),
    ],
)
def test_valid_phone_numbers_become_e164(typed: str, e164: str) -> None:
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "12345",
        "1381234567",  # one digit short
        "12345678901",  # no such mainland range
        "138abcd5678",  # letters would be read as a vanity number
        "+44 20 7946",
        "+999 12345678",
        "not a phone",
        "\x1b[2J13812345678x",
    ],
)
def test_invalid_phone_numbers_are_rejected(typed: str) -> None:
    assert normalize_phone(typed) is None


def test_national_number_is_read_in_the_given_region() -> None:
    assert normalize_phone("020 7946 0958", region="GB") == "+442079460958"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("SF1311234567890", "SF1311234567890"),
        ("YT1234567890123", "YT1234567890123"),
        ("773012345678901", "773012345678901"),
        ("JDVA12345678901", "JDVA12345678901"),
        ("sf 1311-2345-67890", "SF1311234567890"),
        ("ＳＦ１３１１２３４５６７８９０", "SF1311234567890"),
        ("1234567890", "1234567890"),
        ("EA123456789CN", "EA123456789CN"),
    ],
)
def test_valid_tracking_numbers(typed: str, normalised: str) -> None:
    assert normalize_tracking_no(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "SF123",
        "12345678",  # too short in all
        "ABCDE12345678",  # five letters
        "SF12345678901234567890123",  # too long
        "SF1311234567890ABC",  # three trailing letters
        "SF13112X4567890",
        "[TODO]",
    ],
)
def test_invalid_tracking_numbers(typed: str) -> None:
    assert normalize_tracking_no(typed) is None


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("12.05", 1205),
        ("0", 0),
        (".5", 50),
        ("¥12", 1200),
        ("￥12", 1200),
        ("12元", 1200),
        ("1,200", 120000),
        ("123,456.78", 12345678),
        ("１２", 1200),
        ("１２．５", 1250),
        (" 499.99 ", 49999),
        ("1000000", 100000000),
    ],
)
def test_money_is_parsed_into_fen(typed: str, fen: int) -> None:
    assert parse_money_fen(typed, LIMITS) == (fen, None)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", FieldError.REQUIRED),
        ("  ", FieldError.REQUIRED),
        ("-5", FieldError.NEGATIVE),
        ("¥-5", FieldError.NEGATIVE),
        ("－５", FieldError.NEGATIVE),
        ("1e9", FieldError.NOT_A_NUMBER),
        ("12.345", FieldError.NOT_A_NUMBER),
        ("abc", FieldError.NOT_A_NUMBER),
        ("12,00", FieldError.NOT_A_NUMBER),
        ("12.", FieldError.NOT_A_NUMBER),
        ("1000000.01", FieldError.TOO_LARGE),
        ("9" * 5000, FieldError.TOO_LARGE),
    ],
)
def test_bad_money_is_refused(typed: str, error: FieldError) -> None:
    assert parse_money_fen(typed, LIMITS) == (None, error)


@given(st.integers(min_value=0, max_value=LIMITS.max_amount_fen))
def test_money_round_trips_through_its_display_forms(fen: int) -> None:
    yuan, cents = divmod(fen, 100)
    assert parse_money_fen(f"{yuan}.{cents:02d}", LIMITS) == (fen, None)
    assert parse_money_fen(f"¥{yuan:,}.{cents:02d}", LIMITS) == (fen, None)


@given(st.text())
def test_parsers_never_raise(typed: str) -> None:
    fen, error = parse_money_fen(typed, LIMITS)
    assert (fen is None) != (error is None)
    days, error = parse_days(typed, LIMITS)
    assert (days is None) != (error is None)
    normalize_phone(typed)
    normalize_tracking_no(typed)


@pytest.mark.parametrize(
    ("typed", "days"),
    [("0", 0), ("3", 3), (" 3 ", 3), ("3天", 3), ("３", 3), ("3.0", 3), ("365", 365)],
)
def test_days_are_parsed(typed: str, days: int) -> None:
    assert parse_days(typed, LIMITS) == (days, None)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", FieldError.REQUIRED),
        ("10000", FieldError.TOO_MANY_DAYS),
        ("366", FieldError.TOO_MANY_DAYS),
        ("9" * 5000, FieldError.TOO_MANY_DAYS),
        ("2.5", FieldError.NOT_WHOLE_DAYS),
        ("-1", FieldError.NEGATIVE),
        ("abc", FieldError.NOT_WHOLE_DAYS),
        ("1e3", FieldError.NOT_WHOLE_DAYS),
    ],
)
def test_bad_days_are_refused(typed: str, error: FieldError) -> None:
    assert parse_days(typed, LIMITS) == (None, error)


def test_check_length_counts_characters() -> None:
    assert check_length("张" * 200, 200) is None
    assert check_length("张" * 201, 200) is FieldError.TOO_LONG
    assert check_length("", 10) is None


def test_error_codes_are_i18n_keys() -> None:
    assert {error.value for error in FieldError} == {
        "required",
        "phone_invalid",
        "tracking_invalid",
        "not_a_number",
        "not_whole_days",
        "no_days_late",
        "negative",
        "too_large",
        "too_many_days",
        "too_long",
        "insured_amount_required",
        "category_invalid",
        "reason_too_vague",
    }


@pytest.mark.parametrize(
    "typed",
    ["C-20261206-0057", "c202612060057", " C 20261206 0057 ", "Ｃ－２０２６１２０６－００５７"],
)
def test_a_complaint_reference_is_read_however_it_is_typed(typed: str) -> None:
    assert normalize_reference(typed) == "C-20261206-0057"


@pytest.mark.parametrize(
    "typed",
    ["", "13812345678", "SF1311234567890", "C-2026120-0057", "C-20261206-57", "D-20261206-0057"],
)
def test_what_is_no_complaint_reference(typed: str) -> None:
    assert normalize_reference(typed) is None


@given(st.text(max_size=40))
def test_reading_a_reference_never_fails(text: str) -> None:
    found = normalize_reference(text)
    assert found is None or normalize_reference(found) == found


@pytest.mark.parametrize(
    ("typed", "parcel"),
    [
        ("754403616287586", "754403616287586"),  # a 15-digit number: a parcel
        ("sf 1311-2345-67890", "SF1311234567890"),
        ("JT1234567890123", "JT1234567890123"),
        ("13812345678", None),  # a phone
        ("1381234567", None),  # a phone still being typed
        ("C-20261206-0057", None),  # a complaint reference
        ("C-2026120600", None),  # one still being typed
        ("abc", None),
    ],
)
def test_a_tracking_number_in_the_caller_field_is_told_from_a_phone_and_a_reference(
    typed: str, parcel: str | None
) -> None:
    assert tracking_not_phone(typed) == parcel
