"""The prohibited-items list: the packaged file, validation and search."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.script_files import load_prohibited_items, prohibited_items_from_text
from cs_console.domain.prohibited import (
    ItemStatus,
    ProhibitedItem,
    parse_prohibited_items,
    search_prohibited,
)
from cs_console.domain.scripts import ScriptError

ITEMS = load_prohibited_items()

LIGHTER = {
    "id": "lighters",
    "status": "prohibited",
    "zh": "打火机",
    "en": "Lighters",
    "pinyin": "da huo ji",
    "keywords": ["火机", "lighter", "zippo"],
    "note_zh": "含易燃气体。",
    "note_en": "Flammable gas.",
}


def data_with(**changes: object) -> dict:
    entry = copy.deepcopy(LIGHTER) | changes
    return {"item": [entry]}


def by_id(item_id: str) -> ProhibitedItem:
    return next(item for item in ITEMS if item.id == item_id)


def test_packaged_list_is_complete() -> None:
    assert 30 <= len(ITEMS) <= 45
    assert {item.status for item in ITEMS} == {ItemStatus.PROHIBITED, ItemStatus.RESTRICTED}
    for item in ITEMS:
        assert item.keywords and item.note_zh and item.note_en


def test_packaged_list_is_cached() -> None:
    assert load_prohibited_items() is ITEMS


@pytest.mark.parametrize("query", ["打火机", "lighter", "dahuoji", "dhj", "LIGHTER", "da huo ji"])
def test_lighter_is_found(query: str) -> None:
    found = search_prohibited(ITEMS, query)
    assert found[0].id == "lighters"
    assert found[0].status == "prohibited"


def test_lithium_batteries_are_restricted() -> None:
    found = search_prohibited(ITEMS, "锂电池")
    assert found[0].id == "lithium_batteries"
    assert found[0].status is ItemStatus.RESTRICTED


def test_ranking_exact_before_prefix_before_substring() -> None:
    items = (
        ProhibitedItem("b", ItemStatus.PROHIBITED, "易燃液体", "B", "yi ran ye ti", (), "-", "-"),
        ProhibitedItem("a", ItemStatus.RESTRICTED, "液体药", "A", "ye ti yao", (), "-", "-"),
        ProhibitedItem("c", ItemStatus.RESTRICTED, "液体", "C", "ye ti", (), "-", "-"),
    )
    assert [item.id for item in search_prohibited(items, "液体")] == ["c", "a", "b"]


def test_a_name_inside_a_sentence_is_found_last() -> None:
    found = search_prohibited(ITEMS, "我想寄一瓶香水")
    assert [item.id for item in found] == ["perfume"]


def test_empty_query_finds_nothing() -> None:
    assert search_prohibited(ITEMS, "") == []
    assert search_prohibited(ITEMS, "   ") == []


def test_limit_is_respected() -> None:
    assert len(search_prohibited(ITEMS, "a", limit=3)) == 3
    assert search_prohibited(ITEMS, "a", limit=0) == []


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_search_never_raises_and_stays_in_limit(query: str, limit: int) -> None:
    found = search_prohibited(ITEMS, query, limit)
    assert len(found) <= limit
    assert all(item in ITEMS for item in found)


def test_pinyin_has_one_syllable_per_character() -> None:
    for item in ITEMS:
        assert len(item.pinyin.split()) == len(item.zh), item.id


def test_a_valid_entry_parses() -> None:
    (item,) = parse_prohibited_items(data_with(), "t.toml")
    assert item.keywords == ("火机", "lighter", "zippo")
    assert item.pinyin_initials == "dhj"


def test_duplicate_ids_are_refused() -> None:
    data = {"item": [dict(LIGHTER), dict(LIGHTER)]}
    with pytest.raises(ScriptError, match="duplicate id") as err:
        parse_prohibited_items(data, "t.toml")
    assert err.value.key == "item[1].id"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "Lighters!"),
        ("status", "banned"),
        ("zh", ""),
        ("pinyin", "dǎ huǒ jī"),
        ("pinyin", "da huo"),
        ("keywords", "lighter"),
        ("note_en", 3),
    ],
)
def test_bad_field_names_the_entry(field: str, value: object) -> None:
    with pytest.raises(ScriptError) as err:
        parse_prohibited_items(data_with(**{field: value}), "t.toml")
    assert err.value.key.startswith(f"item[0].{field}")
    assert err.value.source == "t.toml"


def test_missing_field_names_it() -> None:
    data = data_with()
    del data["item"][0]["note_zh"]
    with pytest.raises(ScriptError) as err:
        parse_prohibited_items(data, "t.toml")
    assert err.value.key == "item[0].note_zh"


def test_bad_toml_names_the_file() -> None:
    with pytest.raises(ScriptError, match="not valid TOML") as err:
        prohibited_items_from_text("[[item]\nid = 1", "data/prohibited_items.toml")
    assert err.value.source == "data/prohibited_items.toml"


def test_no_items_is_refused() -> None:
    with pytest.raises(ScriptError) as err:
        parse_prohibited_items({"item": []}, "t.toml")
    assert err.value.key == "item"
