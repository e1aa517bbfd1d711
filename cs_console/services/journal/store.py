"""The outage journal: writes made while the database server was unreachable, kept in a
local SQLite file until they are replayed (services/journal/replay.py).

Each entry is one use case call: its name, the actor, the arguments as JSON, the time the
agent made it and an idempotency key (the one its online attempt carried, if it had one).
Entries are replayed in ``seq`` order; an entry that created something later entries refer
to (a contact started offline) has a provisional id ``-seq``, mapped to the real id once
sent.

The arguments are sealed with the data key, and the seal authenticates the whole entry:
its associated data binds the entry's place (``seq``), key, operation, actor and time, so an
entry whose actor was edited, whose arguments were changed or swapped with another entry's,
does not open and is refused at replay (``refused``). A sent entry's result (the server's
ids, which later entries' provisional ids are mapped to) is sealed to the entry too.
Entries of earlier versions (arguments in clear, or sealed without that binding) are
refused as unauthenticated: anyone who can write the file could have made them.

Plain ``sqlite3``: the journal must open when nothing else can, and is read by this
process only (plus its own worker threads). The file, its ``-wal`` and ``-shm`` are
readable by their owner only.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cs_console.storage.sealing import DataKey, KeyMismatch

PENDING, SENT, FAILED = "pending", "sent", "failed"
ARGS, DRAFT = "journal.args", "journal.drafts"  # what a sealed value opens as
# Why an entry is refused without being sent (i18n error codes).
TAMPERED, UNAUTHENTICATED = "journal_tampered", "journal_unauthenticated"
_ENTRY_SEAL = "cs-console journal entry v2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    operation TEXT NOT NULL,
    actor TEXT NOT NULL,
    args TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    result TEXT,
    error TEXT NOT NULL DEFAULT '',
    sent_at TEXT
);
CREATE TABLE IF NOT EXISTS drafts (
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
"""


@dataclass(frozen=True)
class JournalEntry:
    """One journalled write."""

    seq: int
    key: str
    operation: str
    actor: dict[str, Any]
    args: dict[str, Any]
    at: datetime
    status: str
    result: Any
    error: str
    refused: str = ""  # TAMPERED or UNAUTHENTICATED: ``args`` is then empty, never sent

    @property
    def provisional_id(self) -> int:
        """The id the console used for what this entry creates until it is sent."""
        return -self.seq


def _entry_label(row: sqlite3.Row | dict[str, Any]) -> str:
    """The associated data an entry's arguments are sealed with: everything kept in clear
    that replaying it depends on, exactly as stored."""
    bound = [_ENTRY_SEAL, row["seq"], row["key"], row["operation"], row["actor"], row["at"]]
    return json.dumps(bound, ensure_ascii=False)


def _result_label(seq: int, key: str) -> str:
    """The associated data a sent entry's result (the server's ids) is sealed with."""
    return json.dumps(["cs-console journal result v2", seq, key])


def _owner_only(path: Path) -> None:
    """The journal file created readable by its owner only, and its ``-wal`` and ``-shm``
    with it (SQLite gives them the file's mode; older journals are corrected)."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for kept in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if kept.exists():
            kept.chmod(0o600)


def _entry(
    row: sqlite3.Row, args: dict[str, Any], refused: str = "", result: Any = None
) -> JournalEntry:
    return JournalEntry(
        seq=row["seq"],
        key=row["key"],
        operation=row["operation"],
        actor=json.loads(row["actor"]),
        args=args,
        at=datetime.fromisoformat(row["at"]),
        status=row["status"],
        result=result,
        error=row["error"],
        refused=refused,
    )


class Journal:
    """The journal file; safe to share between the threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        _owner_only(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")  # nothing typed is lost
        self._db.executescript(_SCHEMA)
        _owner_only(path)
        self._key: DataKey | None = None

    def unlock(self, key: DataKey) -> None:
        """The data key that seals what is kept here (the signed-in person's): what was typed
        (names, phones, descriptions) is personal data, sealed as in the database."""
        self._key = key

    def _seal(self, value: Any, field: str) -> str:
        if self._key is None:
            raise KeyMismatch(field)  # never kept in clear
        return self._key.seal(json.dumps(value, ensure_ascii=False), field)

    def _open(self, stored: str, field: str) -> Any:
        if stored.startswith("{"):
            return json.loads(stored)  # kept in clear by an older version
        if self._key is None:
            raise KeyMismatch(field)
        return json.loads(self._key.open(stored, field))

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The file's connection, held by this thread: for what is kept beside the entries
        (services/journal/sign_ins.py: the sign-ins this machine may repeat offline)."""
        with self._lock:
            yield self._db

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def append(
        self,
        operation: str,
        actor: dict[str, Any],
        args: dict[str, Any],
        at: datetime,
        *,
        key: str | None = None,
    ) -> JournalEntry:
        """Keep one write after every earlier entry, with its idempotency key (the one its
        online attempt carried; a fresh one when none was made), sealed to its place."""
        if self._key is None:
            raise KeyMismatch(ARGS)  # never kept in clear
        key = key or str(uuid.uuid4())
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "INSERT INTO entries (key, operation, actor, args, at) VALUES (?, ?, ?, '', ?)",
                    (key, operation, json.dumps(actor), at.isoformat()),
                )
                row = self._db.execute(
                    "SELECT * FROM entries WHERE seq = ?", (cursor.lastrowid,)
                ).fetchone()
                self._db.execute(
                    "UPDATE entries SET args = ? WHERE seq = ?",
                    (self._seal(args, _entry_label(row)), row["seq"]),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return _entry(row, args)

    def pending(self) -> list[JournalEntry]:
        """The entries still to send, oldest first."""
        return self._select("WHERE status = ? ORDER BY seq", (PENDING,))

    def pending_count(self) -> int:
        """How many entries wait for the server."""
        with self._lock:
            return self._db.execute(
                "SELECT count(*) FROM entries WHERE status = ?", (PENDING,)
            ).fetchone()[0]

    def entries(self) -> list[JournalEntry]:
        """Every entry, oldest first (sent and failed ones too)."""
        return self._select("ORDER BY seq", ())

    def mark_sent(self, seq: int, result: Any, at: datetime) -> None:
        """The server applied entry ``seq`` and returned ``result`` (sealed to the entry:
        later entries take their real ids from it)."""
        with self._lock:
            (key,) = self._db.execute("SELECT key FROM entries WHERE seq = ?", (seq,)).fetchone()
        self._finish(seq, SENT, self._seal(result, _result_label(seq, key)), "", at)

    def mark_failed(self, seq: int, error: str, at: datetime) -> None:
        """The server refused entry ``seq`` (``error`` is an i18n error code): not retried."""
        self._finish(seq, FAILED, None, error, at)

    def real_id(self, provisional_id: int) -> int | None:
        """The server's id for a provisional (negative) id, once its entry was sent."""
        with self._lock:
            row = self._db.execute(
                "SELECT seq, key, result FROM entries WHERE seq = ? AND status = ?",
                (-provisional_id, SENT),
            ).fetchone()
        if row is None:
            return None
        result = self._sent_result(row)
        return result.get("id") if isinstance(result, dict) else None

    # -- drafts typed while the server was away (the database keeps them otherwise) -------

    def keep_draft(
        self, user_id: int, kind: str, payload: dict[str, Any] | None, at: datetime
    ) -> None:
        """Keep a draft locally; ``None`` records that it was discarded."""
        stored = None if payload is None else self._seal(payload, DRAFT)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO drafts (user_id, kind, payload, saved_at) "
                "VALUES (?, ?, ?, ?)",
                (user_id, kind, stored, at.isoformat()),
            )

    def draft(self, user_id: int, kind: str) -> tuple[dict[str, Any] | None, datetime] | None:
        """The locally kept draft (payload None: discarded) and when; None if there is none."""
        with self._lock:
            row = self._db.execute(
                "SELECT payload, saved_at FROM drafts WHERE user_id = ? AND kind = ?",
                (user_id, kind),
            ).fetchone()
        if row is None:
            return None
        payload = None if row["payload"] is None else self._open(row["payload"], DRAFT)
        return payload, datetime.fromisoformat(row["saved_at"])

    def draft_kinds(self, user_id: int, prefix: str) -> list[str]:
        """The kinds of the person's locally kept drafts that start with ``prefix``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT kind FROM drafts WHERE user_id = ? AND substr(kind, 1, ?) = ?",
                (user_id, len(prefix), prefix),
            ).fetchall()
        return [row["kind"] for row in rows]

    def drop_draft(self, user_id: int, kind: str) -> None:
        """The database has the draft again: forget the local copy."""
        with self._lock:
            self._db.execute("DELETE FROM drafts WHERE user_id = ? AND kind = ?", (user_id, kind))

    # -- a person's data erased (PIPL): what this machine keeps of them ------------------

    def erase_mentions(
        self, mentions: Callable[[Any], bool], scrub: Callable[[Any], tuple[Any, int]]
    ) -> int:
        """Rewrite every entry's arguments and every kept draft that ``mentions`` someone
        through ``scrub`` (sealed again); returns how many were rewritten. Needs the key;
        what does not open (a damaged entry) is left as it is."""
        erased = 0
        with self._lock:
            entries = self._db.execute("SELECT * FROM entries").fetchall()
            drafts = self._db.execute(
                "SELECT user_id, kind, payload FROM drafts WHERE payload IS NOT NULL"
            ).fetchall()
            for row in entries:
                label, value = _entry_label(row), self._authentic_args(row)
                if value is None:  # an earlier version's entry stays one (refused at replay)
                    label, value = ARGS, self._opened(row["args"], ARGS)
                if mentions(value):
                    sealed = self._seal(scrub(value)[0], label)
                    self._db.execute(
                        "UPDATE entries SET args = ? WHERE seq = ?", (sealed, row["seq"])
                    )
                    erased += 1
            for user_id, kind, stored in drafts:
                value = self._opened(stored, DRAFT)
                if mentions(value):
                    self._db.execute(
                        "UPDATE drafts SET payload = ? WHERE user_id = ? AND kind = ?",
                        (self._seal(scrub(value)[0], DRAFT), user_id, kind),
                    )
                    erased += 1
        return erased

    def _opened(self, stored: str, field: str) -> Any:
        """What ``stored`` holds, or None when it does not open (damaged: nobody reads it)."""
        try:
            return self._open(stored, field)
        except (KeyMismatch, ValueError):
            return None

    def _finish(self, seq: int, status: str, result: str | None, error: str, at: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE entries SET status = ?, result = ?, error = ?, sent_at = ? WHERE seq = ?",
                (status, result, error, at.isoformat(), seq),
            )

    def _select(self, tail: str, params: tuple[Any, ...]) -> list[JournalEntry]:
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM entries {tail}", params).fetchall()
        return [self._authentic(row) for row in rows]

    def _authentic(self, row: sqlite3.Row) -> JournalEntry:
        """The entry as it was kept, or refused: changed since, or never authenticated."""
        if self._key is None:
            raise KeyMismatch(ARGS)  # nothing is read unauthenticated
        args = self._authentic_args(row)
        if isinstance(args, dict):
            return _entry(row, args, result=self._sent_result(row))
        legacy = self._opened(row["args"], ARGS)
        return _entry(row, {}, UNAUTHENTICATED if legacy is not None else TAMPERED)

    def _sealed_open(self, stored: str, label: str) -> Any:
        """An entry's arguments, only if sealed with ``label`` (never in clear)."""
        if self._key is None or not stored:
            raise KeyMismatch(label)  # the seal of an empty value is empty: never ours
        return json.loads(self._key.open(stored, label))

    def _sent_result(self, row: sqlite3.Row) -> Any:
        """A sent entry's result if it is the one the replay kept, else None (changed in
        the file: what refers to it is then refused, as if it had not been sent)."""
        if row["result"] is None:
            return None
        try:
            return self._sealed_open(row["result"], _result_label(row["seq"], row["key"]))
        except (KeyMismatch, ValueError):
            return None

    def _authentic_args(self, row: sqlite3.Row) -> Any:
        """An entry's arguments if its seal authenticates it, else None."""
        try:
            return self._sealed_open(row["args"], _entry_label(row))
        except (KeyMismatch, ValueError):
            return None
