"""The work orders table (工单 to outlets, domain/work_orders.py).

Kinds, statuses and results are short strings
under named CHECK constraints like every enum column (docs/pitfalls.md). Each order's life is
also in the complaint's history (``events``: ``order_sent``, ``order_answered``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from cs_console.domain.work_orders import OrderKind, OrderResult, OrderStatus
from cs_console.storage.tables.columns import one_of

# The partial indexes of orders waiting for their outlet (exact text, as in the migration).
OPEN_ORDER = "status = 'open'"


class WorkOrder(SQLModel, table=True):
    """One order from the call desk to an outlet, and the outlet's answer."""

    __tablename__ = "work_orders"
    __table_args__ = (
        one_of("kind", OrderKind, "ck_work_orders_kind"),
        one_of("status", OrderStatus, "ck_work_orders_status"),
        one_of("result", OrderResult, "ck_work_orders_result", or_empty=True),
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
