"""Drafts: what a person is typing, kept so that nothing typed is lost."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlmodel import Session, col, select

from cs_console.storage.tables import Draft


def put_draft(*, session: Session, user_id: int, kind: str, payload: dict, now: datetime) -> None:
    """Insert or replace the person's draft of this kind."""
    draft = session.exec(
        select(Draft).where(col(Draft.user_id) == user_id, col(Draft.kind) == kind)
    ).first()
    body = json.dumps(payload, ensure_ascii=False)
    if draft is None:
        draft = Draft(user_id=user_id, kind=kind, payload=body, updated_at=now)
    else:
        draft.payload, draft.updated_at = body, now
    session.add(draft)


def get_draft(*, session: Session, user_id: int, kind: str) -> tuple[dict, datetime] | None:
    """The saved draft and when it was saved, if any."""
    draft = session.exec(
        select(Draft).where(col(Draft.user_id) == user_id, col(Draft.kind) == kind)
    ).first()
    if draft is None:
        return None
    try:
        payload = json.loads(draft.payload)
    except json.JSONDecodeError:
        return None
    return (payload if isinstance(payload, dict) else {}), draft.updated_at


def list_drafts(
    *, session: Session, user_id: int, kind_prefix: str
) -> list[tuple[str, dict, datetime]]:
    """The person's drafts whose kind starts with ``kind_prefix``: (kind, payload, saved
    at), newest first; a payload that does not parse is left out."""
    found = session.exec(
        select(Draft)
        .where(col(Draft.user_id) == user_id, col(Draft.kind).startswith(kind_prefix))
        .order_by(col(Draft.updated_at).desc(), col(Draft.id).desc())
    ).all()
    kept = []
    for draft in found:
        try:
            payload = json.loads(draft.payload)
        except json.JSONDecodeError:
            continue
        kept.append((draft.kind, payload if isinstance(payload, dict) else {}, draft.updated_at))
    return kept


def delete_draft(*, session: Session, user_id: int, kind: str) -> None:
    """Forget a draft once its content is saved for real (one statement: on the save path)."""
    session.connection().execute(_DELETE_DRAFT, {"user_id": user_id, "kind": kind})


_DELETE_DRAFT = delete(Draft).where(
    col(Draft.user_id) == bindparam("user_id"), col(Draft.kind) == bindparam("kind")
)
