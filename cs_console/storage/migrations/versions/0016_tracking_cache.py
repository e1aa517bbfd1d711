"""tracking cache: providers' answers per number, shared by every console

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tracking_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", AutoString(length=20), nullable=False),
        sa.Column("tracking_no", AutoString(length=30), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "tracking_no", name="uq_tracking_cache_provider_number"),
    )


def downgrade() -> None:
    op.drop_table("tracking_cache")
