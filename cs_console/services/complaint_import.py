"""Backfilling complaints from a paper or spreadsheet register (the fallback in an outage).

Every row is checked by the registration form's rules; a register with any bad row
imports nothing unless the caller skips the bad rows. The good rows are registered in one
transaction, as the importing person (who owns them: 首问负责制, whoever registers owns),
with their clocks starting at the register's time. Each row carries an import key, unique
in the database, so importing a register twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from cs_console.domain.complaint_entry import ValidComplaint
from cs_console.domain.enums import NameChoice
from cs_console.domain.permissions import Action
from cs_console.domain.register_rows import HeaderProblems, form_from_row, import_key, map_header
from cs_console.services.complaints import checked_registration, store_complaint
from cs_console.services.context import Actor, ServiceContext, ServiceError, data_key_of, require
from cs_console.services.register_files import RegisterTable, RejectedRow
from cs_console.storage.engine import write_session
from cs_console.storage.tables import Complaint

Progress = Callable[[str, int, int], None]  # (stage: "check" or "store", done, total)
_KEYS_PER_QUERY = 500


class BadHeader(ServiceError):
    """The header row names unknown columns, misses required ones or repeats one."""

    def __init__(self, problems: HeaderProblems) -> None:
        super().__init__("import_bad_header")
        self.problems = problems


class RowsInvalid(ServiceError):
    """Some rows break the form's rules: nothing was imported."""

    def __init__(self, rejected: tuple[RejectedRow, ...]) -> None:
        super().__init__("import_rows_invalid", count=len(rejected))
        self.rejected = rejected


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows registered, rows already in the database, rows rejected."""

    imported: int
    already_imported: int
    rejected: tuple[RejectedRow, ...]
    first_reference: str | None = None
    last_reference: str | None = None


@dataclass(frozen=True)
class _Ready:
    valid: ValidComplaint
    registered_at: datetime
    key: str


def check_register(
    console: ServiceContext, table: RegisterTable, progress: Progress | None = None
) -> tuple[list[_Ready], tuple[RejectedRow, ...]]:
    """Every row checked: those ready to register (a row repeated in the file once), and
    the rejected ones with every wrong field."""
    mapping, problems = map_header(table.header)
    if problems is not None:
        raise BadHeader(problems)
    now = console.now()
    ready: dict[str, _Ready] = {}
    rejected: list[RejectedRow] = []
    for done, (line, cells) in enumerate(table.rows, start=1):
        if progress is not None and (done % 100 == 0 or done == len(table.rows)):
            progress("check", done, len(table.rows))
        row = {name: cells[i] if i < len(cells) else "" for i, name in mapping.items()}
        form, registered_at, errors = form_from_row(row, console.zone, now)
        valid, problems_of_form = checked_registration(console, form)
        errors = {**problems_of_form, **errors}
        if valid is None or registered_at is None or errors:
            rejected.append(RejectedRow(line, cells, errors))
            continue
        key = import_key(valid, registered_at)
        ready.setdefault(key, _Ready(valid, registered_at, key))
    return list(ready.values()), tuple(rejected)


def import_register(
    console: ServiceContext,
    actor: Actor,
    table: RegisterTable,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Register the register's rows as complaints owned by ``actor``, all or nothing.

    Raises ``BadHeader`` for an unreadable header and ``RowsInvalid`` (listing every bad
    row) unless ``skip_invalid``, in which case the report carries the rejected rows.
    Rows whose import key is already stored are counted, not registered again.
    """
    require(actor, Action.IMPORT_COMPLAINTS)
    key = data_key_of(actor)
    ready, rejected = check_register(console, table, progress)
    if rejected and not skip_invalid:
        raise RowsInvalid(rejected)
    references: list[str] = []
    with write_session(console.engine) as session:
        known: set[str] = set()
        keys = [row.key for row in ready]
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            found = session.exec(
                select(col(Complaint.import_key)).where(col(Complaint.import_key).in_(chunk))
            )
            known.update(key for key in found if key is not None)
        new = [row for row in ready if row.key not in known]
        # Oldest first, so references and the repeat rule follow the register's order.
        new.sort(key=lambda row: row.registered_at)
        for done, row in enumerate(new, start=1):
            registered = store_complaint(
                session,
                console,
                actor,
                row.valid,
                key=key,
                registered_at=row.registered_at,
                import_key=row.key,
                # A register row never overwrites a stored name: a different one stays the
                # complaint's own contact name.
                name_choice=NameChoice.OTHER_PERSON,
            )
            references.append(registered.reference)
            if progress is not None:
                progress("store", done, len(new))
    duplicates = len(table.rows) - len(rejected) - len(references)
    return ImportReport(
        len(references),
        duplicates,
        rejected,
        references[0] if references else None,
        references[-1] if references else None,
    )
