"""idempotency keys of writes replayed from the outage journal

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applied_writes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_applied_writes"),
        sa.UniqueConstraint("key", name="uq_applied_writes_key"),
    )


def downgrade() -> None:
    op.drop_table("applied_writes")
