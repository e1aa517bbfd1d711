"""Masking of personal data for lists, and display of phone numbers.

Lists show personal data masked (DOMAIN.md, 信息安全): "138****5678", "张*". Revealing a
value in full is a recorded action elsewhere; here are only the pure transformations. The
maskers accept anything a record may hold, including values that were never validated,
and never raise.
"""

from __future__ import annotations

import re

import phonenumbers

from cs_console.domain.text import clean_line

_MAINLAND = 86
_STAR = "*"
# Stored mobiles are E.164 mainland numbers; masking them needs no metadata lookup, which
# costs about half a millisecond a number (an export masks one per row).
_MAINLAND_MOBILE = re.compile(r"\+86(1[3-9][0-9]{9})")


def _parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number ``value`` names (mainland if it has no country code), or None."""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def _national_digits(number: phonenumbers.PhoneNumber) -> str:
    """Mainland numbers as dialled at home: "13812345678", landlines with their 0."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())


def _mask_garbage(value: str) -> str:
    """Everything but the last two characters starred: for values that are no number."""
    return _STAR * max(len(value) - 2, 0) + value[-2:]


def mask_phone(e164_or_national: str) -> str:
    """Return a phone number masked for lists, keeping only what identifies it to a person.

    Mainland numbers, given in E.164 ("+8613812345678") or as dialled ("13812345678"), keep
    their first 3 and last 4 digits: "138****5678" (landlines keep the area-code start,
    "010****5678"). Other countries keep the country code and the last 4 digits, with one
    star per hidden digit: "+44******0958". Anything too short or not a phone number at all
    has every character but the last two starred; the function never raises.
    """
    value = clean_line(e164_or_national).strip()
    if mobile := _MAINLAND_MOBILE.fullmatch(value):
        digits = mobile[1]
        return digits[:3] + _STAR * 4 + digits[-4:]
    number = _parse_phone(value)
    if number is not None and number.country_code == _MAINLAND:
        digits = _national_digits(number)
        if len(digits) >= 8:
            return digits[:3] + _STAR * (len(digits) - 7) + digits[-4:]
    elif number is not None:
        digits = phonenumbers.national_significant_number(number)
        if len(digits) > 4:
            return f"+{number.country_code}" + _STAR * (len(digits) - 4) + digits[-4:]
    return _mask_garbage(value)


def mask_name(name: str) -> str:
    """Return a person's name masked for lists: the first character of each word is kept.

    Chinese names are one word, so only the surname's first character stays ("张伟" ->
    "张*", "欧阳娜娜" -> "欧***"); names written with spaces keep each word's initial
    ("John Smith" -> "J*** S****"). Runs of whitespace become one space; an empty or blank
    name gives "".
    """
    words = clean_line(name).split()
    return " ".join(word[0] + _STAR * (len(word) - 1) for word in words)


def display_phone(e164: str) -> str:
    """Return a stored phone number in the form an agent dials or reads out.

    Mainland numbers are shown as dialled at home, without the country code or spaces
    ("+8613812345678" -> "13812345678"; landlines with their leading 0). Other numbers are
    shown in international format with phonenumbers' grouping ("+44 20 7946 0958"). A value
    that is not a phone number is returned cleaned but otherwise unchanged.
    """
    value = clean_line(e164).strip()
    number = _parse_phone(value)
    if number is None:
        return value
    if number.country_code == _MAINLAND:
        return _national_digits(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
