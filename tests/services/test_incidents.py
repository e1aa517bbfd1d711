"""Incidents on both engines: mass-complaint alerts, incidents, disaster and outage callbacks."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cs_console.domain.enums import ContactType, Role
from cs_console.domain.incidents import IncidentKind
from cs_console.services.calls import end_call, start_call
from cs_console.services.complaints import register_complaint
from cs_console.services.context import (
    Actor,
    NotFound,
    PermissionDenied,
    ServiceContext,
    ServiceError,
)
from cs_console.services.emergencies import declare_disaster, declare_outage, end_incident
from cs_console.services.incidents import (
    dismiss_alert,
    incident_board,
    open_incident,
    queue_incident_callbacks,
)
from cs_console.storage.engine import write_session
from cs_console.storage.tables import (
    Callback,
    Complaint,
    Customer,
    Event,
    IncidentComplaint,
    MassAlert,
    Parcel,
    ParcelHub,
)
from tests.conftest import FakeClock, add_person

from .helpers import count, distinct_form, in_clear, one, rows, tracking

HUB = "杭州转运中心"


def given_parcels(
    console: ServiceContext, first: int, n: int, *, hubs: tuple[str, ...] = (), **place: str
) -> None:
    """Parcels ``tracking(first)`` … ``tracking(first + n - 1)`` at ``place`` (hub, route …);
    ``hubs`` every hub they passed (else the one ``hub``)."""
    now = console.now()
    hubs = hubs or ((place["hub"],) if place.get("hub") else ())
    with write_session(console.engine) as session:
        for i in range(first, first + n):
            parcel = Parcel(tracking_no=tracking(i), created_at=now, **place)
            session.add(parcel)
            session.flush()
            assert parcel.id is not None
            for position, hub in enumerate(hubs):
                session.add(ParcelHub(parcel_id=parcel.id, hub=hub, position=position))


def complain(console: ServiceContext, actor: Actor, i: int, category: str = "delay"):  # type: ignore[no-untyped-def]
    changes = {"category": category}
    if category != "delay":
        changes["days_late"] = ""
    return register_complaint(console, actor, distinct_form(i, **changes))


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "zhuguan", Role.SUPERVISOR, agent_no="9001", display_name="主管")


# --- the window rule -------------------------------------------------------------------


def test_twenty_in_an_hour_raise_no_alert(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    given_parcels(console, 0, 20, hub=HUB)
    for i in range(20):
        complain(console, agent, i)
        clock.advance(minutes=3)

    assert count(console, MassAlert) == 0
    assert incident_board(console, agent).alerts == ()


def test_the_21st_inside_an_hour_raises_one_alert(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    given_parcels(console, 0, 25, hub=HUB, route="杭州-北京")
    for i in range(20):
        complain(console, agent, i)
        clock.advance(minutes=3)  # the 21st comes exactly 60 minutes after the first
    assert count(console, MassAlert) == 0

    twenty_first = complain(console, agent, 20)

    alerts = rows(console, MassAlert)
    assert {(a.dimension, a.value, a.count) for a in alerts} == {
        ("hub", HUB, 21),
        ("route", "杭州-北京", 21),
    }
    events = rows(console, Event, Event.kind == "mass_alert")
    assert {e.complaint_id for e in events} == {twenty_first.id}
    for i in range(21, 25):  # more of the same: still one alert per issue, counted on
        complain(console, agent, i)
    assert count(console, MassAlert) == 2
    assert count(console, Event, Event.kind == "mass_alert") == 2
    board = incident_board(console, agent)
    assert {(a.issue.dimension.value, a.count) for a in board.alerts} == {
        ("hub", 25),
        ("route", 25),
    }


def test_a_hub_anywhere_on_the_parcels_way_counts(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    """Parcels that passed the hub first, in the middle or last are about the same hub;
    the other hubs they passed are issues of their own (7 each: no alert)."""
    given_parcels(console, 0, 7, hubs=(HUB, "上海转运中心"))
    given_parcels(console, 7, 7, hubs=("广州转运中心", HUB, "北京转运中心"))
    given_parcels(console, 14, 7, hubs=("成都转运中心", HUB))
    for i in range(20):
        complain(console, agent, i)
        clock.advance(minutes=2)
    assert count(console, MassAlert) == 0

    complain(console, agent, 20)

    alerts = rows(console, MassAlert)
    assert [(a.dimension, a.value, a.count) for a in alerts] == [("hub", HUB, 21)]
    incident = open_incident(console, boss, alerts[0].id)
    assert count(console, IncidentComplaint, IncidentComplaint.incident_id == incident) == 21


def test_21_spread_over_61_minutes_raise_none(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    given_parcels(console, 0, 21, hub=HUB)
    complain(console, agent, 0)
    clock.advance(minutes=61)
    for i in range(1, 21):
        complain(console, agent, i)

    assert count(console, MassAlert) == 0


def test_other_categories_and_places_do_not_count(
    console: ServiceContext, clock: FakeClock, agent: Actor
) -> None:
    given_parcels(console, 0, 11, hub=HUB)
    given_parcels(console, 11, 10, hub="上海转运中心")
    for i in range(11):
        complain(console, agent, i)
    for i in range(11, 21):
        complain(console, agent, i)
    given_parcels(console, 21, 10, hub=HUB)
    for i in range(21, 31):
        complain(console, agent, i, category="attitude")

    assert count(console, MassAlert) == 0


# --- incidents from an alert -------------------------------------------------------------


def _alert(console: ServiceContext, agent: Actor, n: int = 21) -> int:
    given_parcels(console, 0, n + 10, hub=HUB)
    for i in range(n):
        complain(console, agent, i)
    return one(console, MassAlert).id


def test_opening_an_incident_links_the_matching_complaints_and_new_ones(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    alert_id = _alert(console, agent)
    clock.advance(minutes=10)

    incident_id = open_incident(console, boss, alert_id)

    assert count(console, IncidentComplaint, IncidentComplaint.incident_id == incident_id) == 21
    board = incident_board(console, agent)
    (incident,) = board.incidents
    assert (incident.kind, incident.linked, incident.linked_open) == (
        IncidentKind.MASS_COMPLAINT,
        21,
        21,
    )
    assert incident.close_due == clock.now + timedelta(hours=48)
    assert board.alerts[0].incident_id == incident_id
    with pytest.raises(ServiceError, match="incident_already_open"):
        open_incident(console, boss, alert_id)

    registered = complain(console, agent, 21)  # a new matching complaint is linked at once

    assert registered.incidents == (f"I{incident_id:04d}",)
    linked = one(console, IncidentComplaint, IncidentComplaint.complaint_id == registered.id)
    assert linked.incident_id == incident_id
    assert count(console, Event, Event.kind == "incident_linked") == 22
    other = complain(console, agent, 40)  # a parcel at no hub: not linked
    assert other.incidents == ()


def test_only_supervisors_open_incidents(console: ServiceContext, agent: Actor) -> None:
    alert_id = _alert(console, agent)

    with pytest.raises(PermissionDenied):
        open_incident(console, agent, alert_id)
    with pytest.raises(PermissionDenied):
        dismiss_alert(console, agent, alert_id)


def test_callbacks_for_every_linked_customer_once(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    incident_id = open_incident(console, boss, _alert(console, agent))

    assert queue_incident_callbacks(console, boss, incident_id) == 21
    callbacks = rows(console, Callback)
    assert len({c.customer_id for c in callbacks}) == 21
    assert {(c.owner_id, c.due_at, c.incident_id) for c in callbacks} == {
        (agent.id, clock.now + timedelta(hours=2), incident_id)
    }
    linked_customers = {c.customer_id for c in rows(console, Complaint)}
    assert {c.customer_id for c in callbacks} == linked_customers
    assert queue_incident_callbacks(console, boss, incident_id) == 0  # pressed again
    complain(console, agent, 21)
    assert queue_incident_callbacks(console, boss, incident_id) == 1  # only the new one


def test_ending_an_incident_closes_its_alert_and_a_new_one_may_fire(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    incident_id = open_incident(console, boss, _alert(console, agent))

    assert end_incident(console, boss, incident_id) == 0

    board = incident_board(console, agent)
    assert board == type(board)((), ())
    assert one(console, MassAlert).open_key is None
    with pytest.raises(ServiceError, match="incident_ended"):
        end_incident(console, boss, incident_id)
    complain(console, agent, 21)  # still 22 within the hour: a new alert
    assert count(console, MassAlert) == 2


def test_a_dismissed_alert_is_gone(console: ServiceContext, agent: Actor, boss: Actor) -> None:
    alert_id = _alert(console, agent)

    dismiss_alert(console, boss, alert_id)

    assert incident_board(console, agent).alerts == ()
    with pytest.raises(NotFound):
        open_incident(console, boss, alert_id)


# --- disasters and outages -------------------------------------------------------------


def _call(console: ServiceContext, agent: Actor, i: int) -> None:
    """A finished call about parcel ``tracking(i)`` from caller ``i``."""
    contact = start_call(console, agent)
    end_call(
        console,
        agent,
        contact,
        contact_type=ContactType.TRACKING,
        notes="",
        outcome="",
        phone=distinct_form(i).phone,
        tracking_no=tracking(i),
    )


def test_disaster_end_calls_back_affected_customers_within_24_hours_once(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    given_parcels(console, 0, 2, hub=HUB)
    given_parcels(console, 2, 2, route="上海-成都", hub="上海转运中心")
    complain(console, agent, 0)  # before the disaster: creates customer 0
    complain(console, agent, 2)  # and customer 2
    clock.advance(hours=1)
    incident_id = declare_disaster(console, boss, "杭州、成都", 3)
    clock.advance(hours=5)
    _call(console, agent, 0)  # 杭州 hub: affected
    complain(console, agent, 1)  # a complaint about a 杭州 parcel: affected
    _call(console, agent, 2)  # 上海-成都 route: affected (成都)
    given_parcels(console, 5, 1, hub="广州转运中心")
    complain(console, agent, 5)  # 广州: not affected
    clock.advance(days=2)

    assert end_incident(console, boss, incident_id) == 3

    callbacks = rows(console, Callback, Callback.kind == "disaster")
    assert len(callbacks) == 3
    assert {(c.due_at, c.owner_id, c.incident_id) for c in callbacks} == {
        (clock.now + timedelta(hours=24), agent.id, incident_id)
    }
    with pytest.raises(ServiceError):
        end_incident(console, boss, incident_id)
    assert count(console, Callback, Callback.kind == "disaster") == 3
    events = rows(console, Event, Event.kind == "incident_ended")
    assert json.loads(events[0].detail)["callbacks"] == 3


def test_outage_end_calls_back_everyone_who_made_contact_1_hour_after(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    for i in (0, 1, 3):  # known customers (a call from an unknown number has none)
        complain(console, agent, i)
    _call(console, agent, 0)  # before: not called back
    clock.advance(minutes=5)
    incident_id = declare_outage(console, boss, started_at=clock.now - timedelta(minutes=2))
    _call(console, agent, 1)
    _call(console, agent, 1)  # the same customer twice: one callback
    complain(console, agent, 2)  # registered during the outage
    clock.advance(minutes=30)

    assert end_incident(console, boss, incident_id) == 2

    callbacks = rows(console, Callback, Callback.kind == "outage")
    assert {c.due_at for c in callbacks} == {clock.now + timedelta(hours=1)}
    assert len({c.customer_id for c in callbacks}) == 2
    clock.advance(minutes=5)
    _call(console, agent, 3)  # after the end: nobody new
    assert count(console, Callback, Callback.kind == "outage") == 2


def test_incident_callbacks_go_to_the_person_who_rang_not_the_parcel_s_owner(
    console: ServiceContext, clock: FakeClock, agent: Actor, boss: Actor
) -> None:
    given_parcels(console, 0, 1, hub=HUB)
    owners = complain(console, agent, 0)  # the parcel's customer, before the disaster
    clock.advance(hours=1)
    disaster = declare_disaster(console, boss, "杭州", 3)
    outage = declare_outage(console, boss, started_at=clock.now)
    clock.advance(minutes=5)
    for phone, kind in (
        ("13955556666", ContactType.TRACKING),
        ("13955557777", ContactType.SHIPPING),
    ):
        contact = start_call(console, agent)
        tracking_no = tracking(0) if kind is ContactType.TRACKING else ""
        end_call(
            console, agent, contact, contact_type=kind, notes="", outcome="",
            phone=phone, tracking_no=tracking_no,
        )  # fmt: skip
    clock.advance(minutes=30)

    assert end_incident(console, boss, outage) == 2  # both callers, a new number included
    assert end_incident(console, boss, disaster) == 1  # the one who rang about the parcel

    def called(kind: str) -> set[str]:
        ids = {c.customer_id for c in rows(console, Callback, Callback.kind == kind)}
        return {in_clear(one(console, Customer, Customer.id == i)).phone for i in ids}

    assert called("outage") == {"+8613955556666", "+8613955557777"}
    assert called("disaster") == {"+8613955556666"}
    assert owners.customer_id not in {c.customer_id for c in rows(console, Callback)}


def test_disaster_input_is_checked(console: ServiceContext, boss: Actor) -> None:
    with pytest.raises(ServiceError) as refused:
        declare_disaster(console, boss, " 、 ", 0)
    assert refused.value.fields == {"regions": "required", "delay_days": "out_of_range"}  # type: ignore[attr-defined]
    with pytest.raises(ServiceError):
        declare_outage(console, boss, started_at=console.now() + timedelta(minutes=1))
