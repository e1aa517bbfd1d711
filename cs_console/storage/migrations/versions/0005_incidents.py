"""incidents: mass-complaint alerts, incidents, linked complaints, callbacks' incident

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _STR(length=20), nullable=False),
        sa.Column("status", _STR(length=20), nullable=False),
        sa.Column("category", _STR(length=20), nullable=False),
        sa.Column("dimension", _STR(length=20), nullable=False),
        sa.Column("value", _STR(length=100), nullable=False),
        sa.Column("regions", _STR(length=2000), nullable=False),
        sa.Column("delay_days", sa.Integer(), nullable=False),
        sa.Column("started_at", _UTC, nullable=False),
        sa.Column("ended_at", _UTC, nullable=True),
        sa.Column("close_due", _UTC, nullable=True),
        sa.Column("declared_by", sa.Integer(), nullable=False),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('mass_complaint', 'disaster', 'outage')", name="ck_incidents_kind"
        ),
        sa.CheckConstraint("status IN ('open', 'ended')", name="ck_incidents_status"),
        sa.ForeignKeyConstraint(["declared_by"], ["users.id"], name="fk_incidents_declared_by"),
        sa.ForeignKeyConstraint(["ended_by"], ["users.id"], name="fk_incidents_ended_by"),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_status_kind", "incidents", ["status", "kind"], unique=False)
    op.create_table(
        "mass_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("open_key", _STR(length=200), nullable=True),
        sa.Column("category", _STR(length=20), nullable=False),
        sa.Column("dimension", _STR(length=20), nullable=False),
        sa.Column("value", _STR(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("fired_at", _UTC, nullable=False),
        sa.Column("last_at", _UTC, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", _UTC, nullable=True),
        sa.CheckConstraint(
            "dimension IN ('route', 'hub', 'outlet', 'batch')", name="ck_mass_alerts_dimension"
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_mass_alerts_incident_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mass_alerts"),
        sa.UniqueConstraint("open_key", name="uq_mass_alerts_open_key"),
    )
    op.create_table(
        "incident_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", _UTC, nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name="fk_incident_complaints_complaint_id"
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_incident_complaints_incident_id"
        ),
        sa.ForeignKeyConstraint(
            ["linked_by"], ["users.id"], name="fk_incident_complaints_linked_by"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_incident_complaints"),
        sa.UniqueConstraint("incident_id", "complaint_id", name="uq_incident_complaints_pair"),
    )
    op.create_index(
        "ix_incident_complaints_complaint_id",
        "incident_complaints",
        ["complaint_id"],
        unique=False,
    )
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_callbacks_incident_id", ["incident_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_callbacks_incident_id", "incidents", ["incident_id"], ["id"]
        )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaints_category_registered", ["category", "registered_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_category_registered")
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.drop_constraint("fk_callbacks_incident_id", type_="foreignkey")
        batch_op.drop_index("ix_callbacks_incident_id")
        batch_op.drop_column("incident_id")
    op.drop_index("ix_incident_complaints_complaint_id", table_name="incident_complaints")
    op.drop_table("incident_complaints")
    op.drop_table("mass_alerts")
    op.drop_index("ix_incidents_status_kind", table_name="incidents")
    op.drop_table("incidents")
