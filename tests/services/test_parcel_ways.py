"""Parcels stored from a call, a walk-in or an import take their way (route, hubs, outlet,
batch) from the tracking provider; a failing provider costs only the way. Both engines."""

from __future__ import annotations

from dataclasses import replace
from typing import NoReturn

import pytest

from cs_console.domain.enums import ContactType, Role
from cs_console.services.calls import end_call, start_call
from cs_console.services.complaint_import import import_register
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, ServiceContext
from cs_console.services.tracking.ways import with_tracking
from cs_console.storage.engine import read_session
from cs_console.storage.parcel_routes import parcel_route
from cs_console.storage.tables import Complaint, Parcel
from tests.conftest import add_person
from tests.services.fake_tracking import OUTLET, FakeProvider, tracked
from tests.services.helpers import (
    complaint_form,
    count,
    distinct_form,
    one,
    phone,
    tracking,
)
from tests.services.test_complaint_import import line, register

JT = "JT1234567890123"  # J&T's format, not the demo company's
HUBS = ("杭州转运中心", "南京转运中心", "北京转运中心")


@pytest.fixture
def provider(console: ServiceContext) -> FakeProvider:
    return FakeProvider(console, HUBS)


def way(console: ServiceContext, number: str) -> tuple[str, tuple[str, ...], str, str]:
    with read_session(console.engine) as session:
        stored = parcel_route(session=session, tracking_no=number)
    assert stored is not None
    return stored.route, stored.hubs, stored.outlet, stored.batch


WAY = ("杭州-北京", HUBS, OUTLET, "HZ20261122-03")
NO_WAY: tuple[str, tuple[str, ...], str, str] = ("", (), "", "")


def test_a_complaint_typed_in_the_workspace_stores_its_parcels_way(
    console: ServiceContext, agent: Actor, provider: FakeProvider
) -> None:
    register_complaint(tracked(console, provider), agent, distinct_form(1))

    assert way(console, tracking(1)) == WAY


def test_a_walk_in_at_an_outlet_stores_its_parcels_way(
    console: ServiceContext, provider: FakeProvider
) -> None:
    counter = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")

    register_complaint(tracked(console, provider), counter, distinct_form(2))

    assert way(console, tracking(2)) == WAY


def test_a_call_about_a_parcel_stores_its_way(
    console: ServiceContext, agent: Actor, provider: FakeProvider
) -> None:
    desk = tracked(console, provider)
    contact = start_call(desk, agent)

    end_call(
        desk, agent, contact, contact_type=ContactType.TRACKING, notes="", outcome="",
        tracking_no=tracking(3).lower(),
    )  # fmt: skip

    assert way(console, tracking(3)) == WAY


def test_an_imported_complaint_stores_its_parcels_way(
    console: ServiceContext, agent: Actor, provider: FakeProvider
) -> None:
    provider.by_number[tracking(5)] = ("上海转运中心", "杭州转运中心")

    desk = tracked(console, provider)
    import_register(desk, agent, register(line(4), line(5)))

    assert way(console, tracking(4)) == WAY
    assert way(console, tracking(5)) == ("上海-杭州", ("上海转运中心", "杭州转运中心"), OUTLET,
                                         "HZ20261122-03")  # fmt: skip
    # Asked once each, and kept in the shared cache: the call pane's lookup asks no more.
    assert sorted(provider.asked) == [tracking(4), tracking(5)]
    assert desk.tracking is not None and desk.tracking.track(tracking(4)).hubs == HUBS
    assert len(provider.asked) == 2


def test_a_provider_that_fails_stores_the_complaint_without_the_way(
    console: ServiceContext, agent: Actor, provider: FakeProvider
) -> None:
    provider.down = True
    desk = tracked(console, provider)

    registered = register_complaint(desk, agent, distinct_form(6))
    report = import_register(desk, agent, register(line(7), line(8), line(9)))

    assert one(console, Complaint, Complaint.id == registered.id).reference == registered.reference
    assert report.imported == 3
    assert [way(console, tracking(i)) for i in (6, 7, 8, 9)] == [NO_WAY] * 4
    # The import gave up after the first failure instead of waiting on every row.
    assert len(provider.asked) == 2  # the typed one, the first row of the import


def test_a_broken_lookup_never_loses_the_complaint(console: ServiceContext, agent: Actor) -> None:
    class Broken:
        def track(self, _number: str, _last4: str | None = None) -> NoReturn:
            raise OSError("connection reset")

        def track_many(self, _numbers: object) -> NoReturn:
            raise OSError("connection reset")

    broken = replace(console, tracking=Broken())
    register_complaint(broken, agent, distinct_form(10))
    import_register(broken, agent, register(line(14)))

    assert way(console, tracking(10)) == NO_WAY
    assert way(console, tracking(14)) == NO_WAY


def test_a_parcel_with_a_way_on_file_keeps_it_and_the_provider_is_not_asked(
    console: ServiceContext, agent: Actor, provider: FakeProvider
) -> None:
    desk = tracked(console, provider)
    register_complaint(desk, agent, distinct_form(11))
    provider.by_number[tracking(11)] = ("广州转运中心",)

    register_complaint(desk, agent, complaint_form(phone=phone(99), tracking_no=tracking(11)))

    assert way(console, tracking(11)) == WAY
    assert provider.asked == [tracking(11)]
    assert count(console, Parcel, Parcel.tracking_no == tracking(11)) == 1


def test_another_carriers_number_is_refused_and_never_asked_of_the_provider(
    console: ServiceContext, agent: Actor, provider: FakeProvider
) -> None:
    # It was stored without a way; a complaint about another carrier's parcel is now refused
    # (the parcel box tells the agent it is not ours: the caller is told to ask that carrier).
    form = complaint_form(phone=phone(12), tracking_no=JT)
    with pytest.raises(InvalidInput) as caught:
        register_complaint(tracked(console, provider), agent, form)

    assert caught.value.fields == {"tracking_no": "tracking_not_ours"}
    assert count(console, Parcel, Parcel.tracking_no == JT) == 0
    assert provider.asked == []


def test_the_console_opened_for_people_uses_the_demo_provider_by_default(
    console: ServiceContext, agent: Actor
) -> None:
    desk = with_tracking(console)

    register_complaint(desk, agent, distinct_form(13))

    assert desk.tracking is not None
    shown = desk.tracking.track(tracking(13))
    assert way(console, tracking(13)) == (shown.route, shown.hubs, shown.outlet, shown.batch)
    assert shown.hubs and shown.outlet and shown.batch
