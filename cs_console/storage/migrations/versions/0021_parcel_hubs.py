"""parcel hubs: every hub a parcel passed, so that "same hub" means any hub of the route

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parcel_hubs",
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("hub", AutoString(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parcel_id"], ["parcels.id"]),
        sa.PrimaryKeyConstraint("parcel_id", "hub"),
    )
    # The one hub every parcel had so far becomes its first (and only) hub.
    op.execute(
        "INSERT INTO parcel_hubs (parcel_id, hub, position) "
        "SELECT id, hub, 0 FROM parcels WHERE hub <> ''"
    )


def downgrade() -> None:
    op.drop_table("parcel_hubs")
