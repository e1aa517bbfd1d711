"""Drafts of the workspace, saved as the person types and offered back after a crash.

What is typed (a caller's name, phone, address) is personal data: the draft is stored
sealed with the data key, like the customers' columns, and opened when it is offered back.
A draft stored in clear by an older version is still offered back as it is.
"""

from __future__ import annotations

import json
from datetime import datetime

from cs_console.services.context import Actor, Console, data_key_of
from cs_console.storage import drafts as draft_store
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import KeyMismatch

SEALED = "sealed"  # the one key of a sealed draft's stored object
SEALED_FOR = "drafts.payload"  # the associated data: a sealed draft opens only as a draft


def save_draft(console: Console, actor: Actor, kind: str, payload: dict) -> None:
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


def load_draft(console: Console, actor: Actor, kind: str) -> tuple[dict, datetime] | None:
    """The person's saved draft of this kind, if there is one (and it opens)."""
    key = data_key_of(actor)
    with read_session(console.engine) as session:
        stored = draft_store.get_draft(session=session, user_id=actor.id, kind=kind)
    if stored is None:
        return None
    payload, saved_at = stored
    sealed = payload.get(SEALED)
    if not isinstance(sealed, str):
        return payload, saved_at  # kept in clear before drafts were sealed
    try:
        opened = json.loads(key.open(sealed, SEALED_FOR))
    except (KeyMismatch, ValueError):
        return None  # damaged, or sealed with another database's key
    return (opened if isinstance(opened, dict) else {}), saved_at


def discard_draft(console: Console, actor: Actor, kind: str) -> None:
    """Forget the draft (its content was saved, or the person chose to drop it)."""
    with write_session(console.engine) as session:
        draft_store.delete_draft(session=session, user_id=actor.id, kind=kind)
