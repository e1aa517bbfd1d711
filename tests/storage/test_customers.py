"""Customers and parcels: sealed at rest, found by keyed phone hash or tracking number,
created once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from cs_console.services.context import ServiceContext
from cs_console.storage.customers import (
    customer_by_id,
    find_customer,
    parcel_id,
    phone_key,
    upsert_customer,
    upsert_parcel,
)
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.sealing import DataKey, KeyMismatch
from cs_console.storage.tables import Customer, Parcel
from tests.conftest import TEST_DATA_KEY as KEY
from tests.conftest import FakeClock

PHONE = "+8613812345678"


def test_upsert_customer_creates_once_and_never_overwrites_a_stored_name(
    console: ServiceContext, clock: FakeClock
) -> None:
    with write_session(console.engine) as session:
        first = upsert_customer(
            session=session,
            key=KEY,
            phone=PHONE,
            name="张先生",
            now=clock.now,
            address="上海市浦东新区",
        )
    with write_session(console.engine) as session:
        again = upsert_customer(session=session, key=KEY, phone=PHONE, name="", now=clock.now)
        renamed = upsert_customer(session=session, key=KEY, phone=PHONE, name="张伟", now=clock.now)

    with read_session(console.engine) as session:
        record = customer_by_id(session=session, key=KEY, customer_id=first)
    assert first == again == renamed
    assert record is not None
    # Another name for the same number is never written over the one on file.
    assert (record.name, record.phone, record.address) == ("张先生", PHONE, "上海市浦东新区")
    assert phone_key(PHONE, KEY) == KEY.lookup_hash(PHONE) != PHONE


def test_the_last_contact_moves_forward_only(console: ServiceContext, clock: FakeClock) -> None:
    """A complaint from an old paper register (or replayed) does not move it back."""
    later = clock.now + timedelta(days=30)
    with write_session(console.engine) as session:
        first = upsert_customer(session=session, key=KEY, phone=PHONE, name="张", now=clock.now)
        upsert_customer(session=session, key=KEY, phone=PHONE, name="", now=later)
        upsert_customer(session=session, key=KEY, phone=PHONE, name="", now=clock.now)

    with read_session(console.engine) as session:
        customer = session.get(Customer, first)
        assert customer is not None
        assert customer.last_contact_at == later
        assert customer.created_at == clock.now


def test_parcel_belongs_to_its_first_customer(console: ServiceContext, clock: FakeClock) -> None:
    with write_session(console.engine) as session:
        owner = upsert_customer(session=session, key=KEY, phone=PHONE, name="张伟", now=clock.now)
        other = upsert_customer(
            session=session, key=KEY, phone="+8613900000001", name="李四", now=clock.now
        )
        first = upsert_parcel(
            session=session, tracking_no="SF1311234567890", customer_id=owner, now=clock.now
        )
        second = upsert_parcel(
            session=session, tracking_no="SF1311234567890", customer_id=other, now=clock.now
        )

    with read_session(console.engine) as session:
        assert first == second == parcel_id(session=session, tracking_no="SF1311234567890")
        parcel = session.get(Parcel, first)
        by_phone = find_customer(session=session, key=KEY, phone="+8613900000001")
        nobody = find_customer(session=session, key=KEY, phone="+8613900000002")
        assert parcel_id(session=session, tracking_no="YT12345678") is None
    assert parcel is not None and parcel.customer_id == owner
    assert by_phone is not None and by_phone.id == other
    assert nobody is None


def test_personal_columns_are_sealed_and_open_only_with_the_key(
    console: ServiceContext, clock: FakeClock
) -> None:
    with write_session(console.engine) as session:
        customer_id = upsert_customer(
            session=session,
            key=KEY,
            phone=PHONE,
            name="张伟",
            now=clock.now,
            address="杭州市西湖区文三路 1 号",
            id_number="330106199001011234",
        )
    with read_session(console.engine) as session:
        stored = session.get(Customer, customer_id)
        assert stored is not None
        values = (stored.name, stored.phone, stored.address, stored.id_number, stored.phone_key)
        record = customer_by_id(session=session, key=KEY, customer_id=customer_id)
        with pytest.raises(KeyMismatch):
            customer_by_id(session=session, key=DataKey.generate(), customer_id=customer_id)
        assert find_customer(session=session, key=DataKey.generate(), phone=PHONE) is None
    for clear in ("张伟", PHONE, "13812345678", "西湖", "330106199001011234"):
        assert not any(clear in value for value in values)
    assert record is not None
    assert (record.name, record.phone, record.id_number) == ("张伟", PHONE, "330106199001011234")


def test_a_sealed_value_does_not_open_in_another_column() -> None:
    sealed = KEY.seal("张伟", "customers.name")
    assert KEY.open(sealed, "customers.name") == "张伟"
    with pytest.raises(KeyMismatch):
        KEY.open(sealed, "customers.address")


def test_customers_stored_in_clear_are_sealed_in_place(
    console: ServiceContext, clock: FakeClock
) -> None:
    from sqlalchemy import insert

    from cs_console.storage.customers import seal_clear_customers

    with write_session(console.engine) as session:  # as a database from before 0003 holds it
        session.execute(
            insert(Customer).values(
                phone_key=PHONE, phone=PHONE, name="张伟", address="上海", created_at=clock.now
            )
        )
    with write_session(console.engine) as session:
        assert seal_clear_customers(session=session, key=KEY, chunk=1) == 1
    with read_session(console.engine) as session:
        stored = session.exec(select(Customer)).one()
        found = find_customer(session=session, key=KEY, phone=PHONE)
    assert "张伟" not in stored.name and stored.phone_key != PHONE
    assert found is not None and (found.name, found.address) == ("张伟", "上海")
