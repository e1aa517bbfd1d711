"""Every text a person sees exists in zh-CN and en (all message catalogues, not only the
workspace's), with the same placeholders, and the Chinese one is Chinese. Plural entries
have the forms their language's plural rules name (en: one, other; zh-CN: other)."""

from __future__ import annotations

import re

import pytest

from cs_console.i18n import LANGUAGES, catalog, locale
from tests.catalog_keys import entries, plural_entries

ZH, EN = catalog("zh-CN"), catalog("en")
SENTENCE = re.compile(r"[A-Za-z']{2,}(?:,? [A-Za-z']{2,}){2,}")  # three English words in a row
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_both_languages_have_every_key() -> None:
    zh, en = entries("zh-CN"), entries("en")
    assert sorted(zh.keys() - en.keys()) == []
    assert sorted(en.keys() - zh.keys()) == []


def test_placeholders_agree() -> None:
    """Across the languages and across the plural forms of one entry."""
    fields = lambda text: frozenset(re.findall(r"{(\w+)}", text))  # noqa: E731
    zh, en = entries("zh-CN"), entries("en")
    disagree = {
        key: sets
        for key, forms in zh.items()
        if len(sets := {fields(text) for text in [*forms.values(), *en.get(key, {}).values()]}) != 1
    }
    assert disagree == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_entries_have_the_forms_of_their_language(lang: str) -> None:
    wanted = set(locale(lang).plural_form.tags) | {"other"}
    found = plural_entries(lang)
    assert found, "no plural entry at all: the grouping is broken"
    assert {key: forms for key, forms in found.items() if forms != wanted} == {}


def test_plural_forms_count() -> None:
    """A plural text says how many: every form has {count}, the number that chose it."""
    missing = {
        (lang, key, form)
        for lang in LANGUAGES
        for key, forms in entries(lang).items()
        for form, text in forms.items()
        if form and "{count}" not in text
    }
    assert missing == set()


def test_no_text_hedges_its_plural() -> None:
    """No "callback(s)" or "day(s)": a plural entry says "1 callback", "3 callbacks"."""
    assert {key: text for key, text in EN.items() if re.search(r"\w\(s\)", text)} == {}


def test_no_chinese_text_is_left_in_english() -> None:
    untranslated = {
        key: text
        for key, text in ZH.items()
        if text == EN.get(key) and SENTENCE.search(text) and not CHINESE.search(text)
    }
    assert untranslated == {}


# ASCII , : ; ( ) next to a Chinese character (spaces aside): in a Chinese sentence they are
# full-width (，：；（）). Between placeholders, numbers or codes, ASCII stays.
HAN = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
ASCII_IN_CHINESE = re.compile(rf"{HAN} ?[,:;()]|[,:;()] ?{HAN}")


def test_chinese_sentences_use_full_width_punctuation() -> None:
    half_width = {key: text for key, text in ZH.items() if ASCII_IN_CHINESE.search(str(text))}
    assert half_width == {}


def test_the_punctuation_check_finds_what_it_should() -> None:
    found = [ASCII_IN_CHINESE.search(text) is not None for text in (
        "客户接受超出建议的补偿, 待审批", "前一投诉未解决(重复投诉)", "建议补偿: {x}",
        "月份 (YYYY-MM)", "核实 ≤ {due} ({hours} h)", "F2 接听", "{a}: {b}",
    )]  # fmt: skip
    assert found == [True, True, True, True, False, False, False]
