"""Parsing and checking of single typed values: phones, tracking numbers, complaint
references, money, days.

Each parser takes exactly what the person typed and either returns a normalised value or a
``FieldError`` whose value doubles as the i18n key of the message shown under the field.
Nothing here raises on bad input: typing is not exceptional.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

import phonenumbers

from cs_console.domain.policy import Limits
from cs_console.domain.text import clean_line


class FieldError(StrEnum):
    REQUIRED = "required"
    PHONE_INVALID = "phone_invalid"
    TRACKING_INVALID = "tracking_invalid"
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE_DAYS = "not_whole_days"
    NO_DAYS_LATE = "no_days_late"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_MANY_DAYS = "too_many_days"
    TOO_LONG = "too_long"
    INSURED_AMOUNT_REQUIRED = "insured_amount_required"
    CATEGORY_INVALID = "category_invalid"
    REASON_TOO_VAGUE = "reason_too_vague"


# Letters are refused in phone numbers: phonenumbers would read "138abcd5678" as a vanity
# number and silently turn the letters into digits.
_PHONE_CHARACTERS = re.compile(r"\+?[\d\s\-().]+")
_TRACKING_NO = re.compile(r"[A-Z]{0,4}[0-9]{8,20}[A-Z]{0,2}")
_TRACKING_SEPARATORS = re.compile(r"[\s\-]+")
# A complaint reference as printed (C-20261206-0057) or as typed: dashes, spaces or none,
# any case. The number after the day has at least 4 digits (more past 9,999 in one day).
_REFERENCE = re.compile(r"C[\s\-]*([0-9]{8})[\s\-]*([0-9]{4,6})")
_MONEY = re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<cents>[0-9]{1,2}))?")
_DAYS = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]+))?")
# More digits than this is "too large" for any field; it also keeps int() away from
# Python's limit on converting very long digit strings.
_MAX_DIGITS = 15


def _typed(text: str) -> str:
    """Full-width forms to ASCII (NFKC: "１２" -> "12", "￥" -> "¥"), control chars out."""
    return unicodedata.normalize("NFKC", clean_line(text)).strip()


def normalize_phone(text: str, region: str = "CN") -> str | None:
    """Return the phone number ``text`` in E.164 form, or None if it is not a valid number.

    Uses Google's phonenumbers metadata, so spaces, hyphens, brackets, full-width digits and
    the international prefixes "+" and "00" are understood: "138 1234 5678",
    "+86 138-1234-5678" and "+44 20 7946 0958" are accepted; a number without a country
    code is read as a number of ``region`` (mainland China by default). Numbers containing
    letters, impossible lengths and unassigned ranges are rejected.
    """
    value = _typed(text)
    if not _PHONE_CHARACTERS.fullmatch(value):
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_tracking_no(text: str) -> str | None:
    """Return the tracking number ``text`` normalised, or None if it cannot be one.

    Spaces and hyphens are removed, full-width characters folded to ASCII and letters
    upper-cased. A valid number is up to 4 letters (the carrier prefix, e.g. "SF", "JDVA"),
    then 8 to 20 digits, then optionally 1 or 2 letters, 10 to 24 characters in all:
    "sf 1311-2345-67890" becomes "SF1311234567890".
    """
    value = _TRACKING_SEPARATORS.sub("", _typed(text)).upper()
    if not 10 <= len(value) <= 24 or not _TRACKING_NO.fullmatch(value):
        return None
    return value


_REFERENCE_TYPED = re.compile(r"C[0-9]{0,12}")  # "C-20261206-0057" on its way, normalised


def tracking_not_phone(text: str) -> str | None:
    """The tracking number typed where a phone or a complaint reference may go too (the
    caller field, F6), or None: for a phone, for what could still be a phone being typed
    (digits from a 1, at most 11), for a complaint reference, and for what is neither."""
    number = normalize_tracking_no(text)
    if number is None or normalize_phone(text) is not None:
        return None
    if _REFERENCE_TYPED.fullmatch(number):  # a complaint reference, whole or on its way
        return None
    if number.isdigit() and number.startswith("1") and len(number) <= 11:
        return None
    return number


def normalize_reference(text: str) -> str | None:
    """Return the complaint reference ``text`` as printed (``C-20261206-0057``), or None.

    Typed with or without dashes or spaces, in either case, full-width or not:
    "c202612060057" and "C 20261206 0057" both become "C-20261206-0057".
    """
    found = _REFERENCE.fullmatch(_typed(text).upper())
    if found is None:
        return None
    return f"C-{found[1]}-{found[2]}"


def parse_money_fen(text: str, limits: Limits) -> tuple[int | None, FieldError | None]:
    """Parse a typed amount of yuan into fen, returning ``(fen, None)`` or ``(None, error)``.

    Accepts whole yuan and up to two decimals ("12", "12.5", "12.50"), a leading "¥" and a
    trailing "元", thousands commas in their proper places ("1,200") and full-width digits
    ("１２"). Blank text is ``REQUIRED``; a leading minus is ``NEGATIVE``; anything else that
    is not such a number ("abc", "1e9", "12.345") is ``NOT_A_NUMBER``; more than
    ``limits.max_amount_fen`` is ``TOO_LARGE``.
    """
    value = _typed(text).replace(" ", "")
    if not value:
        return None, FieldError.REQUIRED
    value = value.removeprefix("¥").removesuffix("元")
    negative = value.startswith(("-", "\u2212"))
    if negative:
        value = value[1:].removeprefix("¥")
    match = _MONEY.fullmatch(value)
    if match is None or not (match["whole"] or match["cents"]):
        return None, FieldError.NOT_A_NUMBER
    if negative:
        return None, FieldError.NEGATIVE
    whole = match["whole"].replace(",", "") or "0"
    if len(whole.lstrip("0")) > _MAX_DIGITS:
        return None, FieldError.TOO_LARGE
    fen = int(whole) * 100 + int((match["cents"] or "0").ljust(2, "0"))
    if fen > limits.max_amount_fen:
        return None, FieldError.TOO_LARGE
    return fen, None


def parse_days(text: str, limits: Limits) -> tuple[int | None, FieldError | None]:
    """Parse a typed number of days late, returning ``(days, None)`` or ``(None, error)``.

    Accepts whole days from 0 to ``limits.max_days_late``, in full-width digits too and with
    an optional trailing "天"; "3.0" counts as 3. Blank text is ``REQUIRED``, a leading minus
    ``NEGATIVE``, more than the limit ("10000") ``TOO_MANY_DAYS``, and anything else, a
    fraction such as "2.5" or a word, ``NOT_WHOLE_DAYS`` (whose message asks for a whole
    number, where ``NOT_A_NUMBER``'s shows an amount with decimals).
    """
    value = _typed(text).replace(" ", "").removesuffix("天")
    if not value:
        return None, FieldError.REQUIRED
    negative = value.startswith(("-", "\u2212"))
    match = _DAYS.fullmatch(value[1:] if negative else value)
    if match is None:
        return None, FieldError.NOT_WHOLE_DAYS
    if negative:
        return None, FieldError.NEGATIVE
    if match["fraction"] and match["fraction"].strip("0"):
        return None, FieldError.NOT_WHOLE_DAYS
    whole = match["whole"].lstrip("0") or "0"
    if len(whole) > _MAX_DIGITS or int(whole) > limits.max_days_late:
        return None, FieldError.TOO_MANY_DAYS
    return int(whole), None


def check_length(text: str, limit: int) -> FieldError | None:
    """Return ``TOO_LONG`` if ``text`` has more than ``limit`` characters, else None.

    Characters are Unicode code points, so a Chinese character counts as one, the same as a
    Latin letter; the limits in the policy file are set with that in mind.
    """
    return FieldError.TOO_LONG if len(text) > limit else None
