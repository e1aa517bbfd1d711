"""Customers and parcels: the one place personal data is written and looked up.

``phone_key`` is how a customer is found by phone; today it is the E.164 number, and
encrypting the personal columns changes only this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def upsert_customer(
    *, session: Session, phone: str, name: str, now: datetime, address: str = ""
) -> int:
    """Find the customer by phone or create one; a newly given name or address is kept."""
    customer = session.exec(select(Customer).where(Customer.phone_key == phone_key(phone))).first()
    if customer is None:
        customer = Customer(
            phone_key=phone_key(phone), phone=phone, name=name, address=address, created_at=now
        )
    else:
        customer.name = name or customer.name
        customer.address = address or customer.address
    session.add(customer)
    session.flush()
    assert customer.id is not None
    return customer.id


def upsert_parcel(*, session: Session, tracking_no: str, customer_id: int, now: datetime) -> int:
    """Find the parcel by tracking number or create it for this customer."""
    parcel = session.exec(select(Parcel).where(Parcel.tracking_no == tracking_no)).first()
    if parcel is None:
        parcel = Parcel(tracking_no=tracking_no, customer_id=customer_id, created_at=now)
        session.add(parcel)
        session.flush()
    assert parcel.id is not None
    return parcel.id


def parcel_id(*, session: Session, tracking_no: str) -> int | None:
    """The id of a known parcel."""
    return session.exec(select(Parcel.id).where(Parcel.tracking_no == tracking_no)).first()
