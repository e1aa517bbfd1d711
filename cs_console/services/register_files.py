"""Reading a complaint register (.csv or .xlsx) into text cells, and writing its rejects.

Cells are read as the person wrote them: CSV in UTF-8 (with or without a byte-order mark)
or, as Excel saves it on Chinese Windows, GB18030; a workbook's first sheet as
services/register_workbook.py reads it. The header may stand below a title row; each row
keeps the line number a person sees in their editor or spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from cs_console.domain.register_rows import HeaderProblems, map_header
from cs_console.domain.spreadsheet_cells import neutralise_cell
from cs_console.i18n import t
from cs_console.services.context import ServiceError
from cs_console.services.register_workbook import SheetLine, read_workbook

SUFFIXES = (".csv", ".xlsx")
_HEADER_SEARCH = 10  # non-blank rows (titles, notes) looked through for the header


@dataclass(frozen=True)
class RegisterTable:
    """The header cells, and every non-blank row below it with its line number."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    # (line, position) of each cell Excel stored as an error value (#N/A, #REF! ...).
    error_cells: frozenset[tuple[int, int]] = frozenset()
    # Header cells naming no column of the register (序号, 备注 ...): their cells are ignored.
    ignored: tuple[str, ...] = ()
    # A workbook's sheets, the one read first; empty for a CSV file.
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot be imported: its line, its cells, each wrong field's error code and
    the row's text by field (a message may name the value)."""

    line: int
    cells: tuple[str, ...]
    errors: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)


def _decoded(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError("import_bad_encoding")


def _csv_rows(path: Path) -> Iterator[SheetLine]:
    reader = csv.reader(io.StringIO(_decoded(path.read_bytes()), newline=""))
    line = 1
    try:
        for cells in reader:
            yield SheetLine(line, tuple(cells))
            line = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error as error:
        raise ServiceError("import_bad_csv", line=line, detail=str(error)) from None


def _table(lines: Iterator[SheetLine], sheets: tuple[str, ...] = ()) -> RegisterTable:
    """The header is the first row naming the most required columns (all, in a good file)
    among the first few non-blank rows, since a title or a note may stand above it; a header
    still missing some is then refused with its problems. Line numbers stay the file's."""
    filled = (line for line in lines if any(cell.strip() for cell in line.cells))
    leading = list(islice(filled, _HEADER_SEARCH))
    missing = [len(_header_problems(_header_cells(line)).missing) for line in leading]
    at = missing.index(min(missing)) if leading else 0
    header = _header_cells(leading[at]) if leading else ()
    data = [*leading[at + 1 :], *filled]
    errors = frozenset((line.line, i) for line in data for i in line.errors)
    problems = _header_problems(header)
    ignored = () if problems.refuses else problems.unknown  # a refused header says them all
    rows = tuple((line.line, line.cells) for line in data)
    return RegisterTable(header, rows, errors, ignored, sheets)


def _header_cells(line: SheetLine) -> tuple[str, ...]:
    """A header cell merged across columns names its first column only."""
    return tuple("" if i in line.merged else cell for i, cell in enumerate(line.cells))


def _header_problems(cells: tuple[str, ...]) -> HeaderProblems:
    return map_header(cells)[1] or HeaderProblems()


def read_register(path: Path) -> RegisterTable:
    """Read a register file; refuses other file types and unreadable files."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ServiceError("import_unsupported_file", suffix=suffix or path.name)
    if suffix == ".csv":
        return _table(_csv_rows(path))
    workbook = read_workbook(path, _names_every_column)
    return _table(workbook.rows, workbook.sheets)


def _names_every_column(cells: list[str]) -> bool:
    return not _header_problems(tuple(cells)).missing


def rejects_path(path: Path) -> Path:
    """Where ``--skip-invalid`` writes the rejected rows: beside the register,
    ``<name>.rejected.csv``."""
    return path.with_name(f"{path.stem}.rejected.csv")


def describe_errors(row: RejectedRow) -> str:
    """The errors of a row in the current language: "Phone: Not a valid phone number; ..."."""
    return t("import.separator").join(
        t(
            "import.field_error",
            field=t(f"import.field.{name}"),
            message=t(f"error.{code}", value=row.values.get(name, "").strip()),
        )
        for name, code in row.errors.items()
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
            writer.writerow([row.line, neutralise_cell(describe_errors(row)), *cells])
