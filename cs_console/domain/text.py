"""Cleaning of customer-typed text before it is stored or shown.

Terminals act on escape sequences and control characters: an OSC 52 sequence in a stored
name can write to the agent's clipboard, ``ESC [2J`` clears the screen. Textual strips only a
few of them (see docs/pitfalls.md), so every piece of customer text passes through ``clean_text``
when it comes in, and again when it is shown. Markup-like text (``[bold]``, ``[/]``,
``:smile:``) is *not* touched here: it is harmless as long as the UI renders it as plain
``Text``, and the customer may really have typed it.
"""

from __future__ import annotations

import re

# One alternation, scanned left to right, so an escape sequence is removed as a whole and
# its parameters do not survive as stray visible text. Both the 7-bit (ESC x) and the
# 8-bit C1 introducers are recognised.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]        # CSI: ESC [ params final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])                     # OSC, DCS, SOS, PM, APC
      [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)                       # ... up to BEL or ST
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                              # any other ESC x, or lone ESC
    """,
    re.VERBOSE,
)

# What is left after the sequences: C0 except \t (0x09) and \n (0x0a), DEL, and C1.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Invisible formatting characters: the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069), which can make "13812345678" display as "87654321831" or hide
# the end of a name, and the zero-width ones (U+200B-U+200F, U+2060-U+2064, U+FEFF, U+061C),
# which make two equal-looking names differ.
_INVISIBLE_FORMAT = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_LINE_BREAK = re.compile(r"\r\n?")
_WHITESPACE_CONTROL = re.compile(r"[\n\t]")


def clean_text(value: str) -> str:
    """Return ``value`` without terminal escape sequences or control characters.

    CSI sequences (``ESC [ … final``), string sequences such as OSC (``ESC ] … BEL`` or
    ``… ESC \\``) and any other ``ESC x`` pair are removed whole; then every remaining C0
    control character except newline and tab, DEL and every C1 character (U+0080-U+009F) is
    dropped, and so is every bidirectional control and zero-width character (an emoji joined
    with U+200D falls apart into its parts, still readable). Carriage returns are first
    turned into newlines (``\\r\\n`` and a lone ``\\r`` both become ``\\n``) so Windows and
    old-Mac line breaks survive as line breaks. All other characters, brackets, CJK and
    emoji included, are kept unchanged; the result is
    idempotent: cleaning it again changes nothing.
    """
    text = _LINE_BREAK.sub("\n", value)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _INVISIBLE_FORMAT.sub("", _CONTROL_CHARACTER.sub("", text))


def clean_line(value: str) -> str:
    """Return ``value`` cleaned like ``clean_text`` and flattened onto one line.

    Used for single-line fields (names, phone numbers, tracking numbers, outlets): after
    ``clean_text``, each newline and each tab becomes one space, so the value can never
    break a list row or a CSV cell. Leading and trailing spaces are kept; callers strip
    them where the field requires it.
    """
    return _WHITESPACE_CONTROL.sub(" ", clean_text(value))
