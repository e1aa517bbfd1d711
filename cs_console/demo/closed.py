"""The closed complaints of the demo: the bulk of the 90 days of history.

Each one is verified, resolved, followed up and closed, mostly within its clocks (a few
late, as reports need breaches to count). Complaints of the last week keep their whole
history (every event, the follow-up callbacks and their attempts); older ones keep the
"registered" and "closed" events only, which keeps a million complaints fast to load.
This is the hot loop of ``cs-console demo``: per-row work is kept to arithmetic, lookups
in pools drawn per chunk, and tuple building.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from cs_console.demo.facts import FactTemplate
from cs_console.demo.pools import HUBS
from cs_console.demo.rows import (
    DAY,
    FULL_HISTORY_DAYS,
    NO_APPROVAL,
    RESPONSIBLE,
    Batch,
    DemoRows,
)

CHANNELS = (("phone", 70), ("online", 20), ("walk_in", 10))
# Seconds from ringing to answer: mostly within 3 rings, a few late.
ANSWER_DELAYS = ((3, 30), (5, 30), (7, 20), (9, 12), (15, 5), (30, 3))
SATISFACTION = ((5, 55), (4, 28), (3, 11), (2, 4), (1, 2))
SECOND_SATISFACTION = ((5, 40), (4, 40), (3, 20))
POOL = 997  # size of the pools below, indexed with int(random() * POOL)


def weighted_pool(rng: random.Random, pairs: tuple, size: int = POOL) -> list:
    """``size`` draws from (value, weight) pairs, to be indexed by a random number."""
    return rng.choices([v for v, _ in pairs], [w for _, w in pairs], k=size)


@dataclass
class _Closed:
    """One closed complaint's ids, people and times (epoch seconds), for its history."""

    complaint: int
    customer: int
    registrar: int
    owner: int
    registered: int
    verified: int
    resolved: int
    followed: int
    closed: int
    score: int
    final_score: int
    second_due: int | None


def closed_batch(g: DemoRows, times: list[int]) -> Batch:
    """Rows for closed complaints registered at ``times`` (sorted epoch seconds)."""
    rng, ts, n = g.rng, g.ts, len(times)
    rnd = rng.random
    batch = Batch()
    templates = rng.choices(g.templates, k=n)
    if g.complaint_index == 0:  # every category, even in the smallest demo
        first: dict[str, FactTemplate] = {}
        for template in g.templates:
            first.setdefault(template.category, template)
        templates[: len(first)] = list(first.values())[:n]
    channels = weighted_pool(rng, CHANNELS, n)
    agents = rng.choices(g.staff.agents, k=n)
    specialists = rng.choices(g.staff.specialists or g.staff.agents, k=n)
    outlet_users = rng.choices(g.staff.outlet_users, k=n) if g.staff.outlet_users else None
    outlets = rng.choices(g.outlets, k=n)
    routes = [g.route_to(outlet) for outlet in outlets]
    hubs = rng.choices(HUBS, k=n)
    satisfaction = weighted_pool(rng, SATISFACTION)
    second_satisfaction = weighted_pool(rng, SECOND_SATISFACTION)
    answer = weighted_pool(rng, ANSWER_DELAYS)
    responsible = {category: weighted_pool(rng, pairs) for category, pairs in RESPONSIBLE.items()}
    tracking = g.tracking_numbers(n)
    parcel_id, contact_id, complaint_id = (
        g.take(t, n) for t in ("parcels", "contacts", "complaints")
    )
    full_from = g.now - FULL_HISTORY_DAYS * DAY
    followup, second, limit = g.followup, g.second, g.now - 300
    satisfied_from, lengths = g.satisfied_from, g.lengths
    parcels, contacts, complaints, events = (
        batch.parcels,
        batch.contacts,
        batch.complaints,
        batch.events,
    )

    for k in range(n):
        r, template = times[k], templates[k]
        facts, severity = template.facts, template.severity
        verify_length, resolve_length = lengths[severity]
        channel = channels[k]
        if channel == "walk_in" and outlet_users:
            registrar, outlet = outlet_users[k]
        else:
            channel = "online" if channel == "walk_in" else channel
            registrar, outlet = agents[k], outlets[k]
        owner = registrar
        if channel == "walk_in" and outlet_users:
            owner = agents[k]  # outlets only register: the call desk worked it
        elif severity == "major" and rnd() < 0.6:
            owner = specialists[k]
        customer = g.customer_of(g.complaint_index)
        g.complaint_index += 1

        # The timeline, drawn against the clocks; squeezed if it would end in the future.
        dv = 60 + int(verify_length * rnd() ** 1.3 * 1.08)
        dr = max(dv + 300, int(resolve_length * rnd() ** 1.2 * 1.06))
        df = 600 + int(followup * rnd() ** 1.5 * 1.04)
        score = satisfaction[int(rnd() * POOL)]
        ds = 600 + int(second * rnd()) if score < satisfied_from else 0
        if r + dr + df + ds > limit:
            scale = (limit - r) / (dr + df + ds)
            dv, dr, df, ds = (int(x * scale) for x in (dv, dr, df, ds))
            dv, dr = max(dv, 1), max(dr, dv + 1)
        verified, resolved = r + dv, r + dr
        followed = resolved + df
        closed = followed + ds
        final_score = second_satisfaction[int(rnd() * POOL)] if ds else score
        reference = g.reference(r)
        t_registered, t_closed = ts(r), ts(closed)
        created = r - int((facts.days_late + 1 + rnd() * 2) * DAY)
        hub, code = hubs[k]
        parcel, contact, cid = parcel_id + k, contact_id + k, complaint_id + k
        wave = f"{code}{g.local_day(created)}-{1 + int(rnd() * 6):02d}"
        parcels.append((parcel, tracking[k], customer, routes[k], hub, outlet, wave, ts(created)))
        started = r - 60 - int(rnd() * 540)
        answered = started + answer[int(rnd() * POOL)]
        # fmt: off
        contacts.append((
            contact, registrar, customer, parcel, channel, "complaint", ts(started),
            ts(answered), ts(r + 60 + int(rnd() * 300)), "", f"投诉已登记 {reference}", None,
        ))
        blame = responsible[template.category][int(rnd() * POOL)]
        complaints.append((
            cid, reference, contact, customer, parcel, template.category, severity,
            template.reasons, "", "closed", channel, outlet, template.description,
            template.request, facts.days_late, facts.declared_value_fen, facts.insured,
            facts.insured_amount_fen, facts.shipping_fee_fen, facts.item_damaged,
            facts.repairable, None, owner, t_registered, ts(r + verify_length), ts(verified),
            ts(r + resolve_length), ts(resolved), ts(resolved + followup), ts(followed),
            ts(followed + second) if ds else None, t_closed, template.compensation_kind,
            template.compensation_fen, blame, final_score, 5 if ds else 4, None,
            owner if blame == "agent" else None,  # the demo blames the agent who held it
            *NO_APPROVAL,
            "",  # the customer's own complaint
            None,  # not imported
        ))
        # fmt: on
        events.append(
            (
                g.take("events"),
                t_registered,
                registrar,
                cid,
                None,
                None,
                "registered",
                template.registered_detail,
            )
        )  # fmt: skip
        if r >= full_from:
            plan = _Closed(
                cid,
                customer,
                registrar,
                owner,
                r,
                verified,
                resolved,
                followed,
                closed,
                score,
                final_score,
                followed + second if ds else None,
            )
            _full_history(g, batch, plan, template)
        events.append(
            (g.take("events"), t_closed, owner, cid, None, None, "closed",
             f'{{"satisfaction": {final_score}}}')
        )  # fmt: skip
    return batch


def add_event(g: DemoRows, batch: Batch, at: int, actor: int, kind: str, detail: dict,
           complaint: int | None = None, callback: int | None = None,
           contact: int | None = None) -> None:  # fmt: skip
    """An event row; ``detail`` becomes its JSON."""
    batch.events.append(
        (g.take("events"), g.ts(at), actor, complaint, callback, contact, kind,
         json.dumps(detail, ensure_ascii=False))
    )  # fmt: skip


def _followup_call(g: DemoRows, batch: Batch, c: _Closed, kind: str, due: int, start: int,
                   done: int, score: int, tries: int) -> None:  # fmt: skip
    """A done follow-up callback with its attempts (the last one reached) and event."""
    callback = g.take("callbacks")
    batch.callbacks.append(
        (callback, c.customer, c.complaint, None, kind, "done", c.owner, g.ts(due), tries, "",
         g.ts(start), g.ts(done), None, "")
    )  # fmt: skip
    for attempt in range(tries):
        missed = attempt < tries - 1
        at = done - (tries - 1 - attempt) * g.retry
        batch.attempts.append(
            (g.take("callback_attempts"), callback, c.owner, g.ts(at),
             "no_answer" if missed else "reached", None if missed else score, "", None, "")
        )  # fmt: skip
    add_event(
        g,
        batch,
        done,
        c.owner,
        "callback_reached",
        {"satisfaction": score, "status": "done"},
        c.complaint,
        callback,
    )


def _full_history(g: DemoRows, batch: Batch, c: _Closed, template: FactTemplate) -> None:
    """Every event and callback of a recently closed complaint, between its two events."""
    verify_length = g.lengths[template.severity][0]
    if c.owner != c.registrar:
        add_event(
            g,
            batch,
            c.registered + 120,
            c.registrar,
            "handed_over",
            {
                "from_user": c.registrar,
                "to_user": c.owner,
                "reason": g.staff.handover_reason(c.registrar),
            },
            c.complaint,
        )
    add_event(
        g,
        batch,
        c.verified,
        c.owner,
        "verified",
        {"late": c.verified > c.registered + verify_length, "note": ""},
        c.complaint,
    )
    add_event(
        g,
        batch,
        c.resolved,
        c.owner,
        "resolution_accepted",
        {
            "compensation": template.compensation_kind,
            "amount_fen": template.compensation_fen,
            "note": "",
        },
        c.complaint,
    )
    tries = 2 if g.rng.random() < 0.25 and c.followed - c.resolved > g.retry + 60 else 1
    _followup_call(
        g, batch, c, "followup", c.resolved + g.followup, c.resolved, c.followed, c.score, tries
    )
    if c.second_due is not None:
        add_event(
            g,
            batch,
            c.followed,
            c.owner,
            "reopened",
            {"satisfaction": c.score, "second_followup": str(g.ts(c.second_due))},
            c.complaint,
        )
        _followup_call(
            g, batch, c, "second_followup", c.second_due, c.followed, c.closed, c.final_score, 1
        )
