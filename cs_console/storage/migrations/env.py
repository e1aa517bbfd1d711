"""Alembic environment: targets SQLModel.metadata; batch mode so SQLite can alter tables."""

from alembic import context
from sqlmodel import SQLModel

import cs_console.storage.import_tables  # noqa: F401  (the import staging tables)
import cs_console.storage.tables  # noqa: F401  (registers every table on the metadata)

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through cs_console.storage.migrate")
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
