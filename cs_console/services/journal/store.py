"""The outage journal: writes made while the database server was unreachable, kept in a
local SQLite file until they are replayed (services/journal/replay.py).

Each entry is one use case call: its name, the actor, the arguments as JSON, the time the
agent made it and an idempotency key. Entries are replayed in ``seq`` order; an entry that
created something later entries refer to (a contact started offline) has a provisional id
``-seq``, mapped to the real id once sent. Plain ``sqlite3``: the journal must open when
nothing else can, and is read by this process only (plus its own worker threads).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cs_console.storage.sealing import DataKey, KeyMismatch

PENDING, SENT, FAILED = "pending", "sent", "failed"
ARGS, DRAFT = "journal.args", "journal.drafts"  # what a sealed value opens as

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

    @property
    def provisional_id(self) -> int:
        """The id the console used for what this entry creates until it is sent."""
        return -self.seq


def _entry(row: sqlite3.Row, args: dict[str, Any]) -> JournalEntry:
    return JournalEntry(
        seq=row["seq"],
        key=row["key"],
        operation=row["operation"],
        actor=json.loads(row["actor"]),
        args=args,
        at=datetime.fromisoformat(row["at"]),
        status=row["status"],
        result=json.loads(row["result"]) if row["result"] is not None else None,
        error=row["error"],
    )


class Journal:
    """The journal file; safe to share between the threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")  # nothing typed is lost
        self._db.executescript(_SCHEMA)
        path.chmod(0o600)
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

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def append(
        self, operation: str, actor: dict[str, Any], args: dict[str, Any], at: datetime
    ) -> JournalEntry:
        """Keep one write, with a fresh idempotency key, after every earlier entry."""
        key = str(uuid.uuid4())
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO entries (key, operation, actor, args, at) VALUES (?, ?, ?, ?, ?)",
                (key, operation, json.dumps(actor), self._seal(args, ARGS), at.isoformat()),
            )
            row = self._db.execute(
                "SELECT * FROM entries WHERE seq = ?", (cursor.lastrowid,)
            ).fetchone()
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
        """The server applied entry ``seq`` and returned ``result``."""
        self._finish(seq, SENT, json.dumps(result), "", at)

    def mark_failed(self, seq: int, error: str, at: datetime) -> None:
        """The server refused entry ``seq`` (``error`` is an i18n error code): not retried."""
        self._finish(seq, FAILED, None, error, at)

    def real_id(self, provisional_id: int) -> int | None:
        """The server's id for a provisional (negative) id, once its entry was sent."""
        with self._lock:
            row = self._db.execute(
                "SELECT result FROM entries WHERE seq = ? AND status = ?",
                (-provisional_id, SENT),
            ).fetchone()
        if row is None:
            return None
        return json.loads(row["result"]).get("id")

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

    def _finish(self, seq: int, status: str, result: str | None, error: str, at: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE entries SET status = ?, result = ?, error = ?, sent_at = ? WHERE seq = ?",
                (status, result, error, at.isoformat(), seq),
            )

    def _select(self, tail: str, params: tuple[Any, ...]) -> list[JournalEntry]:
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM entries {tail}", params).fetchall()
        return [_entry(row, self._open(row["args"], ARGS)) for row in rows]
