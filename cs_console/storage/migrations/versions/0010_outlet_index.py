"""index of complaints by outlet, for the outlet counter's list

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_complaints_outlet_id", "complaints", ["outlet", "id"])


def downgrade() -> None:
    op.drop_index("ix_complaints_outlet_id", table_name="complaints")
