"""What the console can tell of a complaint kept in the outage journal, without the server:
its provisional reference, its severity and its clocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo

from cs_console.domain.classification import classify
from cs_console.domain.clocks import initial_clocks
from cs_console.domain.compensation import suggest_compensation
from cs_console.domain.complaint_entry import ComplaintForm, check_complaint_form
from cs_console.domain.enums import Channel, Role
from cs_console.services.complaints import RegisteredComplaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.store import JournalEntry


def provisional_reference(entry: JournalEntry, zone: tzinfo) -> str:
    """The reference a complaint kept in the journal goes by until the server numbers it:
    ``C-YYYYMMDD-Pnnn``, the day it was typed and the entry's place in the journal."""
    day = entry.at.astimezone(zone).strftime("%Y%m%d")
    return f"C-{day}-P{entry.seq:03d}"


def provisional_complaint(
    console: ServiceContext, actor: Actor, form: ComplaintForm, entry: JournalEntry
) -> RegisteredComplaint:
    """The registration as the journal keeps it: severity without the repeat rule (it needs
    the customer's history), clocks from the time it was typed, marked pending."""
    policy = console.policy
    if actor.role is Role.OUTLET:
        form = replace(form, channel=Channel.WALK_IN.value, outlet=actor.outlet)
    valid, _problems = check_complaint_form(form, policy.limits)
    assert valid is not None  # checked before it was journalled
    classification = classify(valid.facts, policy.severity)
    verify, resolve = initial_clocks(entry.at, classification.severity, policy.clocks)
    return RegisteredComplaint(
        id=entry.provisional_id,
        reference=provisional_reference(entry, console.zone),
        classification=classification,
        verify=verify,
        resolve=resolve,
        suggestion=suggest_compensation(valid.facts, policy.compensation),
        customer_id=0,  # not known until the server has it
        parcel_id=0,
        pending=True,
    )
