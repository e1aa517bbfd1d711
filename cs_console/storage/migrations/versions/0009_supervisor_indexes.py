"""supervisor indexes: contacts by start time, and the hand-overs of complaints

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The overview counts today's contacts of everyone: PostgreSQL (before 18) cannot
    # skip-scan ix_contacts_agent_started agent by agent and read every contact.
    op.create_index(
        "ix_contacts_started",
        "contacts",
        ["started_at", "agent_id", "channel", "answered_at", "ended_at"],
    )
    # The monthly report asks, for each complaint whose verify clock ran out, whether it was
    # handed over: a few in a hundred were.
    handed_over = sa.text("kind = 'handed_over'")
    op.create_index(
        "ix_events_handed_over",
        "events",
        ["complaint_id"],
        sqlite_where=handed_over,
        postgresql_where=handed_over,
    )
    if op.get_bind().dialect.name == "sqlite":
        # Without statistics of its own SQLite's planner prefers the full index by complaint
        # and reads every event of each one; gathering them reads only the small index.
        op.execute("ANALYZE ix_events_handed_over")


def downgrade() -> None:
    op.drop_index("ix_events_handed_over", table_name="events")
    op.drop_index("ix_contacts_started", table_name="contacts")
