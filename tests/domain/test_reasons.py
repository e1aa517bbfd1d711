"""A recorded reason is a few real words: not a keystroke, markup or invisible characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.reasons import no_visible_words, reason_problem
from cs_console.domain.validation import FieldError

SECURITY = default_policy().security


@pytest.mark.parametrize(
    "reason",
    [
        "客户来电要求核对联系电话",
        "核对电话",
        "customer asked",
        "Customer asked to confirm the phone",
        "回拨 customer",  # one word and two characters add up
        "  [b]客户要求回拨[/b]  ",  # markup around real words: the words count
    ],
)
def test_a_few_real_words_are_a_reason(reason: str) -> None:
    assert reason_problem(reason, SECURITY) is None


@pytest.mark.parametrize("reason", ["", "   ", "\x1b[2J", "\u200b\u200b", "\x00\x07"])
def test_nothing_visible_is_missing(reason: str) -> None:
    assert reason_problem(reason, SECURITY) is FieldError.REQUIRED


@pytest.mark.parametrize(
    "reason",
    [
        "x",
        "ok",
        "x y z",  # single letters are not words
        "[b][/b]",  # markup only
        "[bold red]x",
        "[@click=app.quit]x[/]",
        "...!!!???",
        "。。。，，，",
        "12345678",
        "核对",  # two characters: too few
        "啊啊啊啊啊",  # one character repeated
        "aa aa aa",
        "a\u200bb\u200bc\u200bd",  # zero-width spaces do not make words
        "ab\u200bcd",
        "x\x1b]52;c;aGk=\x07",
        "😀😀😀 🙂🙂",
    ],
)
def test_junk_is_too_vague(reason: str) -> None:
    assert reason_problem(reason, SECURITY) is FieldError.REASON_TOO_VAGUE


@given(st.text(alphabet=st.characters(categories=["P", "S", "N", "Z", "C"])))
def test_no_letters_is_never_a_reason(reason: str) -> None:
    assert reason_problem(reason, SECURITY) is not None


@pytest.mark.parametrize("note", ["换班", "丢失", "ok", "  [b]转专员[/b] ", "é"])
def test_a_short_note_with_a_visible_word_has_words(note: str) -> None:
    assert not no_visible_words(note)


@pytest.mark.parametrize(
    "note",
    [
        "",
        "   ",
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u202e\u202a\u2066\u2069\u200f",  # bidirectional controls
        "\ufeff\u2060\u200d",  # other invisible format characters
        "\x1b[2J\x1b]52;c;aGk=\x07",  # terminal escapes
        "[b][/b][TODO]",  # markup only
        "123 !?。，",  # no letter at all
    ],
)
def test_invisible_characters_markup_and_punctuation_are_no_words(note: str) -> None:
    assert no_visible_words(note)
