"""clean_text / clean_line: escapes and control characters out, everything else kept."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.domain.text import clean_line, clean_text
from tests.injections import MARKUP_LIKE

INVISIBLE = "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" + (
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{INVISIBLE}]")
PLAIN = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=INVISIBLE))


@pytest.mark.parametrize("value", MARKUP_LIKE)
def test_markup_like_text_is_kept(value: str) -> None:
    assert clean_text(value) == value
    assert clean_line(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\x1b[2J", ""),
        ("\x1b]52;c;aGk=\x07", ""),
        ("a\x1b[2Jb", "ab"),
        ("name\x1b]52;c;aGk=\x07[TODO]", "name[TODO]"),
        ("\x1b]0;title\x1b\\after", "after"),  # OSC ended by ST
        ("\x1b[1;31mred\x1b[0m", "red"),
        ("\x1b(Bx", "x"),  # other ESC sequence
        ("tail\x1b", "tail"),  # lone ESC
        ("a\x1b\x1b[2Jb", "ab"),
        ("\x9b31mx", "x"),  # 8-bit CSI
        ("\x9d0;t\x9cy", "y"),  # 8-bit OSC ended by 8-bit ST
        ("bell\x07 nul\x00 del\x7f c1\x85", "bell nul del c1"),
    ],
)
def test_escape_sequences_and_controls_are_removed(value: str, expected: str) -> None:
    assert clean_text(value) == expected


def test_cjk_emoji_newlines_and_tabs_are_kept() -> None:
    value = "张伟 投诉：包裹破损 😡\n第二行\t制表"
    assert clean_text(value) == value


def test_carriage_returns_become_newlines() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def test_clean_line_flattens_newlines_and_tabs() -> None:
    assert clean_line("张\n伟\tx\r\ny") == "张 伟 x y"
    assert clean_line("\x1b[2J[bold]x") == "[bold]x"


@given(st.text())
def test_output_never_contains_esc_c0_or_c1(value: str) -> None:
    cleaned = clean_text(value)
    assert not FORBIDDEN.search(cleaned)
    assert "\x1b" not in cleaned
    assert clean_text(cleaned) == cleaned


@given(st.text())
def test_clean_line_output_is_one_line(value: str) -> None:
    line = clean_line(value)
    assert not FORBIDDEN.search(line)
    assert "\n" not in line and "\t" not in line


@given(PLAIN)
def test_text_without_controls_is_unchanged(value: str) -> None:
    assert clean_text(value) == value


@given(PLAIN, PLAIN, st.sampled_from(["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b[0m", "\x1bc"]))
def test_escape_between_plain_text_leaves_the_text(before: str, after: str, esc: str) -> None:
    assert clean_text(before + esc + after) == before + after


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\u202e87654321831", "87654321831"),  # would display as 13812345678
        ("张\u2066三\u2069", "张三"),
        ("李\u200b雷", "李雷"),
        ("\ufeffSF1311234567890\u200e", "SF1311234567890"),
        ("abc\u202adef\u202c\u2067g\u2069", "abcdefg"),
    ],
)
def test_bidirectional_and_zero_width_characters_are_removed(value: str, expected: str) -> None:
    assert clean_text(value) == expected
    assert clean_line(value) == expected
