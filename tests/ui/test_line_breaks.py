"""Chinese line breaking (ui/textual_fixes/line_breaks.py): what Rich would do for text
without wide characters; never a closing mark at the start of a line; references whole."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len
from rich.text import Text

from cs_console.ui.textual_fixes.line_breaks import NO_LINE_END, NO_LINE_START, divide_line


def lines(text: str, width: int) -> list[str]:
    breaks = divide_line(text, width)
    return [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]


NOT_WIDE = st.characters().filter(lambda c: unicodedata.east_asian_width(c) not in ("W", "F"))


@given(st.text(alphabet=NOT_WIDE), st.integers(1, 40), st.booleans())
def test_text_without_chinese_is_divided_as_rich_divides_it(
    text: str, width: int, fold: bool
) -> None:
    assert divide_line(text, width, fold) == rich_divide_line(text, width, fold)


# Chinese words, references and keys (after a Chinese word, as in the console's text), each
# with at most one mark before and after it: nothing unbreakable is longer than 19 cells,
# so every line can keep to the rules.
WORDS = [
    "的",
    "不",
    "会记",
    "住登录",
    "编号C-20261206-0057",
    "单号SF1311234567001",
    "4理赔",
    "按ctrl+r",
    "约12 h",
]
MARKED = st.tuples(
    st.sampled_from(["", "", " ", "（", "「"]),
    st.sampled_from(WORDS),
    st.sampled_from(["", "", " ", "，", "。", "、", "：", "！", "？", "）", "」"]),
).map("".join)
CHINESE = st.lists(MARKED, min_size=1).map("".join)


@given(CHINESE, st.integers(19, 60))
def test_no_line_begins_with_closing_punctuation(text: str, width: int) -> None:
    for line in lines(text, width)[1:]:
        if line.strip():
            assert line.lstrip()[0] not in NO_LINE_START, lines(text, width)


@given(CHINESE, st.integers(19, 60))
def test_no_line_ends_with_opening_punctuation_or_cuts_a_reference(text: str, width: int) -> None:
    divided = lines(text, width)
    for line in divided[:-1]:
        if line.strip():
            assert line.rstrip()[-1] not in NO_LINE_END, divided
    for reference in ("C-20261206-0057", "SF1311234567001"):
        assert text.count(reference) == sum(line.count(reference) for line in divided)


@given(CHINESE, st.integers(19, 60))
def test_every_line_fits(text: str, width: int) -> None:
    for line in lines(text, width):
        assert cell_len(line.rstrip()) <= width


def test_punctuation_stays_with_the_character_before_it() -> None:
    assert lines("请您稍等，我这边马上帮您核实一下。", 32) == [
        "请您稍等，我这边马上帮您核实一",
        "下。",
    ]
    assert lines("已登记。投诉编号（C-20261206-0057）", 20) == [
        "已登记。投诉编号",
        "（C-20261206-0057）",
    ]


def test_a_reference_never_wraps_mid_number() -> None:
    assert lines("投诉编号C-20261206-0057已登记，请记下", 20) == [
        "投诉编号",
        "C-20261206-0057已登",
        "记，请记下",
    ]


def test_short_words_still_move_whole() -> None:
    assert lines("1查询  2寄件  3投诉  4理赔", 22) == ["1查询  2寄件  3投诉  ", "4理赔"]


def test_rich_text_wraps_the_same_way_once_applied() -> None:
    from rich.console import Console

    from cs_console.ui.textual_fixes import apply_textual_fixes

    apply_textual_fixes()
    wrapped = Text("请您稍等，我这边马上帮您核实一下。").wrap(Console(width=80), 32)
    assert [line.plain for line in wrapped] == ["请您稍等，我这边马上帮您核实一", "下。"]
