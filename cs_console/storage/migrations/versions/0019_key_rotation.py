"""key rotation: a rotation under way, the accounts still holding the old key

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT_ACTIONS = (
    "'login', 'login_failed', 'lockout', 'reveal', 'export', 'hand_over', 'purge', "
    "'role_change', 'account_created', 'account_locked', 'account_unlocked', 'password_set', "
    "'approval'"
)


def _audit_check(condition: str) -> None:
    """The audit trail's list of actions, replaced (SQLite: a batch rebuild of audit_log)."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint("ck_audit_log_action", type_="check")
        batch_op.create_check_constraint("ck_audit_log_action", condition)


def upgrade() -> None:
    op.create_table(
        "key_rotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_fingerprint", AutoString(length=64), nullable=False),
        sa.Column("new_fingerprint", AutoString(length=64), nullable=False),
        sa.Column("new_under_old", AutoString(length=200), nullable=False),
        sa.Column("old_under_new", AutoString(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=False),
        sa.Column("stage", AutoString(length=40), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("resealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["started_by"], ["users.id"], name="fk_key_rotations_started_by"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "key_pending",
        sa.Column("rotation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rotation_id"], ["key_rotations.id"], name="fk_key_pending_rotation"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_key_pending_user"),
        sa.PrimaryKeyConstraint("rotation_id", "user_id"),
    )
    _audit_check(f"action IN ({AUDIT_ACTIONS}, 'key_rotation')")


def downgrade() -> None:
    _audit_check(f"action IN ({AUDIT_ACTIONS})")
    op.drop_table("key_pending")
    op.drop_table("key_rotations")
