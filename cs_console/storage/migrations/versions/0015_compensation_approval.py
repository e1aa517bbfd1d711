"""compensation approval: a resolution above the policy's suggestion waits for a supervisor

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-06 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

revision: str = "0015"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPROVAL_VALUES = "'', 'pending', 'approved', 'rejected'"
APPROVAL_CHECK = f"approval_status IN ({APPROVAL_VALUES})"
AUDIT_ACTIONS = (
    "'login', 'login_failed', 'lockout', 'reveal', 'export', 'hand_over', 'purge', "
    "'role_change', 'account_created', 'account_locked', 'account_unlocked', 'password_set'"
)
AUDIT_BEFORE = f"action IN ({AUDIT_ACTIONS})"
AUDIT_AFTER = f"action IN ({AUDIT_ACTIONS}, 'approval')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _audit_check(condition: str) -> None:
    """The audit trail's list of actions, replaced (SQLite: a batch rebuild of audit_log)."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint("ck_audit_log_action", type_="check")
        batch_op.create_check_constraint("ck_audit_log_action", condition)


def upgrade() -> None:
    # SQLite adds columns in place (a batch rebuild of complaints would copy every row and
    # trip over the rows that reference them), with their named check and reference.
    if _sqlite():
        op.execute(
            "ALTER TABLE complaints ADD COLUMN approval_status VARCHAR(20) DEFAULT '' NOT NULL "
            f"CONSTRAINT ck_complaints_approval_status CHECK ({APPROVAL_CHECK})"
        )
        op.execute(
            "ALTER TABLE complaints ADD COLUMN proposed_by INTEGER "
            "CONSTRAINT fk_complaints_proposed_by REFERENCES users (id)"
        )
    else:
        op.add_column(
            "complaints",
            sa.Column(
                "approval_status",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="",
            ),
        )
        op.create_check_constraint("ck_complaints_approval_status", "complaints", APPROVAL_CHECK)
        op.add_column("complaints", sa.Column("proposed_by", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_complaints_proposed_by", "complaints", "users", ["proposed_by"], ["id"]
        )
    op.add_column(
        "complaints",
        sa.Column(
            "approval_reason",
            sqlmodel.sql.sqltypes.AutoString(length=500),
            nullable=False,
            server_default="",
        ),
    )
    op.add_column(
        "complaints",
        sa.Column(
            "proposed_kind",
            sqlmodel.sql.sqltypes.AutoString(length=30),
            nullable=False,
            server_default="",
        ),
    )
    op.add_column("complaints", sa.Column("proposed_fen", sa.Integer(), nullable=True))
    _audit_check(AUDIT_AFTER)


def downgrade() -> None:
    _audit_check(AUDIT_BEFORE)
    columns = ("approval_status", "approval_reason", "proposed_kind", "proposed_fen", "proposed_by")
    if _sqlite():
        # A rebuild: the columns' check and reference go with them.
        with op.batch_alter_table("complaints", recreate="always") as batch_op:
            batch_op.drop_constraint("ck_complaints_approval_status", type_="check")
            for column in columns:
                batch_op.drop_column(column)
    else:
        op.drop_constraint("fk_complaints_proposed_by", "complaints", type_="foreignkey")
        op.drop_constraint("ck_complaints_approval_status", "complaints", type_="check")
        for column in columns:
            op.drop_column("complaints", column)
