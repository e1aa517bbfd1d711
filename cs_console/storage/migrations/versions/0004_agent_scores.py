"""agent scores: supervisors' ratings, the agent a complaint counts against, overview indexes

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 13:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("attitude", sa.Integer(), nullable=False),
        sa.Column("compliance", sa.Integer(), nullable=False),
        sa.Column("rated_by", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attitude BETWEEN 0 AND 100", name="ck_agent_ratings_attitude"),
        sa.CheckConstraint("compliance BETWEEN 0 AND 100", name="ck_agent_ratings_compliance"),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"], name="fk_agent_ratings_agent"),
        sa.ForeignKeyConstraint(["rated_by"], ["users.id"], name="fk_agent_ratings_rated_by"),
        sa.PrimaryKeyConstraint("id", name="pk_agent_ratings"),
        sa.UniqueConstraint("agent_id", "month", name="uq_agent_ratings_agent_month"),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_agent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_complaints_responsible_agent", "users", ["responsible_agent_id"], ["id"]
        )
        batch_op.create_index(
            "ix_complaints_responsible_registered",
            ["responsible_agent_id", "registered_at"],
            unique=False,
        )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_started", ["started_at"], unique=False)
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.create_index("ix_callbacks_status_due", ["status", "due_at"], unique=False)
    with op.batch_alter_table("callback_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_callback_attempts_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("callback_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_attempts_at")
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.drop_index("ix_callbacks_status_due")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_started")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_responsible_registered")
        batch_op.drop_constraint("fk_complaints_responsible_agent", type_="foreignkey")
        batch_op.drop_column("responsible_agent_id")
    op.drop_table("agent_ratings")
