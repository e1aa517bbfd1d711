"""Chinese line breaking for every text Textual and Rich wrap in the console.

Both wrap with ``rich._wrap.divide_line``, which breaks only at spaces: a Chinese sentence
(no spaces) is one long "word", chopped wherever the width runs out when it is longer than
a line, so a line could begin with "，" or "。", and a reference inside Chinese text
("投诉编号C-20261206-0057已登记") was cut mid-number. ``divide_line`` here folds such a word
between two characters of which one is Chinese (East Asian wide), never before closing
punctuation (it stays with the character before it) nor after opening punctuation; runs
of Latin letters, digits and dashes (a reference, a tracking number) stay whole unless one
alone is longer than a line. Words that fit on a line move to the next one whole, as in
Rich, so short labels ("4理赔") are never split.

Text without a wide character is divided exactly as Rich divides it. ``apply()`` puts it in
place of ``divide_line`` in ``textual.content`` (Static, Label, toasts, Content) and
``rich.text`` (Rich renderables); it is written for textual 8.2.8 / rich 15.0.0 and refuses
to patch (RuntimeError) when either module no longer uses Rich's function.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import rich._wrap
import rich.text
import textual.content
from rich.cells import cell_len, chop_cells

# Never at the start of a line (closing punctuation, Chinese and ASCII).
NO_LINE_START = frozenset("，。、；：！？）」』】〉》〕〗〙〛｝］％…‥・·”’,.;:!?)]}%")
# Never at the end of a line (opening punctuation).
NO_LINE_END = frozenset("（「『【〈《〔〖〘〚｛［“‘([{")

_RICH_DIVIDE_LINE = rich._wrap.divide_line
_PATCHED_MODULES = (textual.content, rich.text)


@lru_cache(maxsize=4096)
def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def _may_break(before: str, after: str) -> bool:
    """May a line end between ``before`` and ``after`` (neither a space)?"""
    if not (_is_wide(before) or _is_wide(after)):
        return False  # inside a Latin word, a number or a reference
    return after not in NO_LINE_START and before not in NO_LINE_END


def _pieces(word: str) -> Iterator[tuple[int, str]]:
    """``word`` (no spaces but at its ends) cut where a line may break inside it:
    (index in the word, piece)."""
    begin = 0
    for index in range(1, len(word)):
        before, after = word[index - 1], word[index]
        if not before.isspace() and not after.isspace() and _may_break(before, after):
            yield begin, word[begin:index]
            begin = index
    yield begin, word[begin:]


def _fold(word: str, start: int, width: int, breaks: list[int]) -> int:
    """Fold a word longer than a line over several lines, breaking between Chinese
    characters where a line may break; returns the cells used on its last line."""
    offset = 0
    for index, piece in _pieces(word):
        length = cell_len(piece.rstrip())
        if offset and width - offset < length:
            breaks.append(start + index)
            offset = 0
        if length <= width:
            offset += cell_len(piece)
            continue
        # A piece longer than a line (a long number): chopped, as Rich would.
        chopped = chop_cells(piece, width=width)
        position = start + index
        for line in chopped[:-1]:
            position += len(line)
            breaks.append(position)
        offset = cell_len(chopped[-1])
    return offset


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Where to break ``text`` to fit ``width`` cells: Rich's ``divide_line`` (same
    arguments, same result for text without wide characters), folding a word longer than
    a line between Chinese characters rather than at the last cell that fits."""
    breaks: list[int] = []
    offset = 0
    for start, _end, word in rich._wrap.words(text):
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            if start:
                breaks.append(start)  # a long word starts a line, as in Rich
            if not fold:
                offset = cell_len(word)
            elif any(_is_wide(character) for character in word):
                offset = _fold(word, start, width, breaks)
            else:
                chopped = chop_cells(word, width=width)
                position = start
                for line in chopped[:-1]:
                    position += len(line)
                    breaks.append(position)
                offset = cell_len(chopped[-1])
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def apply() -> None:
    """Wrap with :func:`divide_line` in Textual and Rich (once; again is a no-op)."""
    for module in _PATCHED_MODULES:
        current = getattr(module, "divide_line", None)
        if current is divide_line:
            continue
        if current is not _RICH_DIVIDE_LINE:
            raise RuntimeError(
                f"{module.__name__} no longer wraps with rich._wrap.divide_line: "
                "re-derive cs_console.ui.textual_fixes.line_breaks"
            )
        module.divide_line = divide_line  # type: ignore[attr-defined]
