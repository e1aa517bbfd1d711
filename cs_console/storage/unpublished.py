"""The complaints of an import still publishing: hidden from every read until it is done.

An import publishes a large register in short transactions (services/import_publish.py),
each stamping the complaints it stores with the batch's id (``hide``). Every ORM select
that reads complaints, in any session of any console, leaves out those whose batch is still
publishing, so others see a register either not imported at all or imported whole: the one
short transaction that deletes the batch's row (storage/import_staging.close_batch) shows
all of them at once, and an import killed while publishing shows none until the next
import finishes it. The session that publishes sees its own rows (``see_unpublished``).

Plain statements run on the session's connection (prebuilt for the hot paths) are not ORM
selects: those that read complaints take the condition from ``hidden`` themselves.

A session asks once, at its first select, whether any batch is publishing, and only then
are its selects given the condition: while no import publishes, reads stay as they were
(the condition would keep an index from answering a count alone). A session that began
before a batch started publishing may see that batch's first rows (on PostgreSQL; a SQLite
read keeps the snapshot it began with).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, event, or_, select, update
from sqlalchemy.orm import ORMExecuteState, Session, aliased, with_loader_criteria
from sqlmodel import col

from cs_console.storage.tables import Complaint, ImportBatch, table_of
from cs_console.storage.tables.imports import PUBLISHING

_PUBLISHING = "cs_console.import_publishing"  # session.info: a batch publishes (checked once)
_SEES_ALL = "cs_console.sees_unpublished"  # session.info: this session publishes


def see_unpublished(session: Session) -> None:
    """This session publishes a batch: its reads see the batch's rows stored so far."""
    session.info[_SEES_ALL] = True


def hide(*, session: Session, batch_id: int, complaint_ids: Sequence[int]) -> None:
    """Stamp complaints just stored by a publishing batch: hidden until it is done."""
    if complaint_ids:
        session.execute(
            update(Complaint)
            .where(col(Complaint.id).in_(complaint_ids))
            .values(import_batch_id=batch_id)
        )


def _a_batch_publishes(session: Session) -> bool:
    found = session.info.get(_PUBLISHING)
    if found is None:
        batches = table_of(ImportBatch)
        query = select(batches.c.id).where(batches.c.state == PUBLISHING).limit(1)
        found = session.connection().execute(query).first() is not None
        session.info[_PUBLISHING] = found
    return bool(found)


def _published(cls: type[Complaint]) -> ColumnElement[bool]:
    publishing = select(col(ImportBatch.id)).where(col(ImportBatch.state) == PUBLISHING)
    batch = col(cls.import_batch_id)
    return or_(batch.is_(None), batch.not_in(publishing))


def shown_sql(alias: str) -> str:
    """The condition ``hidden`` gives, as SQL text on the complaints table aliased ``alias``
    (for statements written as text)."""
    condition = _published(aliased(Complaint, name=alias))
    return f"({condition.compile(compile_kwargs={'literal_binds': True})})"


def hidden(session: Session) -> tuple[ColumnElement[bool], ...]:
    """The condition a plain statement reading complaints adds to its WHERE (none while no
    import publishes, or in the session that publishes)."""
    if session.info.get(_SEES_ALL) or not _a_batch_publishes(session):
        return ()
    return (_published(Complaint),)


def hide_unpublished_everywhere() -> None:
    """Give every session's complaint reads the condition (once per process; make_engine)."""
    if not event.contains(Session, "do_orm_execute", _hide_unpublished):
        event.listen(Session, "do_orm_execute", _hide_unpublished)


def _hide_unpublished(state: ORMExecuteState) -> None:
    session = state.session
    if not state.is_select or session.info.get(_SEES_ALL) or not _a_batch_publishes(session):
        return
    state.statement = state.statement.options(
        with_loader_criteria(Complaint, _published, include_aliases=True)
    )
