"""Staging a checked register and publishing it, in short write transactions.

A 200,000-row register written in one transaction held the write lock for minutes, and
other consoles' sign-ins and saves failed with "database is locked". So an import writes
in transactions of at most ``_HOLD_S`` seconds, with a pause between them on SQLite (its
busy handler retries every 100 ms at most, so a shorter gap could starve other consoles).

What "all or nothing" means here (README, import section):

* staging: the checked rows go to ``import_staged_rows``, sealed, invisible to every read
  path. Ctrl-C or an error discards them; after a crash they are discarded by the next
  import or ``purge`` once the batch has been untouched for ``ABANDONED_AFTER``;
* one short transaction marks the batch ``publishing``: from then on the register is
  imported to the end. Publishing moves rows into ``complaints`` chunk by chunk (each
  staged row deleted in the transaction that stores it, so nothing is stored twice);
  Ctrl-C is ignored until the end; after a crash the next import finishes the batch
  before its own rows, as the person who imported it;
* the complaints published are stamped with the batch and hidden from every other read
  (storage/unpublished.py) until the short transaction that ends the batch shows them all
  at once: other consoles see the register not imported, or imported whole.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from cs_console.domain.complaint_entry import ComplaintFacts, ValidComplaint
from cs_console.domain.enums import Category, Channel, NameChoice
from cs_console.domain.incidents import window_start
from cs_console.domain.permissions import Action
from cs_console.services.complaints import store_complaint
from cs_console.services.context import Actor, ServiceContext, data_key_of, require
from cs_console.services.incidents import check_new_complaint
from cs_console.services.tracking.ways import ParcelWay, WayFinder
from cs_console.storage import import_staging as staging
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.incidents import AlertRow
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables.imports import PUBLISHING, STAGING
from cs_console.storage.unpublished import hide, see_unpublished

Progress = Callable[[str, int, int], None]  # (stage: "check", "store" or "publish", done, total)
ABANDONED_AFTER = timedelta(minutes=10)  # a running import touches its batch at every chunk
_HOLD_S = 0.2  # the longest write transaction of an import
_SQLITE_GAP_S = 0.11
_STAGE_ROWS = 2000
_PUBLISH_ROWS = 200
_DISCARD_ROWS = 5000
_FIRST_ANALYZE = 1000  # rows published before the planner's statistics are refreshed, doubling
_PAYLOAD = "import_staged_rows.payload"  # the sealing label of a staged row


@dataclass(frozen=True)
class ReadyRow:
    """A checked register row, ready to register."""

    valid: ValidComplaint
    registered_at: datetime
    key: str


def _pause(console: ServiceContext) -> None:
    """Leave the write lock free long enough for another console's waiting write."""
    if console.engine.dialect.name == "sqlite":
        time.sleep(_SQLITE_GAP_S)


def _sealed(key: DataKey, row: ReadyRow, way: ParcelWay | None) -> str:
    data = {**asdict(row.valid), "registered_at": row.registered_at.isoformat()}
    if way is not None:
        data["way"] = way.payload()
    return key.seal(json.dumps(data, ensure_ascii=False), _PAYLOAD)


def _opened(key: DataKey, payload: str) -> tuple[ValidComplaint, datetime, ParcelWay | None]:
    data = json.loads(key.open(payload, _PAYLOAD))
    facts = data.pop("facts")
    registered_at = datetime.fromisoformat(data.pop("registered_at"))
    way = ParcelWay.from_payload(data.pop("way", None))
    valid = ValidComplaint(
        **{
            **data,
            "facts": ComplaintFacts(**{**facts, "category": Category(facts["category"])}),
            "channel": Channel(data["channel"]),
        }
    )
    return valid, registered_at, way


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ctrl-C is ignored until the block ends (main thread only: signals go there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stage(
    console: ServiceContext, actor: Actor, ready: list[ReadyRow], progress: Progress | None
) -> int:
    """Stage ``ready`` (in this order) under a new batch, then mark it publishing.

    Each row's parcel way is asked of the tracking here, before any write lock (staged
    with the row; a provider that fails is not asked again for this import). Returns the
    batch id. On any error or Ctrl-C the staged rows are discarded first.
    """
    require(actor, Action.IMPORT_COMPLAINTS)
    key = data_key_of(actor)
    ways = WayFinder(console)
    with write_session(console.engine) as session:
        batch_id = staging.open_batch(session=session, owner_id=actor.id, now=console.now())
    try:
        for start in range(0, len(ready), _STAGE_ROWS):
            chunk = ready[start : start + _STAGE_ROWS]
            found = ways.ways([row.valid.tracking_no for row in chunk])
            sealed: list[tuple[str, str]] = []
            for done, row in enumerate(chunk, start=start + 1):
                sealed.append((row.key, _sealed(key, row, found.get(row.valid.tracking_no))))
                if progress is not None:
                    progress("store", done, len(ready))
            with write_session(console.engine) as session:
                staging.stage_rows(session=session, batch_id=batch_id, rows=sealed)
                staging.touch_batch(session=session, batch_id=batch_id, now=console.now())
            _pause(console)
        with write_session(console.engine) as session:
            staging.touch_batch(
                session=session, batch_id=batch_id, now=console.now(), state=PUBLISHING
            )
    except BaseException:
        discard(console, batch_id)
        raise
    return batch_id


def discard(console: ServiceContext, batch_id: int) -> None:
    """Delete a batch and its staged rows, a chunk per transaction."""
    done = False
    while not done:
        with write_session(console.engine) as session:
            done = staging.discard_chunk(session=session, batch_id=batch_id, limit=_DISCARD_ROWS)
        if not done:
            _pause(console)


def publish(
    console: ServiceContext,
    actor: Actor,
    batch_id: int,
    total: int,
    progress: Progress | None = None,
    raised: list[AlertRow] | None = None,
) -> list[str]:
    """Register every staged row of the batch as ``actor``'s; returns the new references.

    A row whose import key is stored meanwhile (another import of the same register) is
    dropped, not registered twice. A row registered inside the current detection window
    (policy: the last 60 minutes) counts for mass-complaint detection like a typed one;
    the alerts it raises are added to ``raised``. Older rows raise nothing for the past.
    """
    require(actor, Action.IMPORT_COMPLAINTS)
    references: list[str] = []
    raised = [] if raised is None else raised
    done, finished, analyze_at = 0, False, _FIRST_ANALYZE
    with _interrupts_ignored():
        while not finished:
            published, finished = _publish_chunk(console, actor, batch_id, references, raised)
            done += published
            if done >= analyze_at:
                with write_session(console.engine) as session:
                    staging.refresh_statistics(session=session)
                analyze_at *= 2
            if progress is not None:
                progress("publish", min(done, total), total)
            if not finished:
                _pause(console)
    return references


def _publish_chunk(
    console: ServiceContext,
    actor: Actor,
    batch_id: int,
    references: list[str],
    raised: list[AlertRow],
) -> tuple[int, bool]:
    """One transaction of at most ``_HOLD_S`` seconds: (rows taken, batch finished)."""
    key = data_key_of(actor)
    started = time.perf_counter()
    now = console.now()
    window = window_start(now, console.policy.incidents.mass_complaint_window)
    stored: list[int] = []
    with write_session(console.engine) as session:
        see_unpublished(session)  # the batch's rows so far, for repeats and mass complaints
        # First, so a second publisher of this batch (PostgreSQL) waits for this one.
        staging.touch_batch(session=session, batch_id=batch_id, now=console.now())
        rows = staging.staged_rows(session=session, batch_id=batch_id, limit=_PUBLISH_ROWS)
        known = staging.known_import_keys(session=session, keys=[r.import_key for r in rows])
        taken: list[int] = []
        for row in rows:
            taken.append(row.id)
            if row.import_key not in known:
                valid, registered_at, way = _opened(key, row.payload)
                registered = store_complaint(
                    session,
                    console,
                    actor,
                    valid,
                    key=key,
                    registered_at=registered_at,
                    import_key=row.import_key,
                    # A register row never overwrites a stored name: a different one stays
                    # the complaint's own contact name.
                    name_choice=NameChoice.OTHER_PERSON,
                    way=way,
                )
                references.append(registered.reference)
                stored.append(registered.id)
                if window <= registered_at <= now:  # counts like a complaint typed now
                    detection = check_new_complaint(
                        session,
                        console.policy,
                        complaint_id=registered.id,
                        category=valid.facts.category.value,
                        parcel_id=registered.parcel_id,
                        now=now,
                        actor_id=actor.id,
                    )
                    raised.extend(detection.raised)
            if time.perf_counter() - started > _HOLD_S:
                break
        staging.drop_staged(session=session, ids=taken)
        hide(session=session, batch_id=batch_id, complaint_ids=stored)
        finished = len(taken) == len(rows) < _PUBLISH_ROWS
        if finished:
            staging.close_batch(session=session, batch_id=batch_id)
    return len(taken), finished


def _leftovers(console: ServiceContext) -> list[staging.Leftover]:
    with read_session(console.engine) as session:
        return staging.leftover_batches(
            session=session, untouched_since=console.now() - ABANDONED_AFTER
        )


def settle_leftovers(console: ServiceContext, actor: Actor) -> None:
    """Finish or discard the batches of imports that stopped (a crash, a kill).

    A batch still staging is discarded: its import never decided. A publishing one is
    published to the end, owned by the person who imported it (``actor`` publishes it only
    as that person's stand-in: the owner id is the batch's).
    """
    require(actor, Action.IMPORT_COMPLAINTS)
    for batch in _leftovers(console):
        if batch.state == STAGING:
            discard(console, batch.id)
        else:
            publish(console, replace(actor, id=batch.owner_id), batch.id, 0)


def discard_abandoned(console: ServiceContext) -> None:
    """Discard the batches of imports that stopped while staging (``purge`` calls this).

    One stopped while publishing waits for the next import to finish it: publishing needs
    a person who may register complaints.
    """
    for batch in _leftovers(console):
        if batch.state == STAGING:
            discard(console, batch.id)
