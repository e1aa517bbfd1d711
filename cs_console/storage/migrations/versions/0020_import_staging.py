"""import staging: a large register is staged, then published in short transactions

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("state", AutoString(length=10), nullable=False),
        sa.Column("touched_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("state IN ('staging', 'publishing')", name="ck_import_batches_state"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "import_staged_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("import_key", AutoString(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_staged_rows_batch", "import_staged_rows", ["batch_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_import_staged_rows_batch", table_name="import_staged_rows")
    op.drop_table("import_staged_rows")
    op.drop_table("import_batches")
