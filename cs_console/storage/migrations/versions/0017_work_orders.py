"""work orders: the call desk's orders to outlets (verify, urge, intercept, readdress,
redeliver) and the outlets' answers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_UTC = sa.DateTime(timezone=True)
OPEN_ORDER = "status = 'open'"  # storage.tables.work_orders.OPEN_ORDER, as it was here


def upgrade() -> None:
    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", _STR(length=20), nullable=False),
        sa.Column("outlet", _STR(length=50), nullable=False),
        sa.Column("status", _STR(length=20), nullable=False),
        sa.Column("instructions", _STR(length=4000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("due_at", _UTC, nullable=False),
        sa.Column("answered_at", _UTC, nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("result", _STR(length=20), nullable=False),
        sa.Column("answer", _STR(length=4000), nullable=False),
        sa.CheckConstraint(
            "kind IN ('verify', 'urge', 'intercept', 'readdress', 'redeliver')",
            name="ck_work_orders_kind",
        ),
        sa.CheckConstraint("status IN ('open', 'answered')", name="ck_work_orders_status"),
        sa.CheckConstraint(
            "result IN ('', 'done', 'cannot', 'facts')", name="ck_work_orders_result"
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name="fk_work_orders_complaint",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_work_orders_created_by"),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"], name="fk_work_orders_answered_by"),
        sa.PrimaryKeyConstraint("id", name="pk_work_orders"),
    )
    op.create_index("ix_work_orders_complaint_id", "work_orders", ["complaint_id"])
    op.create_index("ix_work_orders_outlet_due", "work_orders", ["outlet", "due_at"])
    op.create_index("ix_work_orders_due", "work_orders", ["due_at"])
    op.create_index(
        "ix_work_orders_open_outlet_due",
        "work_orders",
        ["outlet", "due_at"],
        sqlite_where=sa.text(OPEN_ORDER),
        postgresql_where=sa.text(OPEN_ORDER),
    )
    op.create_index(
        "ix_work_orders_open_due",
        "work_orders",
        ["due_at"],
        sqlite_where=sa.text(OPEN_ORDER),
        postgresql_where=sa.text(OPEN_ORDER),
    )


def downgrade() -> None:
    op.drop_table("work_orders")
