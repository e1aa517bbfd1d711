"""The complaint registration form (快递投诉登记表): what was typed, and what it means.

``ComplaintForm`` is the typed text (kept as a draft); ``facts_from_form`` reads it leniently
for the live preview, ``check_complaint_form`` strictly, naming every wrong field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from cs_console.domain.enums import Category, Channel
from cs_console.domain.policy import Limits
from cs_console.domain.text import clean_line, clean_text
from cs_console.domain.validation import (
    FieldError,
    check_length,
    normalize_phone,
    normalize_tracking_no,
    parse_days,
    parse_money_fen,
)


@dataclass(frozen=True)
class ComplaintFacts:
    """What classification and compensation need to know about a complaint."""

    category: Category
    days_late: int = 0
    declared_value_fen: int = 0
    insured: bool = False
    insured_amount_fen: int = 0
    shipping_fee_fen: int = 0
    item_damaged: bool = False  # the item itself, not only its packaging
    repairable: bool = False
    repeat_of: str | None = None  # an earlier unresolved complaint, same phone or tracking no


@dataclass(frozen=True)
class ComplaintForm:
    """Exactly what the person typed into the registration form, as text."""

    customer_name: str = ""
    phone: str = ""
    tracking_no: str = ""
    category: str = ""  # a Category value, or "" while none is chosen
    days_late: str = ""
    declared_value: str = ""
    insured: bool = False
    insured_amount: str = ""
    shipping_fee: str = ""
    item_damaged: bool = False
    repairable: bool = False
    description: str = ""
    request: str = ""
    channel: str = "phone"
    outlet: str = ""


@dataclass(frozen=True)
class ValidComplaint:
    """A checked registration form: cleaned text, normalised identifiers, parsed facts."""

    customer_name: str
    phone: str  # E.164
    tracking_no: str  # upper-case, normalised
    facts: ComplaintFacts
    description: str
    request: str
    channel: Channel
    outlet: str


FORM_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(ComplaintForm))
_DEFAULTS = ComplaintForm()
_NEEDS_VALUE = (Category.LOSS, Category.DAMAGE)


def _coerced(name: str, value: Any) -> str | bool:
    """``value`` as the plain type of field ``name`` (str or bool), else the field's default."""
    default = getattr(_DEFAULTS, name)
    if isinstance(value, bool) if isinstance(default, bool) else isinstance(value, str):
        return type(default)(value)  # plain str/bool: a StrEnum value is stored as its text
    return default


def to_payload(form: ComplaintForm) -> dict[str, Any]:
    """Return the form as a JSON-safe dict (strings and booleans only) for a saved draft.

    The keys are ``FORM_FIELDS``; nothing is cleaned or parsed, so ``from_payload`` gives
    back exactly the form that was typed.
    """
    return {name: _coerced(name, getattr(form, name)) for name in FORM_FIELDS}


def from_payload(payload: Any) -> ComplaintForm:
    """Rebuild a form from a saved draft dict, tolerating anything the store hands back.

    Unknown keys are ignored, missing keys and values of the wrong type (a number where text
    belongs, text where a tick box belongs) take the field's default, and a payload that is
    not a dict gives an empty form. It never raises, so an old or damaged draft cannot stop
    the form from opening.
    """
    if not isinstance(payload, dict):
        return ComplaintForm()
    # str or bool as each field's default is (``_coerced``): decided per field at run time,
    # which a static type of the whole mapping cannot say.
    values: dict[str, Any] = {name: _coerced(name, payload.get(name)) for name in FORM_FIELDS}
    return ComplaintForm(**values)


def _category(text: str) -> Category | None:
    try:
        return Category(text)
    except ValueError:
        return None


def facts_from_form(
    form: ComplaintForm, limits: Limits, repeat_of: str | None = None
) -> ComplaintFacts | None:
    """Read the facts out of a form being typed, for the live severity and compensation preview.

    Returns None while no (valid) category is chosen. Numbers that are blank, unparsable or
    out of range count as 0, so the preview follows the typing without ever failing; the
    insured amount counts only when "insured" is ticked. ``repeat_of`` is the reference of
    an earlier unresolved complaint found by the caller for the same phone or tracking no.
    """
    category = _category(form.category)
    if category is None:
        return None
    money = lambda text: parse_money_fen(text, limits)[0] or 0  # noqa: E731
    return ComplaintFacts(
        category=category,
        days_late=parse_days(form.days_late, limits)[0] or 0,
        declared_value_fen=money(form.declared_value),
        insured=form.insured,
        insured_amount_fen=money(form.insured_amount) if form.insured else 0,
        shipping_fee_fen=money(form.shipping_fee),
        item_damaged=form.item_damaged,
        repairable=form.repairable,
        repeat_of=repeat_of,
    )


class _Checker:
    """Collects the first error of each field while reading a form strictly."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.errors: dict[str, str] = {}

    def text(self, name: str, value: str, *, multiline: bool = False, required: bool = True) -> str:
        text = (clean_text(value) if multiline else clean_line(value)).strip()
        limit = self.limits.max_description_chars if multiline else self.limits.max_field_chars
        if not text and required:
            self.errors[name] = FieldError.REQUIRED
        elif error := check_length(text, limit):
            self.errors[name] = error
        return text

    def number(self, name: str, value: str, *, required: bool, days: bool = False) -> int:
        parse = parse_days if days else parse_money_fen
        number, error = parse(value, self.limits)
        if error is FieldError.REQUIRED and not required:
            return 0
        if error is not None:
            self.errors[name] = error
        return number or 0

    def identifier(
        self, name: str, typed: str, normalise: Callable[[str], str | None], bad: FieldError
    ) -> str | None:
        value = normalise(typed)
        if not clean_line(typed).strip():
            self.errors[name] = FieldError.REQUIRED
        elif value is None:
            self.errors[name] = bad
        return value


def check_complaint_form(
    form: ComplaintForm, limits: Limits, repeat_of: str | None = None
) -> tuple[ValidComplaint | None, dict[str, str]]:
    """Check a filled-in form strictly, returning the valid complaint or every field's error.

    Returns ``(complaint, {})`` when all is well, else ``(None, errors)`` mapping each wrong
    field name to a ``FieldError`` (its value is the i18n key). Customer name, phone,
    tracking no, category, description and request are required; text is cleaned of escape
    and control characters and held to the policy's length limits. Days late (at least 1)
    is required for a delay, the declared value for loss and damage, the shipping fee for
    damage, and a positive insured amount whenever "insured" is ticked; optional numbers
    left blank count as 0, but anything typed in them must parse.
    """
    check = _Checker(limits)
    name = check.text("customer_name", form.customer_name)
    phone = check.identifier("phone", form.phone, normalize_phone, FieldError.PHONE_INVALID)
    tracking_no = check.identifier(
        "tracking_no", form.tracking_no, normalize_tracking_no, FieldError.TRACKING_INVALID
    )
    category = _category(form.category)
    if category is None:
        bad = FieldError.CATEGORY_INVALID if form.category.strip() else FieldError.REQUIRED
        check.errors["category"] = bad
    days_late = check.number(
        "days_late", form.days_late, required=category is Category.DELAY, days=True
    )
    if category is Category.DELAY and days_late == 0 and "days_late" not in check.errors:
        check.errors["days_late"] = FieldError.NO_DAYS_LATE  # a delay of 0 days is no delay
    check.number("declared_value", form.declared_value, required=category in _NEEDS_VALUE)
    check.number("shipping_fee", form.shipping_fee, required=category is Category.DAMAGE)
    if form.insured:
        insured_amount = check.number("insured_amount", form.insured_amount, required=True)
        if check.errors.get("insured_amount") in (None, FieldError.REQUIRED) and not insured_amount:
            check.errors["insured_amount"] = FieldError.INSURED_AMOUNT_REQUIRED
    description = check.text("description", form.description, multiline=True)
    request = check.text("request", form.request, multiline=True)
    outlet = check.text("outlet", form.outlet, required=False)
    if form.channel not in {channel.value for channel in Channel}:
        check.errors["channel"] = FieldError.REQUIRED
    # Every number parsed strictly above, so the lenient reading now gives the same facts.
    facts = facts_from_form(form, limits, repeat_of)
    if check.errors or facts is None or phone is None or tracking_no is None:
        return None, check.errors
    channel = Channel(form.channel)
    valid = ValidComplaint(name, phone, tracking_no, facts, description, request, channel, outlet)
    return valid, {}
