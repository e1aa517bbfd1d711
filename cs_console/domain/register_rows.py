"""Rows of a paper or spreadsheet complaint register (投诉登记表) read as registration forms.

A register is backfilled after an outage (``cs-console import``). Its header row names the
columns in Chinese or English, mixed as the person liked; each row becomes the same
``ComplaintForm`` an agent would have typed, plus the time it was registered, so the form's
own rules (domain/complaint_form.py) judge it. Words people write in registers are
understood: 延误/delay, 是/否/yes/no, 电话/phone ...
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from cs_console.domain.complaint_entry import ComplaintForm, ValidComplaint
from cs_console.domain.dates import in_range
from cs_console.domain.enums import Category, Channel
from cs_console.domain.spreadsheet_cells import restore_cell
from cs_console.domain.text import clean_line
from cs_console.domain.validation import FieldError

REGISTERED_AT = "registered_at"


class RowError(StrEnum):
    """What a register row can get wrong beyond the form's own rules (i18n keys ``error.*``)."""

    NOT_YES_NO = "not_yes_no"
    NOT_A_TIME = "not_a_time"
    IN_FUTURE = "registered_in_future"
    OUT_OF_RANGE = "registered_out_of_range"
    UNKNOWN_CATEGORY = "unknown_category"
    CELL_IS_ERROR = "cell_is_error"


# Column names per form field (README.md lists them); matched ignoring case, spaces,
# underscores, hyphens, a "*" marking a required column and a unit in brackets: "物品价值（元）".
COLUMNS: dict[str, tuple[str, ...]] = {
    "customer_name": ("姓名", "客户姓名", "name", "customer name"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式")
    + ("phone", "contact phone"),
    "tracking_no": ("快递单号", "运单号", "单号", "tracking no", "tracking number"),
    "category": ("投诉类型", "类型", "投诉类别", "category", "type"),
    "days_late": ("延误天数", "days late"),
    "declared_value": ("物品价值", "声明价值", "declared value", "item value"),
    "insured": ("是否保价", "保价", "insured"),
    "insured_amount": ("保价金额", "insured amount"),
    "shipping_fee": ("运费", "shipping fee"),
    "item_damaged": ("物品损坏", "物品是否损坏", "item damaged"),
    "repairable": ("可修复", "是否可修复", "repairable"),
    "description": ("问题描述", "描述", "description", "problem"),
    "request": ("诉求", "客户诉求", "request"),
    "channel": ("渠道", "投诉渠道", "channel"),
    "outlet": ("网点", "outlet"),
    REGISTERED_AT: ("登记时间", "登记日期", "registered at", "registered"),
}
# Written into the rejects file beside each row; ignored when a fixed file comes back.
IGNORED_COLUMNS = ("行号", "原因", "line", "reason")
REQUIRED_COLUMNS = (
    "customer_name",
    "phone",
    "tracking_no",
    "category",
    "description",
    "request",
    REGISTERED_AT,
)
CATEGORY_WORDS: dict[str, Category] = {
    **{c.value: c for c in Category},
    "延误": Category.DELAY,
    "延迟": Category.DELAY,
    "晚到": Category.DELAY,
    "丢失": Category.LOSS,
    "遗失": Category.LOSS,
    "丢件": Category.LOSS,
    "lost": Category.LOSS,
    "损坏": Category.DAMAGE,
    "破损": Category.DAMAGE,
    "damaged": Category.DAMAGE,
    "态度": Category.ATTITUDE,
    "服务态度": Category.ATTITUDE,
    "其他": Category.OTHER,
    "其它": Category.OTHER,
}
CHANNEL_WORDS: dict[str, Channel] = {
    **{c.value: c for c in Channel},
    "电话": Channel.PHONE,
    "在线": Channel.ONLINE,
    "网上": Channel.ONLINE,
    "线上": Channel.ONLINE,
    "到店": Channel.WALK_IN,
    "柜台": Channel.WALK_IN,
    "网点": Channel.WALK_IN,
    "walkin": Channel.WALK_IN,
}
YES = frozenset({"是", "有", "yes", "y", "true", "1", "√", "✓"})
NO = frozenset({"否", "无", "no", "n", "false", "0", "", "×", "✗"})
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_UNIT = re.compile(r"[(（][^)）]*[)）]$")
_BOOLEAN_FIELDS = tuple(f.name for f in fields(ComplaintForm) if f.type in ("bool", bool))


def _word(text: str) -> str:
    """A header or value word folded for matching: NFKC, case, no spaces or separators."""
    value = unicodedata.normalize("NFKC", clean_line(text)).casefold()
    return re.sub(r"[\s_\-*]+", "", value)


_ALIASES = {_word(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
_ALIASES.update({_word(name): name for name in COLUMNS})
_IGNORED = {_word(name) for name in IGNORED_COLUMNS}


@dataclass(frozen=True)
class HeaderProblems:
    """What is wrong with a header row: unknown column names (their cells are ignored),
    missing and repeated ones (the file is refused)."""

    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    repeated: tuple[str, ...] = ()

    @property
    def refuses(self) -> bool:
        """A required column is missing or a column is named twice."""
        return bool(self.missing or self.repeated)


def map_header(cells: Sequence[str]) -> tuple[dict[int, str], HeaderProblems | None]:
    """Map each header cell's position to its form field (or ``registered_at``).

    Returns ``(mapping, None)``, or ``(mapping, problems)`` naming every unknown header, every
    required column that is missing (by field name) and every field named twice. Blank
    header cells and the rejects file's line/reason columns are skipped.
    """
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for position, cell in enumerate(cells):
        word = _UNIT.sub("", _word(cell))
        if not word or word in _IGNORED:
            continue
        name = _ALIASES.get(word)
        if name is None:
            unknown.append(clean_line(cell).strip())
        elif name in mapping.values():
            repeated.append(name)
        else:
            mapping[position] = name
    missing = tuple(name for name in REQUIRED_COLUMNS if name not in mapping.values())
    if unknown or missing or repeated:
        return mapping, HeaderProblems(tuple(unknown), missing, tuple(repeated))
    return mapping, None


def parse_registered_at(
    text: str, zone: ZoneInfo
) -> tuple[datetime | None, FieldError | RowError | None]:
    """Read a registration time: ISO 8601 (with or without offset), "2026-11-20 14:30",
    "2026/11/20 14:30:05" or "2026年11月20日 14:30"; without an offset it is ``zone``'s
    local time. Blank is ``REQUIRED``; a date without a time is ``NOT_A_TIME``, since the
    clocks count from the hour.
    """
    value = unicodedata.normalize("NFKC", clean_line(text)).strip()
    if not value:
        return None, FieldError.REQUIRED
    value = re.sub(r"\s+", " ", value.replace("年", "-").replace("月", "-").replace("日", " "))
    value = value.replace("/", "-").strip()
    moment: datetime | None = None
    if "T" in value or "+" in value or value.endswith("Z"):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    for layout in _TIME_FORMATS:
        if moment is not None:
            break
        try:
            moment = datetime.strptime(value, layout)
        except ValueError:
            continue
    if moment is None:
        return None, RowError.NOT_A_TIME
    if not in_range(moment.date()):
        return None, RowError.OUT_OF_RANGE
    return (moment.replace(tzinfo=zone) if moment.tzinfo is None else moment), None


def _yes_no(text: str) -> bool | None:
    word = _word(text)
    return True if word in YES else False if word in NO else None


def form_from_row(
    row: Mapping[str, str], zone: ZoneInfo, now: datetime
) -> tuple[ComplaintForm, datetime | None, dict[str, str]]:
    """One register row (field name -> cell text) as a form and its registration time.

    Register words become the form's values (延误 -> delay, 是 -> ticked, 电话 -> phone);
    a value that is not a known word is kept as written, so the form's rules name it. The
    errors returned are those a form cannot express: a yes/no cell that says neither, a
    type that is no register word (named with the words it takes, where the form only says
    "choose a type"), and a registration time that is missing, unreadable or after ``now``.
    An apostrophe an export put before a formula-like cell is removed again.
    """
    cells = {name: restore_cell(text) for name, text in row.items()}
    errors: dict[str, str] = {}
    # Tick boxes get a bool, every other field its text: decided per field at run time,
    # which a static type of the whole mapping cannot say.
    values: dict[str, Any] = {}
    for name in COLUMNS:
        if name == REGISTERED_AT or name not in cells:
            continue
        text = cells[name]
        if name in _BOOLEAN_FIELDS:
            answer = _yes_no(text)
            if answer is None:
                errors[name] = RowError.NOT_YES_NO.value
            values[name] = bool(answer)
        elif name == "category":
            category = CATEGORY_WORDS.get(_word(text))
            if category is None and text.strip():
                errors[name] = RowError.UNKNOWN_CATEGORY.value
            values[name] = getattr(category, "value", text)
        elif name == "channel":
            channel = CHANNEL_WORDS.get(_word(text))
            values[name] = channel.value if channel else text if text.strip() else "phone"
        else:
            values[name] = text
    registered_at, problem = parse_registered_at(cells.get(REGISTERED_AT, ""), zone)
    if problem is not None:
        errors[REGISTERED_AT] = problem.value
    elif registered_at is not None and registered_at > now:
        errors[REGISTERED_AT] = RowError.IN_FUTURE.value
    return ComplaintForm(**values), registered_at, errors


def import_key(valid: ValidComplaint, registered_at: datetime) -> str:
    """The identity of an imported row: SHA-256 of the checked, normalised complaint.

    Spelling that does not change the complaint ("138 1234 5678" or "13812345678", 延误 or
    delay, the column order) gives the same key, so the same register imported twice is
    recognised row by row.
    """
    facts = valid.facts
    body = [
        valid.customer_name,
        valid.phone,
        valid.tracking_no,
        facts.category.value,
        facts.days_late,
        facts.declared_value_fen,
        facts.insured,
        facts.insured_amount_fen,
        facts.shipping_fee_fen,
        facts.item_damaged,
        facts.repairable,
        valid.description,
        valid.request,
        valid.channel.value,
        valid.outlet,
        registered_at.timestamp(),
    ]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
