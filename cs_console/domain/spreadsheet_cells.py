"""Text cells that a spreadsheet opens safely (CSV/formula injection).

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``), and a leading tab or
carriage return can hide such a start. Exports prefix these cells with an apostrophe,
which spreadsheets read as "this is text"; imports remove exactly that prefix again, so a
complaint exported and imported back keeps its text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_MARK = "'"


def neutralise_cell(text: str) -> str:
    """Return ``text`` so that no spreadsheet runs it: a formula-like start gets a ``'``.

    Cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are prefixed
    with an apostrophe; every other cell, including the empty one, is returned unchanged.
    """
    return _TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def restore_cell(text: str) -> str:
    """Undo ``neutralise_cell``: an apostrophe before a formula-like start is removed.

    Other apostrophes are kept ("'quoted'" stays as it is), so only what an export added
    is taken away.
    """
    if text.startswith(_TEXT_MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
