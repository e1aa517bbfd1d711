"""The complaint screen's text: facts, customer text, clocks and history as ``Content``.

Customer text goes in as plain string parts of ``Content.assemble`` (never markup), cleaned
of escape sequences again on the way out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from cs_console.domain.clocks import (
    STATE_SYMBOLS,
    breached_at_completion,
    clock_state,
    format_remaining,
    remaining,
)
from cs_console.domain.enums import Category, ClockState, Responsibility
from cs_console.domain.text import clean_line, clean_text
from cs_console.i18n import day_time, money, t

if TYPE_CHECKING:
    from cs_console.domain.compensation import Suggestion
    from cs_console.services.context import ServiceContext
    from cs_console.services.worklists import ComplaintView
    from cs_console.storage.events import EventRow

LABEL = "bold"
STATE_STYLES = {
    ClockState.OK: "$text-success",
    ClockState.AMBER: "$text-warning bold",
    ClockState.RED: "$text-error bold",
    ClockState.BREACHED: "$text-error bold reverse",
    ClockState.DONE: "$text-muted",
}


# The events after which a resolution counts as agreed (accepted within the policy, or
# approved by a supervisor).
AGREED = ("resolution_accepted", "compensation_approved")
PROPOSAL_EVENTS = ("resolution_accepted", "negotiation_round", "resolution_proposed")
DECISION_EVENTS = ("compensation_approved", "compensation_rejected")


def suggestion_of(view: ComplaintView, console: ServiceContext) -> Suggestion:
    """What the policy suggests for the complaint's facts (the ceiling above which an
    offer needs a reason and a supervisor's approval)."""
    from cs_console.domain.compensation import suggest_compensation
    from cs_console.domain.complaint_entry import ComplaintFacts

    facts = ComplaintFacts(
        Category(view.category),
        view.days_late,
        view.declared_value_fen,
        view.insured,
        view.insured_amount_fen,
        view.shipping_fee_fen,
        view.item_damaged,
        view.repairable,
    )
    return suggest_compensation(facts, console.policy.compensation)


def remedy(kind: str, amount_fen: int | None) -> str:
    """A remedy in words: "优惠券 ¥9,999"."""
    words = t(f"detail.compensation.{kind}")
    return f"{words} {money(amount_fen)}" if amount_fen is not None else words


def _approval(view: ComplaintView) -> list[str | tuple[str, str]]:
    """The resolution held for a supervisor, or what they decided; the reason as typed."""
    proposal = view.approval
    assert proposal is not None
    style = "$text-warning bold" if proposal.status == "pending" else LABEL
    return [
        (t(f"detail.approval.{proposal.status}"), style),
        f"  {remedy(proposal.kind, proposal.amount_fen)}    ",
        (t("detail.approval.reason"), LABEL),
        f"  {clean_line(proposal.reason)}\n",
    ]


def summary(view: ComplaintView, console: ServiceContext) -> Content:
    """Who, what, how severe, and the remedy the policy suggests."""
    yes, no = t("detail.yes"), t("detail.no")
    reasons = ", ".join(t(f"detail.reason.{r}") for r in view.severity_reasons)
    parts: list[str | tuple[str, str]] = [
        (t("detail.field.reference"), LABEL),
        f"  {clean_line(view.reference)}\n",
        (t("detail.field.severity"), LABEL),
        f"  {t('lists.severity.' + view.severity)}",
        f"  {reasons}\n" if reasons else "\n",
    ]
    if view.severity_override:
        parts += [
            (t("detail.field.override"), LABEL),
            f"  {clean_line(view.severity_override)}\n",
        ]
    parts += [
        (t("detail.field.status"), LABEL),
        f"  {t('detail.status.' + view.status)}    ",
        (t("detail.field.category"), LABEL),
        f"  {t('detail.category.' + view.category)}    ",
        (t("detail.field.channel"), LABEL),
        f"  {t('detail.channel.' + view.channel)}\n",
        (t("detail.field.customer"), LABEL),
        f"  {clean_line(view.customer)}",
        # Another person on the customer's number: whose number it is on file.
        f"{t('detail.on_file', name=clean_line(view.customer_on_file))}    "
        if view.customer_on_file
        else "    ",
        (t("detail.field.phone"), LABEL),
        f"  {clean_line(view.phone_masked)}\n",
        (t("detail.field.tracking"), LABEL),
        f"  {clean_line(view.tracking_no)}    ",
        (t("detail.field.owner"), LABEL),
        f"  {clean_line(view.owner)}\n",
    ]
    if view.responsibility:
        parts += [(t("detail.field.responsibility"), LABEL), f"  {_responsible(view, console)}\n"]
    if view.repeat_of:
        parts += [(t("detail.field.repeat_of"), LABEL), f"  {clean_line(view.repeat_of)}\n"]
    parts += [
        (t("detail.field.days_late"), LABEL),
        f"  {view.days_late}    ",
        (t("detail.field.declared_value"), LABEL),
        f"  {money(view.declared_value_fen)}    ",
        (t("detail.field.shipping_fee"), LABEL),
        f"  {money(view.shipping_fee_fen)}\n",
        (t("detail.field.insured"), LABEL),
        f"  {yes if view.insured else no}",
        f" {money(view.insured_amount_fen)}    " if view.insured else "    ",
        (t("detail.field.item_damaged"), LABEL),
        f"  {yes if view.item_damaged else no}    ",
        (t("detail.field.repairable"), LABEL),
        f"  {yes if view.repairable else no}\n",
    ]
    suggestion = suggestion_of(view, console)
    offered = t(f"detail.compensation.{suggestion.kind.value}")
    if suggestion.amount_fen is not None:
        offered += f" {money(suggestion.amount_fen)}"
    if suggestion.minimum_fen is not None:
        offered += " " + t("detail.minimum", amount=money(suggestion.minimum_fen))
    if suggestion.maximum_fen is not None:
        offered += " " + t("detail.maximum", amount=money(suggestion.maximum_fen))
    parts += [(t("detail.field.suggestion"), LABEL), f"  {offered}\n"]
    if view.approval is not None:
        parts += _approval(view)
    if any(e.kind in AGREED for e in view.events):
        agreed = t(f"detail.compensation.{view.compensation_kind}")
        if view.compensation_fen is not None:
            agreed += f" {money(view.compensation_fen)}"
        parts += [(t("detail.field.agreed"), LABEL), f"  {agreed}\n"]
    if view.satisfaction is not None:
        parts += [(t("detail.field.satisfaction"), LABEL), f"  {view.satisfaction}/5\n"]
    return Content.assemble(*parts).rstrip()


def _responsible(view: ComplaintView, console: ServiceContext) -> str:
    """Who is responsible; for an agent, their name and what it costs them."""
    who = t(f"attribute.who.{view.responsibility}")
    if view.responsibility != Responsibility.AGENT.value:
        return who
    cost = t("attribute.shown.breach", points=console.policy.scoring.breach_deduction)
    return f"{who} {clean_line(view.responsible_agent)}  {cost}"


def customer_text(view: ComplaintView) -> Content:
    """What happened and what the customer asks for, as the customer typed it."""
    # Customer text is data: cleaned of escapes, and plain string parts (never markup).
    return Content.assemble(
        (t("detail.field.description"), LABEL),
        "\n",
        clean_text(view.description) or "-",
        "\n",
        (t("detail.field.request"), LABEL),
        "\n",
        clean_text(view.request) or "-",
    )


def clocks(view: ComplaintView, console: ServiceContext) -> Content:
    """Each clock with its state symbol, due time in the console's zone, and time left."""
    now, policy, zone = console.now(), console.policy.clocks, console.zone
    parts: list[str | tuple[str, str]] = [(t("detail.clocks"), LABEL), "\n"]
    for clock in view.clocks:
        state = clock_state(clock, now, policy)
        due = day_time(clock.due, zone)
        if clock.done_at is not None:
            done_at = day_time(clock.done_at, zone)
            late = t("detail.late") if breached_at_completion(clock) else ""
            left = f"{t('lists.clocks.done')} {done_at} {late}".rstrip()
        else:
            left = format_remaining(remaining(clock, now))
        parts += [
            (STATE_SYMBOLS[state], STATE_STYLES[state]),
            f" {t('lists.clock.' + clock.kind.value)}  {t('detail.due')} {due}  ",
            (left, STATE_STYLES[state] if state is not ClockState.OK else ""),
            "\n",
        ]
    return Content.assemble(*parts).rstrip()


def history(view: ComplaintView, console: ServiceContext) -> Content:
    """The events, oldest first: time, who, what in words."""
    zone = console.zone
    parts: list[str | tuple[str, str]] = [(t("detail.history"), LABEL)]
    for event in view.events:
        at = day_time(event.at, zone)
        words = t(f"detail.event.{event.kind}")
        if words == f"detail.event.{event.kind}":
            words = event.kind
        line = f"\n{at}  {clean_line(event.actor)}  {words}"
        extra = _event_detail(event)
        parts.append(line + (f"  {extra}" if extra else ""))
    return Content.assemble(*parts)


def _event_detail(event: EventRow) -> str:
    """The few facts of an event worth a glance, in words; typed notes are cleaned."""
    d = event.detail
    bits: list[str] = []
    if event.kind in PROPOSAL_EVENTS + DECISION_EVENTS and d.get("compensation"):
        bits.append(t(f"detail.compensation.{d['compensation']}"))
        if d.get("amount_fen") is not None:
            bits.append(money(int(d["amount_fen"])))
        if d.get("suggested_fen") is not None:
            bits.append(t("detail.approval.suggested", amount=money(int(d["suggested_fen"]))))
    if event.kind == "verified" and d.get("late"):
        bits.append(t("detail.late"))
    if event.kind in ("order_sent", "order_answered"):
        bits.append(t(f"orders.kind.{d.get('order_kind', 'verify')}"))
        bits.append(clean_line(str(d.get("outlet") or "")))
    if event.kind == "order_answered" and d.get("result"):
        bits.append(
            t(f"orders.result.{d['result']}") + (f" {t('detail.late')}" if d.get("late") else "")
        )
        if d.get("answer"):
            bits.append(clean_line(str(d["answer"])))
    if event.kind == "verified" and d.get("order"):
        bits.append(t("detail.outlet_finding", outlet=clean_line(str(d.get("outlet") or ""))))
    if event.kind == "responsibility_recorded":
        bits.append(t(f"attribute.who.{d.get('responsibility') or 'none'}"))
        if d.get("agent"):
            bits.append(clean_line(str(d["agent"])))
    if event.kind == "customer_name_corrected" and d.get("previous"):
        bits.append(t("detail.previous_name", name=clean_line(str(d["previous"]))))
    if event.kind == "callback_wrong_number" and d.get("phone"):
        bits.append(t("detail.new_number", phone=clean_line(str(d["phone"]))))  # masked
    if d.get("satisfaction") is not None:
        bits.append(t("detail.satisfaction", score=d["satisfaction"]))
    for key in ("reason", "note"):
        if d.get(key):
            bits.append(clean_line(str(d[key])))
    return "  ".join(bits)
