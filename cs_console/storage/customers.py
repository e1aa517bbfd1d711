"""Customers and parcels: the one place personal data is written and looked up.

``phone_key`` is how a customer is found by phone; today it is the E.164 number, and
encrypting the personal columns changes only this module.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, SQLModel, col, select

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


def _insert_if_absent(session: Session, model: type[SQLModel], key: str, **values: object) -> None:
    """Insert a row unless one with the same unique ``key`` exists (or is being inserted).

    A plain select-then-insert races on PostgreSQL: two consoles registering the same new
    caller at once would both insert, and one would fail on the unique key. ON CONFLICT DO
    NOTHING waits for the other transaction instead, and the select that follows sees its row.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=[key]))


def upsert_customer(
    *, session: Session, phone: str, name: str, now: datetime, address: str = ""
) -> int:
    """Find the customer by phone or create one; a newly given name or address is kept."""
    key = phone_key(phone)
    query = select(Customer).where(Customer.phone_key == key)
    customer = session.exec(query).first()
    if customer is None:
        _insert_if_absent(
            session,
            Customer,
            "phone_key",
            phone_key=key,
            phone=phone,
            name=name,
            address=address,
            created_at=now,
        )
        customer = session.exec(query).one()
    if name and customer.name != name:
        customer.name = name
    if address and customer.address != address:
        customer.address = address
    session.add(customer)
    session.flush()
    assert customer.id is not None
    return customer.id


def upsert_parcel(*, session: Session, tracking_no: str, customer_id: int, now: datetime) -> int:
    """Find the parcel by tracking number or create it for this customer."""
    query = select(Parcel.id).where(Parcel.tracking_no == tracking_no)
    found = session.exec(query).first()
    if found is None:
        _insert_if_absent(
            session,
            Parcel,
            "tracking_no",
            tracking_no=tracking_no,
            customer_id=customer_id,
            route="",
            hub="",
            outlet="",
            batch="",
            created_at=now,
        )
        found = session.exec(query).one()
    return found


def parcel_id(*, session: Session, tracking_no: str) -> int | None:
    """The id of a known parcel."""
    return session.exec(select(Parcel.id).where(Parcel.tracking_no == tracking_no)).first()


def customers_by_ids(
    *, session: Session, customer_ids: Collection[int]
) -> dict[int, CustomerRecord]:
    """The customers with these ids, by id (one query per call: pass a page of ids)."""
    if not customer_ids:
        return {}
    columns = (Customer.id, Customer.name, Customer.phone, Customer.address)
    found = session.exec(select(*columns).where(col(Customer.id).in_(set(customer_ids))))
    return {row[0]: CustomerRecord(*row) for row in found}
