"""unpublished imports: a complaint names the import batch that published it, hidden until
the batch is done; batch ids are never reused

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for every complaint before this one: all of them are published.
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's sequences never go back
        with op.batch_alter_table(
            "import_batches", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("import_batch_id")
