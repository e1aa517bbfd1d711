"""Callbacks for the customers who called while the database server was unreachable.

DOMAIN.md, System outage: when the outage ends, every customer who called meanwhile gets a
callback due within the policy's hours (``outage_callback_hours``) after recovery. The
journal's replay (services/journal/replay.py) calls this once per outage and agent, with
the phones of the contacts, complaints and reply promises it journalled.
"""

from __future__ import annotations

from collections.abc import Iterable

from cs_console.domain.enums import CallbackKind
from cs_console.domain.permissions import Action
from cs_console.domain.validation import normalize_phone
from cs_console.services.context import Actor, ServiceContext, data_key_of, require
from cs_console.storage.callbacks import has_pending_callback, queue_callback
from cs_console.storage.customers import find_customer
from cs_console.storage.engine import write_session


def schedule_outage_callbacks(console: ServiceContext, actor: Actor, phones: Iterable[str]) -> int:
    """One outage callback per caller, for ``actor``, due the policy's hours from now (the
    recovery); callers already waiting for one are skipped. Returns how many were made."""
    require(actor, Action.PROMISE_REPLY)
    key = data_key_of(actor)
    now = console.now()
    due = now + console.policy.callbacks.outage_callback
    made = 0
    with write_session(console.engine) as session:
        seen: set[int] = set()
        for phone in phones:
            e164 = normalize_phone(phone)
            customer = find_customer(session=session, key=key, phone=e164) if e164 else None
            if customer is None or customer.id in seen:
                continue
            seen.add(customer.id)
            if has_pending_callback(
                session=session, customer_id=customer.id, kind=CallbackKind.OUTAGE.value
            ):
                continue
            queue_callback(
                session=session,
                at=now,
                actor_id=actor.id,
                event="callback_after_outage",
                customer_id=customer.id,
                owner_id=actor.id,
                kind=CallbackKind.OUTAGE,
                due_at=due,
            )
            made += 1
    return made
