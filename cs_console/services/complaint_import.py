"""Backfilling complaints from a paper or spreadsheet register (the fallback in an outage).

Every row is checked by the registration form's rules; a register with any bad row
imports nothing unless the caller skips the bad rows. The good rows are registered as the
importing person (who owns them: 首问负责制, whoever registers owns), with their clocks
starting at the register's time. Each row carries an import key, unique in the database, so
importing a register twice adds nothing. The rows are staged, then published, in short
write transactions (services/import_publish.py says what all-or-nothing means then).
"""

from __future__ import annotations

from dataclasses import dataclass

from cs_console.domain.permissions import Action
from cs_console.domain.register_rows import (
    HeaderProblems,
    RowError,
    form_from_row,
    import_key,
    map_header,
)
from cs_console.services.complaints import checked_registration
from cs_console.services.context import Actor, ServiceContext, ServiceError, data_key_of, require
from cs_console.services.import_publish import (
    Progress,
    ReadyRow,
    publish,
    settle_leftovers,
    stage,
)
from cs_console.services.register_files import RegisterTable, RejectedRow
from cs_console.storage.engine import read_session
from cs_console.storage.import_staging import known_import_keys
from cs_console.storage.incidents import AlertRow, open_alerts

_KEYS_PER_QUERY = 500


class BadHeader(ServiceError):
    """The header row misses a required column or repeats one."""

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
    """What an import did: rows registered, rows already in the database, rows rejected,
    rows repeated within the file."""

    imported: int
    already_imported: int
    rejected: tuple[RejectedRow, ...]
    first_reference: str | None = None
    last_reference: str | None = None
    # Mass-complaint alerts raised by rows inside the current detection window, with their
    # counts after the import (an alert closed meanwhile: as raised).
    alerts: tuple[AlertRow, ...] = ()
    # Rows repeating an earlier row of the same file: (line, the earlier line); each
    # registered once and counted neither as imported again nor as imported before.
    repeats: tuple[tuple[int, int], ...] = ()


def check_register(
    console: ServiceContext, table: RegisterTable, progress: Progress | None = None
) -> tuple[list[ReadyRow], tuple[RejectedRow, ...], tuple[tuple[int, int], ...]]:
    """Every row checked: those ready to register, the rejected ones with every wrong
    field, and each row that repeats an earlier row of the file (its line, the earlier
    line), which is registered once."""
    mapping, problems = map_header(table.header)
    if problems is not None and problems.refuses:
        raise BadHeader(problems)
    now = console.now()
    ready: dict[str, tuple[int, ReadyRow]] = {}
    rejected: list[RejectedRow] = []
    repeats: list[tuple[int, int]] = []
    for done, (line, cells) in enumerate(table.rows, start=1):
        if progress is not None and (done % 100 == 0 or done == len(table.rows)):
            progress("check", done, len(table.rows))
        row = {name: cells[i] if i < len(cells) else "" for i, name in mapping.items()}
        form, registered_at, errors = form_from_row(row, console.zone, now)
        valid, problems_of_form = checked_registration(console, form)
        errors = {**problems_of_form, **errors}
        errors.update(
            (name, RowError.CELL_IS_ERROR.value)
            for i, name in mapping.items()
            if (line, i) in table.error_cells
        )
        if valid is None or registered_at is None or errors:
            rejected.append(RejectedRow(line, cells, errors, row))
            continue
        key = import_key(valid, registered_at)
        if key in ready:
            repeats.append((line, ready[key][0]))
        else:
            ready[key] = (line, ReadyRow(valid, registered_at, key))
    return [ready_row for _, ready_row in ready.values()], tuple(rejected), tuple(repeats)


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
    data_key_of(actor)  # refused before any work when the key is not unlocked
    settle_leftovers(console, actor)
    ready, rejected, repeats = check_register(console, table, progress)
    if rejected and not skip_invalid:
        raise RowsInvalid(rejected)
    new = _not_imported_yet(console, ready)
    # Oldest first, so references and the repeat rule follow the register's order.
    new.sort(key=lambda row: row.registered_at)
    raised: list[AlertRow] = []
    references = (
        publish(console, actor, stage(console, actor, new, progress), len(new), progress, raised)
        if new
        else []
    )
    return ImportReport(
        len(references),
        len(ready) - len(references),
        rejected,
        references[0] if references else None,
        references[-1] if references else None,
        _as_now(console, raised),
        repeats,
    )


def _as_now(console: ServiceContext, raised: list[AlertRow]) -> tuple[AlertRow, ...]:
    """The raised alerts as they stand now (later rows counted on them)."""
    if not raised:
        return ()
    with read_session(console.engine) as session:
        now = {alert.id: alert for alert in open_alerts(session=session)}
    return tuple(now.get(alert.id, alert) for alert in raised)


def _not_imported_yet(console: ServiceContext, ready: list[ReadyRow]) -> list[ReadyRow]:
    """The rows whose import key no stored complaint carries (read without a write lock)."""
    known: set[str] = set()
    with read_session(console.engine) as session:
        for start in range(0, len(ready), _KEYS_PER_QUERY):
            chunk = [row.key for row in ready[start : start + _KEYS_PER_QUERY]]
            known |= known_import_keys(session=session, keys=chunk)
    return [row for row in ready if row.key not in known]
