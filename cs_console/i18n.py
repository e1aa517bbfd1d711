"""Every string a person sees, in zh-CN and en, and the numbers in it.

Catalogs are ``data/i18n/<area>.<lang>.toml`` files whose nested tables flatten to dotted
keys (``[form] save = "保存"`` is ``form.save``). ``t(key, **values)`` looks a key up in the
current language; values are inserted literally, never re-read as placeholders or markup.

A plural entry is a table of CLDR plural forms (``queued.one``, ``queued.other``; Chinese
has ``other`` only): ``t(key, count=n)`` picks the form by the language's plural rules.
Money and times are formatted here too, by Babel, so every screen writes them alike.
"""

from __future__ import annotations

import os
import tomllib
from datetime import datetime, tzinfo
from decimal import Decimal
from functools import cache
from importlib import resources
from string import Formatter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is imported when a number is first formatted, not to start up
    from babel import Locale

LANGUAGES = ("zh-CN", "en")
_current = "zh-CN"


def resolve_language(explicit: str | None = None, configured: str | None = None) -> str:
    """--lang first, then the settings, then LANG (zh* means zh-CN), else zh-CN."""
    for choice in (explicit, configured):
        if choice:
            if choice not in LANGUAGES:
                raise ValueError(f"unknown language {choice!r}: choose zh-CN or en")
            return choice
    env = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    if env.lower().startswith("en"):
        return "en"
    return "zh-CN"


def set_language(lang: str) -> None:
    """Switch the language used by t()."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def current_language() -> str:
    return _current


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    """All keys of one language, merged from every area file."""
    merged: dict[str, str] = {}
    folder = resources.files("cs_console") / "data" / "i18n"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(f".{lang}.toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), merged)
    return merged


# CLDR's plural categories: a catalogue table with only these keys is one plural entry.
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})


@cache
def locale(lang: str) -> Locale:
    """Babel's locale for one of LANGUAGES ("zh-CN" is zh_Hans_CN)."""
    from babel import Locale

    return Locale.parse(lang, sep="-")


def _entry(lang: str, key: str, count: float | Decimal | None) -> str | None:
    entries = catalog(lang)
    if count is None or key in entries:
        return entries.get(key)
    form = locale(lang).plural_form(count)
    return entries.get(f"{key}.{form}") or entries.get(f"{key}.other")


class _Literal(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the current language, placeholders filled literally.

    A number given as ``count`` fills ``{count}`` and, for a plural entry, chooses its form
    ("1 callback queued", "3 callbacks queued")."""
    count = values.get("count")
    number = count if isinstance(count, int | float | Decimal) else None
    text = _entry(_current, key, number) or _entry("en", key, number) or key
    if not values:
        return text
    names = {name for _, name, _, _ in Formatter().parse(text) if name}
    return text.format_map(_Literal({k: v for k, v in values.items() if k in names}))


# Amounts are yuan in mainland China whatever the language: the mainland symbol, not the
# "CN¥" that English CLDR data writes to tell it from the yen.
_YUAN = "¥"


def money(fen: int) -> str:
    """An amount in fen as the console shows money: "¥15", "¥8.50", "¥1,234.50".

    The current language's currency pattern (grouping, symbol position) with the yuan's two
    decimals; a whole amount drops its ".00", as every screen has shown it."""
    return _amount(fen, symbol=_YUAN, grouped=True)


def money_input(fen: int | None) -> str:
    """An amount as typed into a field: "15", "8.50", no symbol or grouping; "" for none."""
    return "" if fen is None else _amount(fen, symbol="", grouped=False)


def _amount(fen: int, *, symbol: str, grouped: bool) -> str:
    from babel.numbers import format_currency

    here = locale(_current)
    pattern = here.currency_formats["standard"].pattern.replace("¤", symbol)
    whole = fen % 100 == 0
    if whole:
        pattern = pattern.replace(".00", "")
    amount = Decimal(fen) / 100
    return format_currency(
        amount, "CNY", pattern, here, currency_digits=not whole, group_separator=grouped
    )


def _at(moment: datetime, pattern: str, zone: tzinfo | None) -> str:
    from babel.dates import format_datetime

    return format_datetime(moment, pattern, tzinfo=zone, locale=locale(_current))


def clock_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A time of day in ``zone`` (else the moment's own): "18:12"."""
    return _at(moment, "HH:mm", zone)


def day_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A day and time: "11-24 18:12"."""
    return _at(moment, "MM-dd HH:mm", zone)


def due_time(due: datetime, now: datetime, zone: tzinfo) -> str:
    """A due time: "18:12" when it is today in ``zone``, "11-24 18:12" another day."""
    same_day = due.astimezone(zone).date() == now.astimezone(zone).date()
    return clock_time(due, zone) if same_day else day_time(due, zone)


def full_time(moment: datetime, zone: tzinfo | None = None, *, seconds: bool = False) -> str:
    """A date and time for records and logs: "2026-11-24 18:12" (":05" with seconds)."""
    return _at(moment, "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm", zone)


def year_month(moment: datetime, zone: tzinfo | None = None) -> str:
    """A calendar month: "2026-11"."""
    return _at(moment, "yyyy-MM", zone)


def spoken_day(moment: datetime, zone: tzinfo | None = None) -> str:
    """A day as the call script says it, by the catalogue's pattern ("12月7日")."""
    return _at(moment, t("ui.format.spoken_day"), zone)


def spoken_moment(moment: datetime, zone: tzinfo | None = None) -> str:
    """A day and time as a sentence read out says them ("12月5日 18:20")."""
    return _at(moment, t("ui.format.spoken_moment"), zone)


def spoken_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A time as the call script says it, by the catalogue's pattern ("11月24日 18:12")."""
    return _at(moment, t("ui.format.deadline"), zone)
