"""Reading a complaint register (.csv or .xlsx) into text cells, and writing its rejects.

Cells are read as the person wrote them: CSV in UTF-8 (with or without a byte-order mark)
or, as Excel saves it on Chinese Windows, GB18030; workbook cells that Excel stored as
numbers or dates are turned back into text ("13812345678", "2026-11-20T14:30:00"). Each row
keeps the line number a person sees in their editor or spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cs_console.domain.spreadsheet_cells import neutralise_cell
from cs_console.i18n import t
from cs_console.services.context import ServiceError

SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class RegisterTable:
    """The header cells, and every non-blank row with its line number."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot be imported: its line, its cells and each wrong field's error code."""

    line: int
    cells: tuple[str, ...]
    errors: dict[str, str]


def _decoded(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError("import_bad_encoding")


def _read_csv(path: Path) -> RegisterTable:
    reader = csv.reader(io.StringIO(_decoded(path.read_bytes()), newline=""))
    rows: list[tuple[int, tuple[str, ...]]] = []
    header: tuple[str, ...] | None = None
    line = 1
    try:
        for cells in reader:
            if header is None:
                header = tuple(cells)
            elif any(cell.strip() for cell in cells):
                rows.append((line, tuple(cells)))
            line = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error as error:
        raise ServiceError("import_bad_csv", line=line, detail=str(error)) from None
    return RegisterTable(header or (), tuple(rows))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> RegisterTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and XML errors alike
        raise ServiceError("import_bad_xlsx", detail=str(error) or type(error).__name__) from None
    try:
        sheet = book.worksheets[0]
        # The used range a file claims ("A1:XFD1048576" after a stray format on a whole
        # column) would pad every row to 16,384 cells and count a million rows: read the
        # cells that are really there instead.
        sheet.reset_dimensions()
        header: tuple[str, ...] | None = None
        rows: list[tuple[int, tuple[str, ...]]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(_text(value) for value in values)
            if header is None:
                if any(cell.strip() for cell in cells):
                    header = cells
            elif any(cell.strip() for cell in cells):
                rows.append((line, cells))
        return RegisterTable(header or (), tuple(rows))
    finally:
        book.close()


def read_register(path: Path) -> RegisterTable:
    """Read a register file; refuses other file types and unreadable files."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ServiceError("import_unsupported_file", suffix=suffix or path.name)
    return _read_csv(path) if suffix == ".csv" else _read_xlsx(path)


def rejects_path(path: Path) -> Path:
    """Where ``--skip-invalid`` writes the rejected rows: beside the register,
    ``<name>.rejected.csv``."""
    return path.with_name(f"{path.stem}.rejected.csv")


def describe_errors(errors: dict[str, str]) -> str:
    """The errors of a row in the current language: "Phone: Not a valid phone number; ..."."""
    return t("import.separator").join(
        t("import.field_error", field=t(f"import.field.{name}"), message=t(f"error.{code}"))
        for name, code in errors.items()
    )


def write_rejects(path: Path, header: Iterable[str], rejected: Iterable[RejectedRow]) -> None:
    """Write the rejected rows as CSV (UTF-8 with BOM): line, reason, then the row's cells.

    Its line and reason columns are ignored on import, so the file can be corrected and
    imported as it is.
    """
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([t("import.column.line"), t("import.column.reason"), *header])
        for row in rejected:
            cells = [neutralise_cell(cell) for cell in row.cells]
            writer.writerow([row.line, neutralise_cell(describe_errors(row.errors)), *cells])
