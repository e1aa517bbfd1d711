"""Erasing a person (PIPL, the right to deletion): what replaces their data, and where in a
JSON document (a draft, a journal entry, an event's detail) their data sits.

One marker replaces every personal value, stored as it is (sealed where the column is
sealed): readers show it like any name, so a screen, a report or an export of an erased
person's complaint needs no special case. It is Chinese, as the data typed about customers
is; it is no phone number, so nobody can be found or dialled by it. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cs_console.domain.validation import normalize_phone

MARKER = "已删除个人信息"
"""What an erased person's name, phone, address, ID number and typed text become."""

# The keys under which forms, journal entries and events keep what a person said or what
# was typed about them (the complaint form's fields, a call's notes, a callback's note).
PERSONAL_KEYS = frozenset(
    {
        "customer_name",
        "contact_name",
        "name",
        "phone",
        "address",
        "id_number",
        "description",
        "request",
        "notes",
        "note",
        "outcome",
        "previous_name",
    }
)

Replacement = Callable[[str], str]  # the key -> what its value becomes


def _marker(key: str) -> str:
    return MARKER


def scrub(value: Any, replacement: Replacement = _marker) -> tuple[Any, int]:
    """``value`` (a JSON-like document) with every non-empty text under a personal key
    replaced, and how many were replaced; anything else is kept as it is."""
    if isinstance(value, dict):
        done, count = {}, 0
        for key, item in value.items():
            if key in PERSONAL_KEYS and isinstance(item, str) and item:
                done[key], count = replacement(key), count + 1
            else:
                done[key], found = scrub(item, replacement)
                count += found
        return done, count
    if isinstance(value, list):
        items = [scrub(item, replacement) for item in value]
        return [item for item, _ in items], sum(found for _, found in items)
    return value, 0


def mentions_phone(value: Any, e164: str) -> bool:
    """Whether any text in ``value`` (a JSON-like document) is the phone ``e164``, however
    it was typed ("138 1234 5678", "+86 138-1234-5678")."""
    if isinstance(value, dict):
        return any(mentions_phone(item, e164) for item in value.values())
    if isinstance(value, list):
        return any(mentions_phone(item, e164) for item in value)
    if isinstance(value, str) and any(ch.isdigit() for ch in value):
        return normalize_phone(value) == e164
    return False
