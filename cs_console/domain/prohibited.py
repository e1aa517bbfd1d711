"""The prohibited (禁寄) and restricted (限寄) items list, and searching it while on the phone.

The list arrives as the parsed contents of ``data/prohibited_items.toml`` (a dict with an
``item`` array); ``parse_prohibited_items`` checks every entry and returns frozen
``ProhibitedItem`` values, or raises ``ScriptError`` naming the file and the entry.
``search_prohibited`` finds items by what an agent types: Chinese, English, full pinyin or
pinyin initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cs_console.domain.scripts import ScriptError


class ItemStatus(StrEnum):
    PROHIBITED = "prohibited"  # 禁寄: never accepted
    RESTRICTED = "restricted"  # 限寄: accepted under the condition in the note


@dataclass(frozen=True)
class ProhibitedItem:
    id: str
    status: ItemStatus
    zh: str
    en: str
    pinyin: str  # "da huo ji": one toneless syllable per character of zh
    keywords: tuple[str, ...]
    note_zh: str
    note_en: str

    @property
    def pinyin_initials(self) -> str:
        return "".join(syllable[0] for syllable in self.pinyin.split())


_ITEM_KEYS = ("id", "status", "zh", "en", "pinyin", "keywords", "note_zh", "note_en")
_SLUG = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")
_PINYIN = re.compile(r"[a-z]+(?: [a-z]+)*")  # ü is written v, as on a keyboard
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def parse_prohibited_items(data: Mapping[str, Any], source: str) -> tuple[ProhibitedItem, ...]:
    """Validate the parsed contents of the items file and return its entries in file order.

    The file holds only an ``item`` array; each entry has exactly the keys id (unique ascii
    slug), status ("prohibited" or "restricted"), zh, en, pinyin (lowercase toneless
    syllables, one per Chinese character of zh), keywords (array of distinct strings),
    note_zh and note_en. The first problem raises ``ScriptError`` naming ``source`` and the
    entry, e.g. ``item[3].pinyin``.
    """
    if not isinstance(data, Mapping):
        raise ScriptError(source, "-", "must be a table with an item array")
    if unknown := sorted(set(data) - {"item"}):
        raise ScriptError(source, unknown[0], "is not a key of the items file; use [[item]]")
    entries = data.get("item")
    if not isinstance(entries, list) or not entries:
        raise ScriptError(source, "item", "must be a non-empty array of [[item]] tables")
    items: list[ProhibitedItem] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        item = _item(entry, source, f"item[{index}]")
        if item.id in first_index:
            raise ScriptError(
                source,
                f"item[{index}].id",
                f"duplicate id {item.id!r} (first used by item[{first_index[item.id]}])",
            )
        first_index[item.id] = index
        items.append(item)
    return tuple(items)


def _item(entry: Any, source: str, key: str) -> ProhibitedItem:
    if not isinstance(entry, Mapping):
        raise ScriptError(source, key, "must be a table")
    if unknown := sorted(set(entry) - set(_ITEM_KEYS)):
        raise ScriptError(source, f"{key}.{unknown[0]}", "is not an item key")
    for name in _ITEM_KEYS:
        if name not in entry:
            raise ScriptError(source, f"{key}.{name}", "is missing")
    text = {
        name: _text(entry[name], source, f"{key}.{name}")
        for name in _ITEM_KEYS
        if name != "keywords"
    }
    if not _SLUG.fullmatch(text["id"]):
        raise ScriptError(
            source, f"{key}.id", f"must be a lowercase ascii slug, got {text['id']!r}"
        )
    if text["status"] not in tuple(ItemStatus):
        raise ScriptError(
            source, f"{key}.status", f"must be prohibited or restricted, got {text['status']!r}"
        )
    if not _PINYIN.fullmatch(text["pinyin"]):
        raise ScriptError(
            source, f"{key}.pinyin", "must be lowercase toneless syllables separated by spaces"
        )
    characters, syllables = len(_CJK.findall(text["zh"])), len(text["pinyin"].split())
    if characters == len(text["zh"]) and characters != syllables:
        raise ScriptError(
            source,
            f"{key}.pinyin",
            f"has {syllables} syllables for the {characters} characters of {text['zh']}",
        )
    return ProhibitedItem(
        id=text["id"],
        status=ItemStatus(text["status"]),
        zh=text["zh"],
        en=text["en"],
        pinyin=text["pinyin"],
        keywords=_keywords(entry["keywords"], source, f"{key}.keywords"),
        note_zh=text["note_zh"],
        note_en=text["note_en"],
    )


def _text(value: Any, source: str, key: str) -> str:
    if not isinstance(value, str):
        raise ScriptError(source, key, f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ScriptError(source, key, "must not be empty")
    return value.strip()


def _keywords(value: Any, source: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ScriptError(source, key, "must be an array of strings")
    keywords = tuple(_text(word, source, f"{key}[{i}]") for i, word in enumerate(value))
    seen: set[str] = set()
    for i, word in enumerate(keywords):
        if word.casefold() in seen:
            raise ScriptError(source, f"{key}[{i}]", f"repeats {word!r}")
        seen.add(word.casefold())
    return keywords


# How well a query matches a term, best first; a tie goes to names before pinyin before
# keywords, then to file order.
_EXACT, _PREFIX, _SUBSTRING, _MENTIONED = range(4)
_NAME, _PINYIN_FIELD, _KEYWORD = range(3)


def search_prohibited(
    items: Iterable[ProhibitedItem], query: str, limit: int = 8
) -> list[ProhibitedItem]:
    """The items matching ``query``, best first, at most ``limit`` of them.

    Matching ignores case and surrounding spaces and looks at the Chinese and English names,
    the keywords, the full pinyin with or without spaces ("da huo ji", "dahuoji") and the
    pinyin initials ("dhj"). Exact matches rank before prefix matches before substring
    matches; last come items whose Chinese name or keyword appears inside a longer query
    ("我要寄打火机"). An empty query finds nothing.
    """
    needle = " ".join(query.casefold().replace("ü", "v").split())
    if not needle or limit <= 0:
        return []
    scored = []
    for position, item in enumerate(items):
        score = _score(item, needle)
        if score is not None:
            scored.append((score, position, item))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [item for _, _, item in scored[:limit]]


def _score(item: ProhibitedItem, needle: str) -> tuple[int, int] | None:
    compact = needle.replace(" ", "")
    candidates = [
        (_closeness(needle, term), field)
        for field, terms in (
            (_NAME, (item.zh, item.en)),
            (_KEYWORD, item.keywords),
        )
        for term in terms
    ]
    candidates.append((_closeness(needle, item.pinyin), _PINYIN_FIELD))
    candidates.append((_closeness(compact, item.pinyin.replace(" ", "")), _PINYIN_FIELD))
    # Initials are too short to match inside: "h" would find half the list.
    initials = _closeness(compact, item.pinyin_initials)
    candidates.append((initials if initials in (_EXACT, _PREFIX) else None, _PINYIN_FIELD))
    for field, terms in ((_NAME, (item.zh,)), (_KEYWORD, item.keywords)):
        for term in terms:
            if len(term) >= 2 and _CJK.search(term) and term in needle:
                candidates.append((_MENTIONED, field))
    found = [(rank, field) for rank, field in candidates if rank is not None]
    return min(found) if found else None


def _closeness(needle: str, term: str) -> int | None:
    term = term.casefold()
    if term == needle:
        return _EXACT
    if term.startswith(needle):
        return _PREFIX
    if needle in term:
        return _SUBSTRING
    return None
