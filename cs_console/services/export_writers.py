"""The file formats of an export: CSV, JSON and XLSX, each written row by row.

CSV is UTF-8 with a byte-order mark (Excel then reads Chinese correctly) and no cell that a
spreadsheet would run as a formula (domain/spreadsheet_cells.py). JSON is one array of
objects, written an object at a time. XLSX goes through openpyxl's write-only workbook,
which streams rows to disk; every text cell is a string cell, never a formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, BinaryIO

from cs_console.domain.spreadsheet_cells import neutralise_cell
from cs_console.services.complaint_export import FIELDS

FORMATS = ("csv", "json", "xlsx")
# Spreadsheets get the compensation object as two flat columns.
FLAT_FIELDS = tuple(
    column
    for name in FIELDS
    for column in (
        ("compensation_kind", "compensation_amount") if name == "compensation" else (name,)
    )
)


def flat_row(row: dict[str, Any]) -> list[Any]:
    """A row's values in FLAT_FIELDS order (compensation split in kind and amount)."""
    flat = {**row, "compensation_kind": None, "compensation_amount": None}
    compensation = row.get("compensation") or {}
    flat["compensation_kind"] = compensation.get("kind")
    flat["compensation_amount"] = compensation.get("amount")
    return [flat[name] for name in FLAT_FIELDS]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return neutralise_cell(str(value))


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    """Write a header and one line per row to a text stream opened with newline=""."""
    writer = csv.writer(stream)
    writer.writerow(FLAT_FIELDS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in flat_row(row)])


def write_json(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    """Write one JSON array of the rows, an object per line, without holding them all."""
    stream.write("[")
    separator = "\n"
    for row in rows:
        stream.write(separator + json.dumps(row, ensure_ascii=False))
        separator = ",\n"
    stream.write("\n]\n")


def write_xlsx(rows: Iterable[dict[str, Any]], target: Path | BinaryIO) -> None:
    """Write a workbook with one sheet ("complaints") to ``target`` (a path or a binary
    file opened for writing), streaming the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("complaints")

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith("=") and value not in ERROR_CODES:
            return value  # openpyxl stores any other str as a string cell
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # "=..." stays text, and "#N/A" is no error value
        return text

    sheet.append([cell(name) for name in FLAT_FIELDS])
    for row in rows:
        sheet.append([cell(value) for value in flat_row(row)])
    book.save(target)
