"""agent scores: supervisors' ratings, the agent a complaint counts against, overview indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 13:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
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
    # A batch rebuild of complaints would copy every row (minutes on a million) and trips
    # over the rows that reference them; SQLite adds a column with its named reference.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE complaints ADD COLUMN responsible_agent_id INTEGER "
            "CONSTRAINT fk_complaints_responsible_agent REFERENCES users (id)"
        )
    else:
        op.add_column("complaints", sa.Column("responsible_agent_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_complaints_responsible_agent",
            "complaints",
            "users",
            ["responsible_agent_id"],
            ["id"],
        )
    op.create_index(
        "ix_complaints_responsible_registered",
        "complaints",
        ["responsible_agent_id", "registered_at"],
        unique=False,
    )
    open_only = sa.text("status <> 'closed'")
    op.create_index(
        "ix_complaints_open",
        "complaints",
        ["owner_id", "severity", "status"],
        sqlite_where=open_only,
        postgresql_where=open_only,
    )
    op.create_index(
        "ix_complaints_registered_outcome",
        "complaints",
        ["registered_at", "verified_at", "closed_at", "verify_due", "owner_id"],
    )
    op.create_index("ix_complaints_contact_resolved", "complaints", ["contact_id", "resolved_at"])
    op.drop_index("ix_contacts_agent_started", table_name="contacts")
    op.create_index(
        "ix_contacts_agent_started",
        "contacts",
        ["agent_id", "started_at", "channel", "answered_at", "ended_at"],
    )
    op.create_index("ix_callbacks_status_due", "callbacks", ["status", "due_at"])
    op.create_index(
        "ix_callback_attempts_at", "callback_attempts", ["at", "actor_id", "satisfaction"]
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's planner keeps the statistics of the replaced indexes and would scan: give
        # it fresh ones (about 10 s on a million complaints). PostgreSQL's autovacuum does.
        for table in ("complaints", "contacts", "callbacks", "callback_attempts"):
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    op.drop_index("ix_callback_attempts_at", table_name="callback_attempts")
    op.drop_index("ix_callbacks_status_due", table_name="callbacks")
    op.drop_index("ix_contacts_agent_started", table_name="contacts")
    op.create_index("ix_contacts_agent_started", "contacts", ["agent_id", "started_at"])
    op.drop_index("ix_complaints_contact_resolved", table_name="complaints")
    op.drop_index("ix_complaints_registered_outcome", table_name="complaints")
    op.drop_index("ix_complaints_open", table_name="complaints")
    op.drop_index("ix_complaints_responsible_registered", table_name="complaints")
    if op.get_bind().dialect.name == "sqlite":
        # A rebuild: once another migration has rebuilt the table, the column's reference is
        # a table constraint that ALTER TABLE DROP COLUMN refuses; the rebuild leaves it out.
        with op.batch_alter_table("complaints", recreate="always") as batch_op:
            batch_op.drop_column("responsible_agent_id")
    else:
        op.drop_constraint("fk_complaints_responsible_agent", "complaints", type_="foreignkey")
        op.drop_column("complaints", "responsible_agent_id")
    op.drop_table("agent_ratings")
