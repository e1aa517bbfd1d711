"""Incidents (应急): declared incidents, mass-complaint alerts, and the complaints linked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from cs_console.domain.incidents import IncidentKind, IncidentStatus, IssueDimension
from cs_console.storage.tables.columns import one_of, utc_column


class Incident(SQLModel, table=True):
    """A declared incident (应急): a mass complaint, a natural disaster or a system outage.

    Mass complaints carry their issue (category, dimension, value) and the 48 h clock
    (``close_due``); disasters their regions (one per line) and expected delay in days;
    outages their start and end.
    """

    __tablename__ = "incidents"
    __table_args__ = (
        one_of("kind", IncidentKind, "ck_incidents_kind"),
        one_of("status", IncidentStatus, "ck_incidents_status"),
        Index("ix_incidents_status_kind", "status", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    category: str = Field(default="", max_length=20)
    dimension: str = Field(default="", max_length=20)
    value: str = Field(default="", max_length=100)
    regions: str = Field(default="", max_length=2000)
    delay_days: int = 0
    started_at: datetime = Field(sa_column=utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    close_due: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    declared_by: int = Field(foreign_key="users.id")
    ended_by: int | None = Field(default=None, foreign_key="users.id")


class MassAlert(SQLModel, table=True):
    """A mass-complaint alert: more complaints about one issue in an hour than the policy allows.

    ``open_key`` holds the issue's key while the alert is open (NULL once dismissed or its
    incident ended); being unique, it makes one open alert per issue however many consoles
    register at once.
    """

    __tablename__ = "mass_alerts"
    __table_args__ = (
        one_of("dimension", IssueDimension, "ck_mass_alerts_dimension"),
        UniqueConstraint("open_key", name="uq_mass_alerts_open_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    open_key: str | None = Field(default=None, max_length=200)
    category: str = Field(max_length=20)
    dimension: str = Field(max_length=20)
    value: str = Field(max_length=100)
    count: int = 0  # complaints in the window at the latest matching registration
    fired_at: datetime = Field(sa_column=utc_column())
    last_at: datetime = Field(sa_column=utc_column())
    incident_id: int | None = Field(default=None, foreign_key="incidents.id")
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class IncidentComplaint(SQLModel, table=True):
    """A complaint linked to a mass-complaint incident."""

    __tablename__ = "incident_complaints"
    __table_args__ = (
        UniqueConstraint("incident_id", "complaint_id", name="uq_incident_complaints_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incidents.id")
    complaint_id: int = Field(foreign_key="complaints.id", index=True)
    linked_at: datetime = Field(sa_column=utc_column())
    linked_by: int | None = Field(default=None, foreign_key="users.id")
