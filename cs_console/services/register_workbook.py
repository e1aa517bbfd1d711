"""Reading the register sheet of a complaint register workbook (.xlsx) as text cells: the
first sheet with the header among its first rows (an instructions sheet may come first).

Cells come back as the person sees them: numbers and date-times Excel stored as numbers
become text again ("13812345678", "2026-11-20T14:30:00"), a date shown without a time stays
a date ("2026-11-20", which the register refuses like a typed date without a time), every
cell of a merged range holds the range's value, and cells Excel stored as an error value
(#N/A, #REF! …) are marked so the row can be refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any, NamedTuple

from openpyxl.utils.cell import range_boundaries

from cs_console.services.context import ServiceError

# A merged range in the sheet's XML; "<mergeCell ref=...>" holds no ">" before its end.
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
# Literal text, colours, locales and escapes in a number format, which never show a time.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_CHUNK = 1 << 20


class SheetLine(NamedTuple):
    """A row of a register file: its line number, its cells, the positions of cells Excel
    stored as an error value and of cells given a merged range's value."""

    line: int
    cells: tuple[str, ...]
    errors: frozenset[int] = frozenset()
    merged: frozenset[int] = frozenset()


HEADER_ROWS = 20  # rows of each sheet looked through for the register's header


@dataclass(frozen=True)
class SheetRows:
    """The rows of the sheet read and the names of the workbook's sheets, the one read
    first."""

    rows: Iterator[SheetLine]
    sheets: tuple[str, ...]


@cache  # a sheet has a handful of formats and many cells
def _shows_time(number_format: str | None) -> bool:
    return bool(re.search(r"[hs]", _FORMAT_LITERALS.sub("", number_format or ""), re.I))


def _text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and not _shows_time(cell.number_format):
        return value.date().isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _merged_ranges(source: IO[bytes]) -> list[tuple[int, int, int, int]]:
    """(first column, first row, last column, last row) of every merged range, read from the
    sheet's XML in chunks (read-only workbooks do not load them)."""
    ranges: list[tuple[int, int, int, int]] = []
    tail = b""
    while chunk := source.read(_CHUNK):
        data = tail + chunk
        cut = data.rfind(b">") + 1
        for ref in _MERGE_CELL.findall(data[:cut]):
            first_col, first_row, last_col, last_row = range_boundaries(ref.decode())
            if first_col and first_row and last_col and last_row:
                ranges.append((first_col, first_row, last_col, last_row))
        tail = data[cut:]
    return sorted(ranges, key=lambda merged: merged[1])


def _filled(
    lines: Iterator[tuple[int, list[str], set[int]]], ranges: list[tuple[int, int, int, int]]
) -> Iterator[SheetLine]:
    """Every cell of a merged range given its top-left cell's text (and error mark)."""
    waiting = iter(ranges)
    upcoming = next(waiting, None)
    active: list[tuple[tuple[int, int, int, int], str, bool]] = []
    for line, cells, errors in lines:
        active = [item for item in active if item[0][3] >= line]
        while upcoming is not None and upcoming[1] <= line:
            if upcoming[1] == line:
                position = upcoming[0] - 1
                value = cells[position] if position < len(cells) else ""
                active.append((upcoming, value, position in errors))
            upcoming = next(waiting, None)
        merged: set[int] = set()
        for (first_col, first_row, last_col, _), value, is_error in active:
            cells.extend([""] * (last_col - len(cells)))
            for position in range(first_col - 1, last_col):
                if (line, position) != (first_row, first_col - 1):
                    cells[position] = value
                    merged.add(position)
                if is_error:
                    errors.add(position)
        yield SheetLine(line, tuple(cells), frozenset(errors), frozenset(merged))


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and XML errors alike
        raise ServiceError("import_bad_xlsx", detail=str(error) or type(error).__name__) from None


def _register_sheet(book: Any, is_header: Callable[[list[str]], bool]) -> int:
    """The first sheet with a header among its first rows (an instructions sheet may come
    first); the first sheet when none has one (its header problems are then told)."""
    for index, sheet in enumerate(book.worksheets):
        sheet.reset_dimensions()
        leading = sheet.iter_rows(max_row=HEADER_ROWS, values_only=True)
        if any(is_header(["" if v is None else str(v) for v in row]) for row in leading):
            return index
    return 0


def read_workbook(path: Path, is_header: Callable[[list[str]], bool]) -> SheetRows:
    """The register sheet's rows as text (the first sheet ``is_header`` finds a header in,
    else the first); refuses a file that is not a readable workbook.

    The workbook is opened read-only (a large register streams) and closed once the rows
    have been read to the end.
    """
    book = _open(path)
    try:
        chosen = _register_sheet(book, is_header)
    except BaseException:
        book.close()
        raise
    sheet = book.worksheets[chosen]
    # The used range a file claims ("A1:XFD1048576" after a stray format on a whole column)
    # would pad every row to 16,384 cells and count a million rows: read the cells that are
    # really there instead.
    sheet.reset_dimensions()

    def lines() -> Iterator[tuple[int, list[str], set[int]]]:
        for line, row in enumerate(sheet.iter_rows(), start=1):
            errors = {i for i, cell in enumerate(row) if cell.data_type == "e"}
            yield line, [_text(cell) for cell in row], errors

    def rows() -> Iterator[SheetLine]:
        try:
            # The sheet's XML as openpyxl itself opens it (a method its stubs omit).
            with sheet._get_source() as source:
                ranges = _merged_ranges(source)
            yield from _filled(lines(), ranges)
        finally:
            book.close()

    titles = [ws.title for ws in book.worksheets]
    return SheetRows(rows(), (titles.pop(chosen), *titles))
