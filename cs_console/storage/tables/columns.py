"""What the table modules share: CHECK constraints for enums, UTC time columns, and typed
access to a model's Core table (SQLModel's stubs do not declare ``__table__``)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import CheckConstraint, Column, String, Table, TypeDecorator, inspect
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime


def one_of(column: str, enum: type[Enum], name: str, *, or_empty: bool = False) -> CheckConstraint:
    """A named CHECK that ``column`` holds one of ``enum``'s values (enums are stored as
    short strings: a named constraint survives SQLite's batch rebuilds), or "" when
    ``or_empty`` (not set yet)."""
    values = ", ".join(["''"] * or_empty + [f"'{member.value}'" for member in enum])
    return CheckConstraint(f"{column} IN ({values})", name=name)


def utc_column(nullable: bool = False, index: bool = False) -> Column[datetime]:
    """A timezone-aware UTC time column (naive datetimes are refused by UTCDateTime)."""
    return Column(UTCDateTime(), nullable=nullable, index=index)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table a ``table=True`` model is mapped to: for statements that must not go
    through the ORM (bulk inserts, updates of one column) and for reading column sizes."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def max_chars(model: type[SQLModel], column: str) -> int:
    """How many characters a text column holds: longer text passes SQLite, but PostgreSQL
    refuses the whole row, so the services check the size before writing."""
    kind = table_of(model).c[column].type
    if isinstance(kind, TypeDecorator):  # sqlmodel's AutoString wraps a String
        kind = kind.impl_instance
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{model.__name__}.{column} is not a text column of bounded size")
    return kind.length
