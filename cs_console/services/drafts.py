"""Drafts of the workspace, saved as the person types and offered back after a crash."""

from __future__ import annotations

from datetime import datetime

from cs_console.services.context import Actor, Console
from cs_console.storage import drafts as draft_store
from cs_console.storage.engine import read_session, write_session


def save_draft(console: Console, actor: Actor, kind: str, payload: dict) -> None:
    """Keep what is typed now (replacing the previous draft of this kind)."""
    with write_session(console.engine) as session:
        draft_store.put_draft(
            session=session, user_id=actor.id, kind=kind, payload=payload, now=console.now()
        )


def load_draft(console: Console, actor: Actor, kind: str) -> tuple[dict, datetime] | None:
    """The person's saved draft of this kind, if there is one."""
    with read_session(console.engine) as session:
        return draft_store.get_draft(session=session, user_id=actor.id, kind=kind)


def discard_draft(console: Console, actor: Actor, kind: str) -> None:
    """Forget the draft (its content was saved, or the person chose to drop it)."""
    with write_session(console.engine) as session:
        draft_store.delete_draft(session=session, user_id=actor.id, kind=kind)
