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


_MARKED = (*FORMULA_STARTS, _TEXT_MARK)


def neutralise_cell(text: str) -> str:
    """Return ``text`` so that no spreadsheet runs it: a formula-like start gets a ``'``.

    Cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are prefixed
    with an apostrophe, and so are cells that already start with one (so that
    ``restore_cell`` gives every cell back exactly); every other cell, including the empty
    one, is returned unchanged.
    """
    return _TEXT_MARK + text if text.startswith(_MARKED) else text


def restore_cell(text: str) -> str:
    """Undo ``neutralise_cell``: an apostrophe before a formula-like start or before
    another apostrophe is removed. A lone apostrophe ("'quoted'") is kept, so only what an
    export added is taken away.
    """
    if text.startswith(_TEXT_MARK) and text[1:].startswith(_MARKED):
        return text[1:]
    return text
