"""Every text a person sees exists in zh-CN and en (all message catalogues, not only the
workspace's), with the same placeholders, and the Chinese one is Chinese."""

from __future__ import annotations

import re

from cs_console.i18n import catalog

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


# ASCII , : ; ( ) next to a Chinese character (spaces aside): in a Chinese sentence they are
# full-width (，：；（）). Between placeholders, numbers or codes, ASCII stays.
HAN = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
ASCII_IN_CHINESE = re.compile(rf"{HAN} ?[,:;()]|[,:;()] ?{HAN}")


def test_chinese_sentences_use_full_width_punctuation() -> None:
    half_width = {key: text for key, text in ZH.items() if ASCII_IN_CHINESE.search(str(text))}
    assert half_width == {}


def test_the_punctuation_check_finds_what_it_should() -> None:
    found = [ASCII_IN_CHINESE.search(text) is not None for text in (
        "客户接受超出建议的补偿, 待主管审批", "前一投诉未解决(重复投诉)", "建议补偿: {x}",
        "月份 (YYYY-MM)", "核实 ≤ {due} ({hours} h)", "F2 接听", "{a}: {b}",
    )]  # fmt: skip
    assert found == [True, True, True, True, False, False, False]
