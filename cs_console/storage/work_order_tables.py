"""The work orders table (工单 to outlets, domain/work_orders.py).

Kept beside ``tables`` (which holds every other table) and registered on the metadata by
importing this module: Alembic's env.py does. Kinds, statuses and results are short strings
under named CHECK constraints like every enum column (PITFALLS.md). Each order's life is
also in the complaint's history (``events``: ``order_sent``, ``order_answered``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from cs_console.domain.work_orders import OrderKind, OrderResult, OrderStatus

# The partial indexes of orders waiting for their outlet (exact text, as in the migration).
OPEN_ORDER = "status = 'open'"


def _check(column: str, values: list[str], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=name)


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


class WorkOrder(SQLModel, table=True):
    """One order from the call desk to an outlet, and the outlet's answer."""

    __tablename__ = "work_orders"
    __table_args__ = (
        _check("kind", _values(OrderKind), "ck_work_orders_kind"),
        _check("status", _values(OrderStatus), "ck_work_orders_status"),
        _check("result", ["", *_values(OrderResult)], "ck_work_orders_result"),
        # The outlet's inbox: its open orders, most urgent first.
        Index(
            "ix_work_orders_open_outlet_due",
            "outlet",
            "due_at",
            sqlite_where=text(OPEN_ORDER),
            postgresql_where=text(OPEN_ORDER),
        ),
        # Overdue orders of every outlet (the supervisor's overview).
        Index(
            "ix_work_orders_open_due",
            "due_at",
            sqlite_where=text(OPEN_ORDER),
            postgresql_where=text(OPEN_ORDER),
        ),
        Index("ix_work_orders_outlet_due", "outlet", "due_at"),
        Index("ix_work_orders_due", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Purged with its complaint (retention): an order is a service record of it.
    complaint_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("complaints.id", name="fk_work_orders_complaint", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    kind: str = Field(max_length=20)
    outlet: str = Field(max_length=50)
    status: str = Field(max_length=20)
    instructions: str = Field(max_length=4000)  # what to do, what the customer said
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    answered_by: int | None = Field(default=None, foreign_key="users.id")
    result: str = Field(default="", max_length=20)
    answer: str = Field(default="", max_length=4000)
