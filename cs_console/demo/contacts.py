"""Recent contacts that are not complaints, and 1-hour reply promises in every state.

A tracking query or a claim is about a parcel: the contact records it (the caller's own,
here), as the console does for the tracking number typed in the call pane.
"""

from __future__ import annotations

from cs_console.demo.closed import ANSWER_DELAYS, add_event, weighted_pool
from cs_console.demo.pools import HUBS
from cs_console.demo.rows import (
    CONTACT_OUTCOMES,
    CONTACT_TYPES,
    DAY,
    HOUR,
    Batch,
    DemoRows,
)

PROMISE_STATES = (("due", 40), ("overdue", 35), ("done", 20), ("gave_up", 5))
ABOUT_A_PARCEL = frozenset({"tracking", "claim"})
# The parcel's state read out in a tracking query (contacts.tracking_state).
READ_OUT = ("in_transit", "in_transit", "out_for_delivery", "signed", "picked_up")


def contacts_batch(g: DemoRows) -> Batch:
    """Queries and enquiries of the last week, and reply promises due, overdue and done."""
    rng, ts, now = g.rng, g.ts, g.now
    batch = Batch()
    types, answers = weighted_pool(rng, CONTACT_TYPES), weighted_pool(rng, ANSWER_DELAYS)
    for _ in range(min(max(g.complaints // 4, 20), 20_000)):
        started = now - rng.randrange(7 * DAY)
        kind = types[rng.randrange(len(types))]
        channel = "online" if rng.random() < 0.2 else "phone"
        customer = g.customer_of(rng.randrange(g.customer_count))
        parcel = _parcel(g, batch, customer, started) if kind in ABOUT_A_PARCEL else None
        batch.contacts.append(
            (g.take("contacts"), rng.choice(g.staff.agents), customer, parcel, channel, kind,
             ts(started), ts(started + answers[rng.randrange(len(answers))]),
             ts(started + rng.randint(60, 600)), "", CONTACT_OUTCOMES[kind],
             READ_OUT[rng.randrange(len(READ_OUT))] if kind == "tracking" else None)
        )  # fmt: skip
    states = [state for state, _ in PROMISE_STATES]
    count = max(len(states) * 2, min(g.open // 8, 400))
    picks = states + rng.choices(states, [w for _, w in PROMISE_STATES], k=count - len(states))
    for state in picks:
        _promise(g, batch, state)
    return batch


def _parcel(g: DemoRows, batch: Batch, customer: int, asked: int) -> int:
    """A parcel of this customer's, sent a few days before they asked about it."""
    rng = g.rng
    parcel, tracking = g.take("parcels"), g.tracking_numbers(1)[0]
    created = asked - rng.randint(DAY, 4 * DAY)
    hub, code = rng.choice(HUBS)
    wave = f"{code}{g.local_day(created)}-{rng.randint(1, 6):02d}"
    outlet = rng.choice(g.outlets)
    row = (parcel, tracking, customer, g.route_to(outlet), hub, outlet, wave, g.ts(created))
    batch.parcels.append(row)
    return parcel


def _promise(g: DemoRows, batch: Batch, state: str) -> None:
    """A caller promised a reply within the hour: the contact, callback, attempts, events."""
    rng, ts, now = g.rng, g.ts, g.now
    promise = int(g.policy.call.reply_promise.total_seconds())
    if state == "due":
        ended = now - int(promise * rng.uniform(0.1, 0.9))
    elif state == "overdue":
        ended = now - promise - rng.randint(300, 5 * HOUR)
    else:
        ended = now - promise - rng.randint(HOUR, 3 * DAY)
    agent = rng.choice(g.staff.agents)
    customer = g.customer_of(rng.randrange(g.customer_count))
    contact, callback = g.take("contacts"), g.take("callbacks")
    started = ended - rng.randint(60, 400)
    parcel = _parcel(g, batch, customer, started)
    batch.contacts.append(
        (contact, agent, customer, parcel, "phone", "tracking", ts(started), ts(started + 4),
         ts(ended), "", "暂无法答复，承诺1小时内回电", None)
    )  # fmt: skip
    due, done, tries = ended + promise, None, 0
    if state == "done":
        done, tries = ended + int(promise * rng.uniform(0.2, 0.95)), 1
    elif state == "gave_up":
        done, tries = ended + int(promise * 0.8) + 2 * g.retry, 3
    if done is not None:  # the attempts made, the last one when it was done
        outcome = "reached" if state == "done" else "no_answer"
        for attempt in range(tries):
            at = done - (tries - 1 - attempt) * g.retry
            batch.attempts.append(
                (g.take("callback_attempts"), callback, agent, ts(at), outcome, None, "", None, "")
            )
    status = {"done": "done", "gave_up": "gave_up"}.get(state, "pending")
    batch.callbacks.append(
        (callback, customer, None, contact, "reply_promise", status, agent, ts(due), tries, "",
         ts(ended), None if done is None else ts(done), None, "")
    )  # fmt: skip
    add_event(g, batch, ended, agent, "callback_promised", {"due": str(ts(due))},
              callback=callback, contact=contact)  # fmt: skip
    if done is not None:
        kind = "callback_reached" if state == "done" else "callback_no_answer"
        add_event(g, batch, done, agent, kind, {"satisfaction": None, "status": status},
                  callback=callback)  # fmt: skip
