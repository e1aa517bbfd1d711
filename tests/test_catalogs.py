"""Every text a person sees exists in zh-CN and en (all message catalogues, not only the
workspace's), with the same placeholders, and the Chinese one is Chinese."""

from __future__ import annotations

import re

from cs_console.config.language import catalog

ZH, EN = catalog("zh-CN"), catalog("en")
SENTENCE = re.compile(r"[A-Za-z']{2,}(?:,? [A-Za-z']{2,}){2,}")  # three English words in a row
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_both_languages_have_every_key() -> None:
    assert sorted(ZH.keys() - EN.keys()) == []
    assert sorted(EN.keys() - ZH.keys()) == []


def test_placeholders_agree() -> None:
    fields = lambda text: set(re.findall(r"{(\w+)}", text))  # noqa: E731
    assert {k: fields(v) for k, v in ZH.items() if fields(v) != fields(EN.get(k, ""))} == {}


def test_no_chinese_text_is_left_in_english() -> None:
    untranslated = {
        key: text
        for key, text in ZH.items()
        if text == EN.get(key) and SENTENCE.search(text) and not CHINESE.search(text)
    }
    assert untranslated == {}
