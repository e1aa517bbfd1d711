"""callback outcomes: a corrected number to dial, and attempts that can be undone

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phone",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("callback_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("prior", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("callback_attempts", schema=None) as batch_op:
        batch_op.drop_column("prior")
        batch_op.drop_column("undone_at")
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.drop_column("phone")
