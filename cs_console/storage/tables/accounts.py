"""The people who use the console: accounts, their remembered logins and drafts, the
database's data key, and the supervisors' ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from cs_console.domain.enums import Role
from cs_console.storage.tables.columns import one_of, utc_column


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (one_of("role", Role, "ck_users_role"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    agent_no: str = Field(max_length=20, unique=True)  # 工号
    role: str = Field(max_length=20)
    team: str = Field(default="", max_length=50)
    outlet: str = Field(default="", max_length=50)
    password_hash: str = Field(max_length=300)
    password_changed_at: datetime = Field(sa_column=utc_column())
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    active: bool = True
    created_at: datetime = Field(sa_column=utc_column())
    # The data key wrapped with this person's password-derived key; "" = no access yet.
    wrapped_data_key: str = Field(default="", max_length=200)


class LoginSession(SQLModel, table=True):
    """A remembered login: the token lives in the person's OS keyring, only its hash here,
    with the data key wrapped by a key derived from the token; valid for one shift."""

    __tablename__ = "login_sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_login_sessions_token_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64)
    wrapped_data_key: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())


class Draft(SQLModel, table=True):
    """What a person is typing, saved as they type, one per person and form."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_drafts_user_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(max_length=30)
    payload: str = Field(max_length=100000)  # JSON
    updated_at: datetime = Field(sa_column=utc_column())


class DataKeyRecord(SQLModel, table=True):
    """The database's data key, never in clear: its fingerprint tells that one exists (and
    which), and the recovery key printed once at ``init`` wraps it."""

    __tablename__ = "data_keys"
    __table_args__ = (UniqueConstraint("fingerprint", name="uq_data_keys_fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64)
    recovery_wrapped: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_column())


class AgentRating(SQLModel, table=True):
    """The supervisor's 40 % of an agent's monthly score: attitude and rule compliance."""

    __tablename__ = "agent_ratings"
    __table_args__ = (
        UniqueConstraint("agent_id", "month", name="uq_agent_ratings_agent_month"),
        CheckConstraint("attitude BETWEEN 0 AND 100", name="ck_agent_ratings_attitude"),
        CheckConstraint("compliance BETWEEN 0 AND 100", name="ck_agent_ratings_compliance"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="users.id")
    month: str = Field(max_length=7)  # "2026-11"
    attitude: int
    compliance: int
    rated_by: int = Field(foreign_key="users.id")
    rated_at: datetime = Field(sa_column=utc_column())
