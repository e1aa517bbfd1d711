"""contact tracking state: the parcel's state read out to the caller in a tracking query

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# domain.tracking.TrackingState's values as of this revision (a later state needs its own).
STATES = (
    "'in_transit', 'picked_up', 'trouble', 'signed', 'returned', 'out_for_delivery', "
    "'returning', 'forwarded', 'refused', 'unknown'"
)


def upgrade() -> None:
    # NULL for every contact before this one, and for calls where no status was read out.
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tracking_state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.create_check_constraint(
            "ck_contacts_tracking_state", f"tracking_state IS NULL OR tracking_state IN ({STATES})"
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_constraint("ck_contacts_tracking_state", type_="check")
        batch_op.drop_column("tracking_state")
