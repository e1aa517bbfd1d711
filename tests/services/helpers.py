"""Plain helpers for service tests: registration forms and reading rows back."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import func
from sqlmodel import SQLModel, select

from cs_console.domain.complaint_entry import ComplaintForm
from cs_console.services.context import ServiceContext
from cs_console.services.drafts import SEALED, SEALED_FOR
from cs_console.storage import customers as customer_queries
from cs_console.storage.customers import CustomerRecord
from cs_console.storage.engine import read_session
from cs_console.storage.tables import Draft

PHONE = "13812345678"
TRACKING = "SF1311234567890"


def phone(i: int) -> str:
    """A distinct valid mainland mobile number per ``i``."""
    return f"139{i:08d}"


def tracking(i: int) -> str:
    """A distinct valid tracking number per ``i``."""
    return f"YT{4400000000 + i}"


def complaint_form(**changes: Any) -> ComplaintForm:
    """A complete general delay complaint (2 days late); ``changes`` replace fields."""
    base = ComplaintForm(
        customer_name="张伟",
        phone=PHONE,
        tracking_no=TRACKING,
        category="delay",
        days_late="2",
        description="包裹比承诺晚到两天",
        request="尽快派送并道歉",
    )
    return replace(base, **changes)


def delay_form(days: int, **changes: Any) -> ComplaintForm:
    return complaint_form(category="delay", days_late=str(days), **changes)


def loss_form(value: str = "300", **changes: Any) -> ComplaintForm:
    return complaint_form(category="loss", days_late="", declared_value=value, **changes)


def damage_form(value: str, *, item_damaged: bool = True, **changes: Any) -> ComplaintForm:
    return complaint_form(
        category="damage",
        days_late="",
        declared_value=value,
        shipping_fee="20",
        item_damaged=item_damaged,
        **changes,
    )


def distinct_form(i: int, **changes: Any) -> ComplaintForm:
    """A general delay complaint from a caller and parcel of its own (never a repeat)."""
    return complaint_form(phone=phone(i), tracking_no=tracking(i), **changes)


def rows(console: ServiceContext, model: type[SQLModel], *where: Any) -> list[Any]:
    """Every row of ``model`` matching ``where``, by id (detached, plain to read)."""
    with read_session(console.engine) as session:
        query = select(model).where(*where)
        if "id" in model.__table__.c:  # type: ignore[attr-defined]
            query = query.order_by(model.id)  # type: ignore[attr-defined]
        return list(session.exec(query).all())


def one(console: ServiceContext, model: type[SQLModel], *where: Any) -> Any:
    """The single row of ``model`` matching ``where``."""
    found = rows(console, model, *where)
    assert len(found) == 1, f"expected one {model.__name__}, found {len(found)}"
    return found[0]


def count(console: ServiceContext, model: type[SQLModel], *where: Any) -> int:
    with read_session(console.engine) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def in_clear(customer: Any) -> CustomerRecord:
    """A stored customer row read back in clear with the test data key."""
    from tests.conftest import TEST_DATA_KEY

    return customer_queries._record(customer, TEST_DATA_KEY)


def stored_drafts(console: ServiceContext) -> list[tuple[str, dict]]:
    """(kind, payload) of every stored draft, opened with the test data key."""
    from tests.conftest import TEST_DATA_KEY

    return [
        (d.kind, json.loads(TEST_DATA_KEY.open(json.loads(d.payload)[SEALED], SEALED_FOR)))
        for d in rows(console, Draft)
    ]
