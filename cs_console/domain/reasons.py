"""Reasons that are recorded (a reveal of personal data, compensation above the policy):
a few real words, never a keystroke to get past the question.

A reason counts its words (runs of at least two letters, in scripts written with spaces)
and its CJK characters (Han, kana, Hangul: each one carries a word's meaning). Markup-like
tags (``[b]…[/b]``), digits, punctuation, symbols and invisible or control characters count
for nothing; one character repeated ("啊啊啊啊", "aa aa") is not a reason either.
"""

from __future__ import annotations

import re
import unicodedata

from cs_console.domain.policy import SecurityPolicy
from cs_console.domain.text import clean_line
from cs_console.domain.validation import FieldError

_MARKUP_TAG = re.compile(r"\[[^\[\]]*\]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _is_letter(character: str) -> bool:
    return unicodedata.category(character).startswith("L")


def _visible(text: str) -> str:
    """``text`` without control and format (zero-width) characters, NFKC-folded."""
    folded = unicodedata.normalize("NFKC", clean_line(text))
    return "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Co", "Cn"))


def reason_problem(text: str, policy: SecurityPolicy) -> FieldError | None:
    """Why ``text`` is not a reason worth recording, or None when it is.

    Empty (after cleaning): ``REQUIRED``. Otherwise it needs ``reason_min_words`` words or
    ``reason_min_cjk_chars`` CJK characters (mixed text adds up in proportion: with 2 and 4,
    one word and two characters are enough), and more than one distinct letter; else
    ``REASON_TOO_VAGUE``.
    """
    visible = _visible(text)
    if not visible.strip():
        return FieldError.REQUIRED
    visible = _MARKUP_TAG.sub(" ", visible)
    cjk = len(_CJK.findall(visible))
    spaced = _CJK.sub(" ", visible)
    letters_runs = "".join(c if _is_letter(c) else " " for c in spaced).split()
    words = sum(1 for run in letters_runs if len(run) >= 2)
    letters = {c.casefold() for c in visible if _is_letter(c)}
    need_words, need_cjk = policy.reason_min_words, policy.reason_min_cjk_chars
    enough = words * need_cjk + cjk * need_words >= need_words * need_cjk
    return None if enough and len(letters) > 1 else FieldError.REASON_TOO_VAGUE


def no_visible_words(text: str) -> bool:
    """Whether ``text`` says nothing a person can read: no letter (of any script) is left
    once control and invisible characters and markup-like tags are taken out.

    The looser rule of short recorded notes (a hand-over's "换班"), where the number of
    words is not asked but a reason of zero-width or bidi characters, or of tags, is none.
    """
    visible = _MARKUP_TAG.sub(" ", _visible(text))
    return not any(_is_letter(c) for c in visible)
