"""Drafts of the workspace, saved as the person types and offered back after a crash.

What is typed (a caller's name, phone, address) is personal data: the draft is stored
sealed with the data key, like the customers' columns, and opened when it is offered back.
A draft stored in clear by an older version is still offered back as it is.

Besides the one draft per form that follows the typing, a person keeps any number of
complaint forms *for later* (ending a call with an unsaved form, "keep as a draft"): each
is a draft of its own kind ``kept-<milliseconds>``, listed by ``kept_drafts`` and restored
into the form of a later call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cs_console.services.context import Actor, ServiceContext, data_key_of
from cs_console.storage import drafts as draft_store
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import KeyMismatch

KEPT = "kept-"  # the kinds of the forms kept for later
SEALED = "sealed"  # the one key of a sealed draft's stored object
SEALED_FOR = "drafts.payload"  # the associated data: a sealed draft opens only as a draft


def save_draft(console: ServiceContext, actor: Actor, kind: str, payload: dict) -> None:
    """Keep what is typed now (replacing the previous draft of this kind), sealed."""
    sealed = data_key_of(actor).seal(json.dumps(payload, ensure_ascii=False), SEALED_FOR)
    with write_session(console.engine) as session:
        draft_store.put_draft(
            session=session,
            user_id=actor.id,
            kind=kind,
            payload={SEALED: sealed},
            now=console.now(),
        )


def load_draft(console: ServiceContext, actor: Actor, kind: str) -> tuple[dict, datetime] | None:
    """The person's saved draft of this kind, if there is one (and it opens)."""
    with read_session(console.engine) as session:
        stored = draft_store.get_draft(session=session, user_id=actor.id, kind=kind)
    if stored is None:
        return None
    payload, saved_at = stored
    opened = _open(actor, payload)
    return None if opened is None else (opened, saved_at)


def _open(actor: Actor, payload: dict) -> dict | None:
    sealed = payload.get(SEALED)
    if not isinstance(sealed, str):
        return payload  # kept in clear before drafts were sealed
    try:
        opened = json.loads(data_key_of(actor).open(sealed, SEALED_FOR))
    except (KeyMismatch, ValueError):
        return None  # damaged, or sealed with another database's key
    return opened if isinstance(opened, dict) else {}


@dataclass(frozen=True)
class KeptDraft:
    """A complaint form kept for later: its draft kind, what was typed, when."""

    kind: str
    payload: dict
    saved_at: datetime


def kept_kind(now: datetime, previous: str = "") -> str:
    """The draft kind for a form kept for later at ``now``: its millisecond, or one after
    ``previous`` (the last kind this console made) if that is not earlier."""
    milliseconds = int(now.timestamp() * 1000)
    last = previous.removeprefix(KEPT)
    if last.isdigit():
        milliseconds = max(milliseconds, int(last) + 1)
    return f"{KEPT}{milliseconds}"


def kept_drafts(console: ServiceContext, actor: Actor) -> list[KeptDraft]:
    """The person's forms kept for later, newest first (those that do not open left out)."""
    with read_session(console.engine) as session:
        stored = draft_store.list_drafts(session=session, user_id=actor.id, kind_prefix=KEPT)
    kept = []
    for kind, payload, saved_at in stored:
        opened = _open(actor, payload)
        if opened is not None:
            kept.append(KeptDraft(kind, opened, saved_at))
    return kept


def discard_draft(console: ServiceContext, actor: Actor, kind: str) -> None:
    """Forget the draft (its content was saved, or the person chose to drop it)."""
    with write_session(console.engine) as session:
        draft_store.delete_draft(session=session, user_id=actor.id, kind=kind)
