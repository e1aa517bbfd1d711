"""The open work of the demo: complaints with running clocks, callbacks, recent contacts.

Each open complaint is placed relative to now so that its running clock is in a chosen
state: the first rounds give every (clock, state) pair both severities, the rest follow
realistic weights. A few are repeat complaints (the repeat rule makes them major), and a
big demo has one mass-complaint cluster (one batch, one hour) for the supervisor's alert.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from cs_console.demo.closed import (
    ANSWER_DELAYS,
    CHANNELS,
    add_event,
    weighted_pool,
)
from cs_console.demo.facts import FactTemplate, as_repeat
from cs_console.demo.pools import HUBS
from cs_console.demo.rows import (
    DAY,
    HOUR,
    NO_APPROVAL,
    SCENARIOS,
    Batch,
    DemoRows,
)
from cs_console.domain.enums import Category

MASS_CLUSTER = 25  # more than the policy's default threshold of 20 within an hour
MASS_CLUSTER_FROM = 500  # open complaints needed before the demo includes a cluster
REPEAT_SHARE = 0.03


@dataclass
class OpenComplaint:
    """One open complaint's plan: times are epoch seconds, None where the step is not done."""

    clock: str
    template: FactTemplate
    registered: int
    verified: int | None = None
    resolved: int | None = None
    followed: int | None = None  # the first follow-up call, done but unsatisfied
    second_due: int | None = None
    repeat: bool = False
    cluster: bool = False
    customer: int = 0
    reference: str = ""
    extra: dict = field(default_factory=dict)


def state_fractions(g: DemoRows) -> dict[str, tuple[float, float]]:
    """Elapsed share of a clock's length that puts it in each state, from the policy."""
    amber, red = g.policy.clocks.amber_fraction, g.policy.clocks.red_fraction
    m = 0.01
    return {
        "ok": (0.05, max(0.06, 1 - amber - m)),
        "amber": (1 - amber + m, 1 - red - m),
        "red": (1 - red + m / 2, 1 - m / 4),
        "breached": (1.03, 2.5),
    }


def _plan(g: DemoRows, clock: str, state: str, template: FactTemplate) -> OpenComplaint:
    rng, now = g.rng, g.now
    lo, hi = state_fractions(g)[state]
    if hi <= lo:  # the policy leaves no room for this state (e.g. amber == red)
        lo, hi = state_fractions(g)["ok"]
    verify_length, resolve_length = g.lengths[template.severity]

    def elapsed(length: int) -> int:
        return int(length * rng.uniform(lo, hi))

    def verified_after(registered: int, before: int) -> int:
        return registered + max(
            60, min(int(verify_length * rng.uniform(0.2, 1.15)), int((before - registered) * 0.8))
        )

    if clock == "verify":
        return OpenComplaint(clock, template, now - elapsed(verify_length))
    if clock == "stale":
        return OpenComplaint(clock, template, now - int(rng.uniform(3, 12) * DAY))
    if clock == "resolve":
        registered = now - elapsed(resolve_length)
        return OpenComplaint(clock, template, registered, verified_after(registered, now))
    if clock == "followup":
        resolved = now - elapsed(g.followup)
        registered = resolved - int(resolve_length * rng.uniform(0.1, 0.9))
        return OpenComplaint(
            clock, template, registered, verified_after(registered, resolved), resolved
        )
    followed = now - elapsed(g.second)
    resolved = followed - int(g.followup * rng.uniform(0.2, 0.9))
    registered = resolved - int(resolve_length * rng.uniform(0.1, 0.9))
    return OpenComplaint(
        clock,
        template,
        registered,
        verified_after(registered, resolved),
        resolved,
        followed,
        followed + g.second,
    )


def plan_open(g: DemoRows) -> list[OpenComplaint]:
    """Every open complaint's plan, oldest first, with customers and references."""
    rng, count = g.rng, g.open
    wanted: list[tuple[str, str, str | None]] = [
        (clock, state, severity)
        for severity in ("general", "major")
        for (clock, state), _weight in SCENARIOS
    ]
    wanted = wanted[:count]
    cluster = MASS_CLUSTER if count >= MASS_CLUSTER_FROM else 0
    rest = count - len(wanted) - cluster
    if rest > 0:
        picks = rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS], k=rest)
        wanted += [(clock, state, None) for clock, state in picks]
    plans = []
    for clock, state, severity in wanted:
        pool = g.by_severity.get(severity or "", []) or g.templates
        plan = _plan(g, clock, state, rng.choice(pool))
        plan.repeat = clock == "verify" and severity is None and rng.random() < REPEAT_SHARE
        plans.append(plan)
    free = [p for p, (_c, _s, severity) in zip(plans, wanted, strict=True) if severity is None]
    if free and not any(p.repeat for p in plans):  # at least one repeat complaint
        free[-1].repeat = True
    delays = [t for t in g.templates if t.category == Category.DELAY.value] or g.templates
    for _ in range(cluster):
        plan = OpenComplaint("verify", rng.choice(delays), g.now - int(rng.uniform(120, 3000)))
        plan.cluster = True
        plans.append(plan)
    plans.sort(key=lambda p: p.registered)
    unresolved: list[OpenComplaint] = []
    for plan in plans:
        plan.customer = g.customer_of(g.complaint_index)
        g.complaint_index += 1
        if plan.repeat and unresolved:
            earlier = rng.choice(unresolved)
            plan.customer = earlier.customer
            plan.template = as_repeat(plan.template, earlier.reference, g.policy)
        else:
            plan.repeat = False
        plan.reference = g.reference(plan.registered)
        if plan.resolved is None and not plan.repeat:
            unresolved.append(plan)
    return plans


def open_batch(g: DemoRows) -> Batch:
    """Rows for every open complaint: parcel, contact, complaint, callbacks, events."""
    batch = Batch()
    hub, code = HUBS[0]
    cluster = (hub, f"{code}{g.local_day(g.now - 6 * HOUR)}-02", g.rng.choice(g.routes))
    for plan in plan_open(g):
        _open_rows(g, plan, batch, cluster)
    return batch


# Of the complaints nobody has verified yet, about this many more are walk-ins (besides the
# usual share): the supervisor's overview then has walk-ins waiting for an owner.
WAITING_WALK_INS = 0.2


def _people(g: DemoRows, plan: OpenComplaint) -> tuple[str, int, int, str]:
    """Channel, registrar, owner and outlet of an open complaint."""
    rng = g.rng
    channel = "phone" if plan.cluster else weighted_pool(rng, CHANNELS, 1)[0]
    if not plan.cluster and plan.verified is None and rng.random() < WAITING_WALK_INS:
        channel = "walk_in"
    if channel == "walk_in" and g.staff.outlet_users:
        registrar, outlet = rng.choice(g.staff.outlet_users)
        if plan.verified is None:  # not taken by the call desk yet: on the overview
            return channel, registrar, registrar, outlet
        return channel, registrar, rng.choice(g.staff.agents), outlet
    channel = "online" if channel == "walk_in" else channel
    registrar = owner = rng.choice(g.staff.agents)
    if plan.template.severity == "major" and g.staff.specialists and rng.random() < 0.6:
        owner = rng.choice(g.staff.specialists)
    return channel, registrar, owner, rng.choice(g.outlets)


def _status(plan: OpenComplaint, handed_over: bool) -> str:
    if plan.second_due is not None:
        return "verified"  # an unsatisfied follow-up reopened the negotiation
    if plan.resolved is not None:
        return "resolved"
    if plan.verified is not None:
        return "verified"
    return "verifying" if handed_over else "registered"


def _open_rows(g: DemoRows, plan: OpenComplaint, batch: Batch, cluster: tuple) -> None:
    rng, ts, template = g.rng, g.ts, plan.template
    facts, r = template.facts, plan.registered
    verify_length, resolve_length = g.lengths[template.severity]
    channel, registrar, owner, outlet = _people(g, plan)
    parcel, contact, cid = g.take("parcels"), g.take("contacts"), g.take("complaints")
    created = r - int((facts.days_late + 1 + rng.random() * 2) * DAY)
    hub, code = rng.choice(HUBS)
    wave, route = f"{code}{g.local_day(created)}-{rng.randint(1, 6):02d}", g.route_to(outlet)
    if plan.cluster:
        hub, wave, route = cluster
    tracking = g.tracking_numbers(1)[0]
    batch.parcels.append((parcel, tracking, plan.customer, route, hub, outlet, wave, ts(created)))
    started = r - 60 - rng.randrange(540)
    answered = started + weighted_pool(rng, ANSWER_DELAYS, 1)[0]
    score = rng.choice((1, 2)) if plan.followed is not None else None
    followup_due = plan.resolved + g.followup if plan.resolved is not None else None
    steps = (plan.verified, plan.resolved, plan.followed)
    version = 1 + (owner != registrar) + sum(step is not None for step in steps)
    # fmt: off
    batch.contacts.append((
        contact, registrar, plan.customer, parcel, channel, "complaint", ts(started),
        ts(answered), ts(r + 60 + rng.randrange(300)), "", f"投诉已登记 {plan.reference}", None,
    ))
    batch.complaints.append((
        cid, plan.reference, contact, plan.customer, parcel, template.category,
        template.severity, template.reasons, "", _status(plan, owner != registrar), channel,
        outlet, template.description, template.request, facts.days_late,
        facts.declared_value_fen, facts.insured, facts.insured_amount_fen,
        facts.shipping_fee_fen, facts.item_damaged, facts.repairable, facts.repeat_of, owner,
        ts(r), ts(r + verify_length), _ts(ts, plan.verified), ts(r + resolve_length),
        _ts(ts, plan.resolved), _ts(ts, followup_due), _ts(ts, plan.followed),
        _ts(ts, plan.second_due), None, template.compensation_kind, template.compensation_fen,
        "", score, version, None, None,  # not imported, no agent to blame yet
        *NO_APPROVAL,
        "",  # the customer's own complaint (no other person on the number)
        None,  # not imported
    ))
    # fmt: on
    detail = json.loads(template.registered_detail)
    add_event(g, batch, r, registrar, "registered", detail, cid)
    if owner != registrar:
        reason = g.staff.handover_reason(registrar)
        handover = {"from_user": registrar, "to_user": owner, "reason": reason}
        add_event(g, batch, r + 120, registrar, "handed_over", handover, cid)
    if plan.verified is not None:
        late = plan.verified > r + verify_length
        add_event(g, batch, plan.verified, owner, "verified", {"late": late, "note": ""}, cid)
    if plan.resolved is None:
        return
    accepted = {"compensation": template.compensation_kind,
                "amount_fen": template.compensation_fen, "note": ""}  # fmt: skip
    add_event(g, batch, plan.resolved, owner, "resolution_accepted", accepted, cid)
    _open_followups(g, batch, plan, cid, owner, score)


def _open_followups(
    g: DemoRows, batch: Batch, plan: OpenComplaint, cid: int, owner: int, score: int | None
) -> None:
    """The follow-up callbacks of a resolved open complaint: pending, or done and reopened."""
    rng, ts = g.rng, g.ts
    assert plan.resolved is not None
    callback = g.take("callbacks")
    due = plan.resolved + g.followup
    if plan.followed is None:  # waiting for the follow-up call, perhaps after a missed try
        tries = 0
        if rng.random() < 0.3:
            tried = plan.resolved + int((g.now - plan.resolved) * rng.uniform(0.3, 0.9))
            due, tries = tried + g.retry, 1
            batch.attempts.append(
                (
                    g.take("callback_attempts"),
                    callback,
                    owner,
                    ts(tried),
                    "no_answer",
                    None,
                    "",
                    None,
                    "",
                )
            )
            missed = {"satisfaction": None, "status": "pending"}
            add_event(g, batch, tried, owner, "callback_no_answer", missed, cid, callback)
        batch.callbacks.append(
            (callback, plan.customer, cid, None, "followup", "pending", owner, ts(due), tries,
             "", ts(plan.resolved), None, None, "")
        )  # fmt: skip
        return
    assert plan.second_due is not None
    batch.callbacks.append(
        (callback, plan.customer, cid, None, "followup", "done", owner, ts(due), 1, "",
         ts(plan.resolved), ts(plan.followed), None, "")
    )  # fmt: skip
    batch.attempts.append(
        (
            g.take("callback_attempts"),
            callback,
            owner,
            ts(plan.followed),
            "reached",
            score,
            "",
            None,
            "",
        )
    )
    reached = {"satisfaction": score, "status": "done"}
    add_event(g, batch, plan.followed, owner, "callback_reached", reached, cid, callback)
    reopened = {"satisfaction": score, "second_followup": str(ts(plan.second_due))}
    add_event(g, batch, plan.followed, owner, "reopened", reopened, cid)
    batch.callbacks.append(
        (g.take("callbacks"), plan.customer, cid, None, "second_followup", "pending", owner,
         ts(plan.second_due), 0, "", ts(plan.followed), None, None, "")
    )  # fmt: skip


def _ts(ts: Callable[[int], object], value: int | None) -> object:
    return None if value is None else ts(value)
