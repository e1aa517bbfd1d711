"""Customers and parcels: the one place personal data is written and looked up.

``phone_key`` is how a customer is found by phone; today it is the E.164 number, and
encrypting the personal columns changes only this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import case
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, select

from cs_console.storage.tables import Customer, Parcel


@dataclass(frozen=True)
class CustomerRecord:
    id: int
    name: str
    phone: str  # E.164
    address: str


def phone_key(phone: str) -> str:
    """The lookup key for an E.164 phone number."""
    return phone


def _record(customer: Customer) -> CustomerRecord:
    assert customer.id is not None
    return CustomerRecord(customer.id, customer.name, customer.phone, customer.address)


def find_customer(
    *, session: Session, phone: str | None = None, tracking_no: str | None = None
) -> CustomerRecord | None:
    """The customer with this phone (E.164), else the one behind this tracking number."""
    if phone:
        found = session.exec(select(Customer).where(Customer.phone_key == phone_key(phone))).first()
        if found is not None:
            return _record(found)
    if tracking_no:
        found = session.exec(
            select(Customer)
            .join(Parcel, Parcel.customer_id == Customer.id)
            .where(Parcel.tracking_no == tracking_no)
        ).first()
        if found is not None:
            return _record(found)
    return None


def customer_by_id(*, session: Session, customer_id: int) -> CustomerRecord | None:
    """One customer by id."""
    found = session.get(Customer, customer_id)
    return _record(found) if found is not None else None


def _dialect_insert(dialect: str):  # type: ignore[no-untyped-def]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@cache
def _customer_upsert(dialect: str) -> Executable:
    """INSERT … ON CONFLICT (phone_key) DO UPDATE … RETURNING id, built once per dialect.

    One statement instead of select-insert-select: it is on the path of every complaint
    saved, and a statement object built once compiles once. On PostgreSQL ON CONFLICT waits
    for a console inserting the same caller at this moment instead of failing on the key.
    A name or address given is kept; an empty one leaves what is stored.
    """
    table = Customer.__table__
    statement = _dialect_insert(dialect)(table)
    excluded = statement.excluded

    def keep(column: str):  # type: ignore[no-untyped-def]
        return case((excluded[column] != "", excluded[column]), else_=table.c[column])

    return statement.on_conflict_do_update(
        index_elements=["phone_key"], set_={"name": keep("name"), "address": keep("address")}
    ).returning(table.c.id)


@cache
def _parcel_upsert(dialect: str) -> Executable:
    """INSERT … ON CONFLICT (tracking_no) … RETURNING id: a known parcel keeps its customer.

    The no-op update is what makes RETURNING give the existing row's id.
    """
    table = Parcel.__table__
    statement = _dialect_insert(dialect)(table)
    return statement.on_conflict_do_update(
        index_elements=["tracking_no"], set_={"tracking_no": statement.excluded.tracking_no}
    ).returning(table.c.id)


def upsert_customer(
    *, session: Session, phone: str, name: str, now: datetime, address: str = ""
) -> int:
    """Find the customer by phone or create one; a newly given name or address is kept."""
    connection = session.connection()
    values = {
        "phone_key": phone_key(phone),
        "phone": phone,
        "name": name,
        "address": address,
        "created_at": now,
    }
    return connection.execute(_customer_upsert(connection.dialect.name), values).scalar_one()


def upsert_parcel(*, session: Session, tracking_no: str, customer_id: int, now: datetime) -> int:
    """Find the parcel by tracking number or create it for this customer."""
    connection = session.connection()
    values = {
        "tracking_no": tracking_no,
        "customer_id": customer_id,
        "route": "",
        "hub": "",
        "outlet": "",
        "batch": "",
        "created_at": now,
    }
    return connection.execute(_parcel_upsert(connection.dialect.name), values).scalar_one()


def parcel_id(*, session: Session, tracking_no: str) -> int | None:
    """The id of a known parcel."""
    return session.exec(select(Parcel.id).where(Parcel.tracking_no == tracking_no)).first()
