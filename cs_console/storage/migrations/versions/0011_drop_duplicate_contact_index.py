"""drop ix_complaints_contact_id: ix_complaints_contact_resolved leads with the same column

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 17:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_complaints_contact_id", table_name="complaints")


def downgrade() -> None:
    op.create_index("ix_complaints_contact_id", "complaints", ["contact_id"])
