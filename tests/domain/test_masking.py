"""Masking of personal data for lists, and phone numbers for display."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.domain.masking import display_phone, mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+8613812345678", "138****5678"),
        ("13812345678", "138****5678"),
        ("+861012345678", "010****5678"),  # Beijing landline
        ("+442079460958", "+44******0958"),
        ("+16502530000", "+1******0000"),
        ("12345", "***45"),
        ("+999", "**99"),
        ("garbage", "*****ge"),
        ("ab", "ab"),
        ("", ""),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_mainland_mobile_keeps_first_three_and_last_four(national: str) -> None:
    expected = national[:3] + "****" + national[-4:]
    assert mask_phone(national) == expected
    assert mask_phone("+86" + national) == expected


@given(st.text())
def test_maskers_never_raise(value: str) -> None:
    for masked in (mask_phone(value), mask_name(value)):
        assert "\x1b" not in masked
    display_phone(value)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张伟", "张*"),
        ("欧阳娜娜", "欧***"),
        ("John Smith", "J*** S****"),
        ("  John   Smith ", "J*** S****"),
        ("张", "张"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+8613812345678", "13812345678"),
        ("+861012345678", "01012345678"),
        ("+442079460958", "+44 20 7946 0958"),
        ("+16502530000", "+1 650-253-0000"),
        ("not a phone", "not a phone"),
    ],
)
def test_display_phone(e164: str, shown: str) -> None:
    assert display_phone(e164) == shown
