"""Customers and parcels: the one place personal data is written, read and looked up.

Names, phones, addresses and ID numbers are stored sealed with the data key (AES-256-GCM,
storage.sealing); every function that reads or writes them takes that ``key``. A customer
is found by phone through ``phone_key``, a keyed hash (HMAC-SHA256) of the E.164 number:
an indexed equality lookup, as fast as before and useless without the key. Tracking numbers
are not personal data and stay in clear (a parcel is found by its indexed ``tracking_no``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Case, bindparam, case, func, update
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, select

from cs_console.storage.engine import conflict_insert
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Customer, Parcel, table_of

MAX_CHARS = 200
"""The longest clear name or address the sealed columns have room for."""

NAME, PHONE, ADDRESS, ID_NUMBER = (
    "customers.name",
    "customers.phone",
    "customers.address",
    "customers.id_number",
)  # each field's associated data: a value copied into another column does not open
CONTACT_NAME = "complaints.contact_name"  # another person on the customer's number
PREVIOUS_NAME = "events.previous_name"  # a corrected name, kept in the history
ERASED_PREFIX = "erased:"  # the phone_key of an erased customer (no lookup finds it)


@dataclass(frozen=True)
class CustomerRecord:
    id: int
    name: str
    phone: str  # E.164
    address: str
    id_number: str = ""  # 身份证号 (sender real-name registration)


def phone_key(phone: str, key: DataKey) -> str:
    """The lookup key for an E.164 phone number: its keyed hash under the data key."""
    return key.lookup_hash(phone)


def open_name(sealed: str, key: DataKey) -> str:
    """A customer's name in clear, from its sealed column value."""
    return key.open(sealed, NAME)


def open_phone(sealed: str, key: DataKey) -> str:
    """A customer's phone (E.164) in clear, from its sealed column value."""
    return key.open(sealed, PHONE)


def open_address(sealed: str, key: DataKey) -> str:
    """A customer's address in clear, from its sealed column value."""
    return key.open(sealed, ADDRESS)


def open_id_number(sealed: str, key: DataKey) -> str:
    """A customer's ID number in clear, from its sealed column value."""
    return key.open(sealed, ID_NUMBER)


def seal_contact_name(name: str, key: DataKey) -> str:
    """A complaint's own contact name (another person on the customer's number), sealed;
    an empty name stays empty."""
    return key.seal(name, CONTACT_NAME) if name else ""


def open_contact_name(sealed: str, key: DataKey) -> str:
    """A complaint's contact name in clear ("" when the complaint is the customer's own)."""
    return key.open(sealed, CONTACT_NAME) if sealed else ""


def open_previous_name(sealed: str, key: DataKey) -> str:
    """The name a correction replaced, in clear, from the event that recorded it."""
    return key.open(sealed, PREVIOUS_NAME) if sealed else ""


def stored_name(*, session: Session, key: DataKey, phone: str) -> str | None:
    """The name on file for this phone (E.164), in clear; None when the phone is unknown."""
    sealed = session.exec(
        select(col(Customer.name)).where(col(Customer.phone_key) == phone_key(phone, key))
    ).first()
    return None if sealed is None else open_name(sealed, key)


def correct_name(*, session: Session, key: DataKey, customer_id: int, name: str) -> str:
    """Replace a customer's stored name (a correction the person confirmed); returns the
    name it replaced, sealed for the history (``open_previous_name`` reads it)."""
    customer = session.get(Customer, customer_id)
    assert customer is not None
    previous = open_name(customer.name, key)
    table = table_of(Customer)
    session.connection().execute(
        update(table).where(table.c.id == customer_id).values(name=key.seal(name, NAME))
    )
    return key.seal(previous, PREVIOUS_NAME) if previous else ""


def sealed_columns(
    key: DataKey, *, phone: str, name: str = "", address: str = "", id_number: str = ""
) -> dict[str, str]:
    """The stored values of one customer's personal columns (phone_key included), for bulk
    loading: one AES-GCM encryption per field and one HMAC."""
    return {
        "phone_key": key.lookup_hash(phone),
        "name": key.seal(name, NAME),
        "phone": key.seal(phone, PHONE),
        "address": key.seal(address, ADDRESS),
        "id_number": key.seal(id_number, ID_NUMBER),
    }


def _record(customer: Customer, key: DataKey) -> CustomerRecord:
    assert customer.id is not None
    return CustomerRecord(
        customer.id,
        open_name(customer.name, key),
        open_phone(customer.phone, key),
        open_address(customer.address, key),
        open_id_number(customer.id_number, key),
    )


def find_customer(*, session: Session, key: DataKey, phone: str) -> CustomerRecord | None:
    """The customer with this phone (E.164), or None.

    Only by phone: a caller is the person on the number, never the owner of a parcel they
    ask about (that one is the parcel's ``customer_id``, a different role).
    """
    found = session.exec(
        select(Customer).where(col(Customer.phone_key) == phone_key(phone, key))
    ).first()
    return _record(found, key) if found is not None else None


def customer_by_id(*, session: Session, key: DataKey, customer_id: int) -> CustomerRecord | None:
    """One customer by id, in clear."""
    found = session.get(Customer, customer_id)
    return _record(found, key) if found is not None else None


@cache
def _customer_upsert(dialect: str, with_name: bool = False) -> Executable:
    """INSERT … ON CONFLICT (phone_key) DO UPDATE … RETURNING id, built once per dialect.

    One statement instead of select-insert-select: it is on the path of every complaint
    saved, and a statement object built once compiles once. On PostgreSQL ON CONFLICT waits
    for a console inserting the same caller at this moment instead of failing on the key.
    An address or ID number given is kept, an empty one leaves what is stored. A stored
    name is never replaced here (another person may share the number): a name only fills
    an empty one; ``correct_name`` replaces it when the person says it was wrong.
    """
    table = table_of(Customer)
    statement = conflict_insert(dialect, table)
    excluded = statement.excluded

    def keep(column: str) -> Case[str]:
        return case((excluded[column] != "", excluded[column]), else_=table.c[column])

    fill_name = case((table.c.name == "", excluded.name), else_=table.c.name)
    kept = {column: keep(column) for column in ("address", "id_number")}
    # A complaint imported from an old register, or replayed, does not move it back.
    stored = table.c.last_contact_at
    latest = case(
        (stored.is_(None), excluded.last_contact_at),
        (excluded.last_contact_at > stored, excluded.last_contact_at),
        else_=stored,
    )
    returned = (table.c.id, table.c.name) if with_name else (table.c.id,)
    return statement.on_conflict_do_update(
        index_elements=["phone_key"],
        set_={"name": fill_name, "last_contact_at": latest, **kept},
    ).returning(*returned)


@cache
def _parcel_upsert(dialect: str) -> Executable:
    """INSERT … ON CONFLICT (tracking_no) … RETURNING id: a known parcel keeps its customer
    (one first known from a call, with nobody, takes the first complainant's).

    The update is what makes RETURNING give the existing row's id.
    """
    table = table_of(Parcel)
    statement = conflict_insert(dialect, table)
    owner = func.coalesce(table.c.customer_id, statement.excluded.customer_id)
    return statement.on_conflict_do_update(
        index_elements=["tracking_no"], set_={"customer_id": owner}
    ).returning(table.c.id)


def upsert_customer(
    *,
    session: Session,
    key: DataKey,
    phone: str,
    name: str,
    now: datetime,
    address: str = "",
    id_number: str = "",
) -> int:
    """Find the customer by phone or create one (sealed); a newly given address or ID
    number is kept (sealed anew), an empty one leaves what is stored; a name only fills an
    empty one (a stored name changes only through ``correct_name``). ``now`` becomes their
    last contact (retention counts from it) unless a later one is stored."""
    connection = session.connection()
    values: dict[str, object] = {
        **sealed_columns(key, phone=phone, name=name, address=address, id_number=id_number),
        "created_at": now,
        "last_contact_at": now,
    }
    return connection.execute(_customer_upsert(connection.dialect.name), values).scalar_one()


def customer_values(*, key: DataKey, phone: str, name: str, now: datetime) -> dict[str, object]:
    """A caller's row for ``upsert_sealed_customer``, sealed (done before the write lock)."""
    sealed = sealed_columns(key, phone=phone, name=name)
    return {**sealed, "created_at": now, "last_contact_at": now}


def upsert_sealed_customer(*, session: Session, values: dict[str, object]) -> tuple[int, str]:
    """``upsert_customer`` with the row sealed beforehand (``customer_values``): the
    customer's id and the sealed name stored after it (``values["name"]`` itself when the
    caller was new or had no name on file)."""
    connection = session.connection()
    statement = _customer_upsert(connection.dialect.name, with_name=True)
    customer_id, name = connection.execute(statement, values).one()
    return customer_id, name


def customer_on_file(*, session: Session, key: DataKey, phone: str) -> tuple[int, str] | None:
    """The id and sealed name of the customer with this phone (E.164); None when unknown."""
    row = session.connection().execute(_ON_FILE, {"phone_key": phone_key(phone, key)}).first()
    if row is None:
        return None
    customer_id, name = row
    assert customer_id is not None  # a stored row's primary key
    return customer_id, name


_ON_FILE = wide_select(col(Customer.id), col(Customer.name)).where(
    col(Customer.phone_key) == bindparam("phone_key")
)


def seal_clear_customers(*, session: Session, key: DataKey, chunk: int = 5000) -> int:
    """Encrypt every customer stored in clear (a database from before migration 0003).

    Only for a database that had no data key yet: all its rows are then in clear. Runs in
    the caller's transaction, so either every row is sealed or none is. Returns the count.
    """
    table = table_of(Customer)
    columns = ("phone_key", "name", "phone", "address", "id_number")
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({column: bindparam(f"new_{column}") for column in columns})
    )
    connection = session.connection()
    done, last_id = 0, 0
    while True:
        rows = session.exec(
            select(col(Customer.id), col(Customer.phone), col(Customer.name), col(Customer.address))
            .where(col(Customer.id) > last_id)
            .order_by(col(Customer.id))
            .limit(chunk)
        ).all()
        if not rows:
            return done
        connection.execute(statement, [_clear_row(key, row) for row in rows])
        done += len(rows)
        newest = rows[-1][0]
        assert newest is not None  # a stored row's primary key
        last_id = newest


def _clear_row(key: DataKey, row: Sequence[object]) -> dict[str, object]:
    row_id, phone, name, address = row
    columns = sealed_columns(key, phone=str(phone), name=str(name), address=str(address))
    return {"row_id": row_id, **{f"new_{column}": value for column, value in columns.items()}}


def upsert_parcel(
    *, session: Session, tracking_no: str, customer_id: int | None, now: datetime
) -> int:
    """Find the parcel by tracking number or create it for this customer (for nobody yet
    when a call asked about it: the caller is not necessarily its sender or recipient)."""
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
    return session.exec(
        select(col(Parcel.id)).where(col(Parcel.tracking_no) == tracking_no)
    ).first()


def customers_by_ids(
    *, session: Session, key: DataKey, customer_ids: Collection[int]
) -> dict[int, CustomerRecord]:
    """The customers with these ids, in clear, by id (one query per call: pass a page)."""
    if not customer_ids:
        return {}
    columns = (
        col(Customer.id),
        col(Customer.name),
        col(Customer.phone),
        col(Customer.address),
        col(Customer.id_number),
    )
    found = session.execute(wide_select(*columns).where(col(Customer.id).in_(set(customer_ids))))
    return {
        row[0]: CustomerRecord(
            row[0],
            open_name(row[1], key),
            open_phone(row[2], key),
            open_address(row[3], key),
            open_id_number(row[4], key),
        )
        for row in found
    }


def erase_customer(*, session: Session, key: DataKey, customer_id: int, marker: str) -> bool:
    """Replace a customer's personal data with ``marker`` (sealed like what it replaces) and
    drop their phone lookup key, so nobody finds them by phone again (PIPL deletion).

    The row stays: their complaints keep pointing at it. Returns False when the customer
    was erased already (or does not exist), so a second erase changes nothing.
    """
    customer = session.get(Customer, customer_id)
    if customer is None or customer.phone_key.startswith(ERASED_PREFIX):
        return False
    session.connection().execute(
        update(table_of(Customer))
        .where(table_of(Customer).c.id == customer_id)
        .values(
            # Not a keyed hash (those are hex): no phone ever looks it up; unique per row.
            phone_key=f"{ERASED_PREFIX}{customer_id}",
            name=key.seal(marker, NAME),
            phone=key.seal(marker, PHONE),
            address=key.seal(marker, ADDRESS) if customer.address else "",
            id_number=key.seal(marker, ID_NUMBER) if customer.id_number else "",
        )
    )
    return True
