"""Customers and parcels: found by phone key or tracking number, created once."""

from __future__ import annotations

from cs_console.services.context import Console
from cs_console.storage.customers import (
    customer_by_id,
    find_customer,
    parcel_id,
    phone_key,
    upsert_customer,
    upsert_parcel,
)
from cs_console.storage.engine import read_session, write_session
from tests.conftest import FakeClock

PHONE = "+8613812345678"


def test_upsert_customer_creates_once_and_keeps_known_details(
    console: Console, clock: FakeClock
) -> None:
    with write_session(console.engine) as session:
        first = upsert_customer(
            session=session, phone=PHONE, name="张先生", now=clock.now, address="上海市浦东新区"
        )
    with write_session(console.engine) as session:
        again = upsert_customer(session=session, phone=PHONE, name="", now=clock.now)
        renamed = upsert_customer(session=session, phone=PHONE, name="张伟", now=clock.now)

    with read_session(console.engine) as session:
        record = customer_by_id(session=session, customer_id=first)
    assert first == again == renamed
    assert record is not None
    assert (record.name, record.phone, record.address) == ("张伟", PHONE, "上海市浦东新区")
    assert phone_key(PHONE) == PHONE


def test_parcel_belongs_to_its_first_customer(console: Console, clock: FakeClock) -> None:
    with write_session(console.engine) as session:
        owner = upsert_customer(session=session, phone=PHONE, name="张伟", now=clock.now)
        other = upsert_customer(session=session, phone="+8613900000001", name="李四", now=clock.now)
        first = upsert_parcel(
            session=session, tracking_no="SF1311234567890", customer_id=owner, now=clock.now
        )
        second = upsert_parcel(
            session=session, tracking_no="SF1311234567890", customer_id=other, now=clock.now
        )

    with read_session(console.engine) as session:
        assert first == second == parcel_id(session=session, tracking_no="SF1311234567890")
        by_tracking = find_customer(session=session, tracking_no="SF1311234567890")
        by_phone = find_customer(session=session, phone="+8613900000001")
        nobody = find_customer(session=session, phone="+8613900000002", tracking_no="YT12345678")
        assert parcel_id(session=session, tracking_no="YT12345678") is None
    assert by_tracking is not None and by_tracking.id == owner
    assert by_phone is not None and by_phone.id == other
    assert nobody is None


def test_phone_wins_over_tracking_number(console: Console, clock: FakeClock) -> None:
    with write_session(console.engine) as session:
        owner = upsert_customer(session=session, phone=PHONE, name="张伟", now=clock.now)
        caller = upsert_customer(
            session=session, phone="+8613900000001", name="李四", now=clock.now
        )
        upsert_parcel(
            session=session, tracking_no="SF1311234567890", customer_id=owner, now=clock.now
        )

    with read_session(console.engine) as session:
        found = find_customer(
            session=session, phone="+8613900000001", tracking_no="SF1311234567890"
        )
    assert found is not None and found.id == caller
