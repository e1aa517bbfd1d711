"""Alembic migrations: an empty database reaches head with every table, and stays there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlmodel import SQLModel

import cs_console.storage.tables  # noqa: F401  (registers every table)
from cs_console.storage.engine import make_engine
from cs_console.storage.migrate import current_revision, head_revision, upgrade_to_head
from tests.conftest import PG_URL

TABLES = {
    "users",
    "customers",
    "parcels",
    "contacts",
    "complaints",
    "callbacks",
    "callback_attempts",
    "events",
    "drafts",
    "reference_counters",
    "audit_log",
    "audit_head",
    "data_keys",
    "login_sessions",
    "applied_writes",
    "agent_ratings",
    "incidents",
    "mass_alerts",
    "incident_complaints",
    "tracking_cache",
    "work_orders",
    "key_rotations",
    "key_pending",
    "import_batches",
    "import_staged_rows",
    "parcel_hubs",
    "claims",
    "claim_evidence",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An engine on a database nothing has touched yet."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need CS_CONSOLE_TEST_PG (a server URL); .ci/run sets it")
    name = f"cs_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(f"{PG_URL.rsplit('/', 1)[0]}/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(engine: Engine, how: str, revision: str) -> None:
    """Alembic's ``upgrade`` or ``downgrade`` to ``revision`` on ``engine``."""
    from alembic import command

    from cs_console.storage.migrate import _config

    config = _config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        getattr(command, how)(config, revision)
        connection.commit()


def test_metadata_knows_every_table() -> None:
    assert set(SQLModel.metadata.tables) == TABLES


def test_upgrade_creates_every_table(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None

    before, after = upgrade_to_head(empty_engine)

    assert before is None
    assert after == head_revision()
    assert set(inspect(empty_engine).get_table_names()) == TABLES | {"alembic_version"}


def test_upgrade_reaches_head(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)

    assert current_revision(empty_engine) == head_revision()


def test_upgrade_twice_is_a_no_op(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO reference_counters (day, last) VALUES ('20261122', 7)"))

    before, after = upgrade_to_head(empty_engine)

    assert before == after == head_revision()
    assert set(inspect(empty_engine).get_table_names()) == TABLES | {"alembic_version"}
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT day, last FROM reference_counters")).all() == [
            ("20261122", 7)
        ]
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1


def test_migrated_columns_match_the_tables(empty_engine: Engine) -> None:
    """The migration and storage/tables describe the same columns (no missed autogenerate)."""
    upgrade_to_head(empty_engine)
    inspector = inspect(empty_engine)

    for name, table in SQLModel.metadata.tables.items():
        migrated = {column["name"]: column for column in inspector.get_columns(name)}
        assert set(migrated) == set(table.c.keys()), name
        for column in table.c:
            assert migrated[column.name]["nullable"] == column.nullable, f"{name}.{column.name}"


def test_named_check_constraints_exist(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    inspector = inspect(empty_engine)

    names = {c["name"] for c in inspector.get_check_constraints("complaints")}

    assert {
        "ck_complaints_category",
        "ck_complaints_severity",
        "ck_complaints_status",
        "ck_complaints_channel",
    } <= names


def test_a_database_at_0001_upgrades_to_the_audit_trail_and_back(empty_engine: Engine) -> None:
    _migrate(empty_engine, "upgrade", "0001")
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO reference_counters (day, last) VALUES ('20261122', 7)"))

    _migrate(empty_engine, "upgrade", "0002")  # (0011 drops the index again)
    assert "ix_complaints_contact_id" in {
        i["name"] for i in inspect(empty_engine).get_indexes("complaints")
    }
    _migrate(empty_engine, "downgrade", "0001")
    assert upgrade_to_head(empty_engine) == ("0001", head_revision())
    inspector = inspect(empty_engine)
    assert {"audit_log", "audit_head"} <= set(inspector.get_table_names())
    assert "ck_audit_log_action" in {
        c["name"] for c in inspector.get_check_constraints("audit_log")
    }
    _migrate(empty_engine, "downgrade", "0001")
    assert "audit_log" not in inspect(empty_engine).get_table_names()
    upgrade_to_head(empty_engine)
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT last FROM reference_counters")).scalar_one() == 7


def test_import_keys_are_added_unique_and_removed_again(empty_engine: Engine) -> None:
    _migrate(empty_engine, "upgrade", "0002")
    upgrade_to_head(empty_engine)
    inspector = inspect(empty_engine)
    assert "import_key" in {c["name"] for c in inspector.get_columns("complaints")}
    assert "uq_complaints_import_key" in {
        u["name"] for u in inspector.get_unique_constraints("complaints")
    }
    _migrate(empty_engine, "downgrade", "0002")
    assert "import_key" not in {c["name"] for c in inspect(empty_engine).get_columns("complaints")}


def test_a_database_at_0002_with_records_upgrades_to_agent_scores_and_back(
    empty_engine: Engine,
) -> None:
    """0004 adds the scores table, the responsible agent and indexes to a filled database."""
    _migrate(empty_engine, "upgrade", "0002")
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO reference_counters (day, last) VALUES ('20261122', 7)"))
    _migrate(empty_engine, "upgrade", "0004")
    inspector = inspect(empty_engine)
    assert "agent_ratings" in inspector.get_table_names()
    assert "responsible_agent_id" in {c["name"] for c in inspector.get_columns("complaints")}
    # SQLite reflects a column's own reference without its name: the column is what counts.
    assert any(
        fk["constrained_columns"] == ["responsible_agent_id"] and fk["referred_table"] == "users"
        for fk in inspector.get_foreign_keys("complaints")
    )
    covering = {i["name"]: i["column_names"] for i in inspector.get_indexes("contacts")}
    assert covering["ix_contacts_agent_started"][-1] == "ended_at"
    _migrate(empty_engine, "downgrade", "0002")
    inspector = inspect(empty_engine)
    assert "agent_ratings" not in inspector.get_table_names()
    assert "responsible_agent_id" not in {c["name"] for c in inspector.get_columns("complaints")}
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT last FROM reference_counters")).scalar_one() == 7


def test_a_database_at_0008_gets_the_supervisor_indexes_and_loses_them_again(
    empty_engine: Engine,
) -> None:
    """0009 adds contacts by start time and the partial index of hand-over events."""

    def indexes() -> set[str]:
        inspector = inspect(empty_engine)
        return {i["name"] for t in ("contacts", "events") for i in inspector.get_indexes(t)}

    added = {"ix_contacts_started", "ix_events_handed_over"}
    _migrate(empty_engine, "upgrade", "0008")
    assert not added & indexes()
    assert upgrade_to_head(empty_engine) == ("0008", head_revision())
    assert added <= indexes()
    _migrate(empty_engine, "downgrade", "0008")
    assert not added & indexes()


def test_0010_indexes_complaints_by_outlet_and_takes_it_away_again(empty_engine: Engine) -> None:
    def indexes() -> set[str]:
        return {i["name"] for i in inspect(empty_engine).get_indexes("complaints")}

    _migrate(empty_engine, "upgrade", "0009")
    assert "ix_complaints_outlet_id" not in indexes()
    _migrate(empty_engine, "upgrade", "0010")
    assert "ix_complaints_outlet_id" in indexes()
    _migrate(empty_engine, "downgrade", "0009")
    assert "ix_complaints_outlet_id" not in indexes()


def test_0011_drops_the_contact_index_the_wider_one_covers(empty_engine: Engine) -> None:
    def indexes() -> dict[str, list[str]]:
        found = inspect(empty_engine).get_indexes("complaints")
        return {i["name"]: i["column_names"] for i in found}  # type: ignore[misc]

    _migrate(empty_engine, "upgrade", "0011")
    assert "ix_complaints_contact_id" not in indexes()
    assert indexes()["ix_complaints_contact_resolved"][0] == "contact_id"
    _migrate(empty_engine, "downgrade", "0010")
    assert indexes()["ix_complaints_contact_id"] == ["contact_id"]


def test_0015_adds_the_compensation_approval_and_takes_it_away_again(
    empty_engine: Engine,
) -> None:
    def columns() -> set[str]:
        return {c["name"] for c in inspect(empty_engine).get_columns("complaints")}

    def checks(table: str) -> dict[str, str]:
        found = inspect(empty_engine).get_check_constraints(table)
        return {c["name"]: c["sqltext"] for c in found}  # type: ignore[misc]

    added = {"approval_status", "approval_reason", "proposed_kind", "proposed_fen", "proposed_by"}
    _migrate(empty_engine, "upgrade", "0011")
    assert not added & columns()
    _migrate(empty_engine, "upgrade", "0015")
    assert added <= columns()
    assert "pending" in checks("complaints")["ck_complaints_approval_status"]
    assert "'approval'" in checks("audit_log")["ck_audit_log_action"]
    foreign = inspect(empty_engine).get_foreign_keys("complaints")
    assert any(fk["constrained_columns"] == ["proposed_by"] for fk in foreign)
    _migrate(empty_engine, "downgrade", "0011")
    assert not added & columns()
    assert "ck_complaints_approval_status" not in checks("complaints")
    assert "ck_complaints_status" in checks("complaints")
    assert "'approval'" not in checks("audit_log")["ck_audit_log_action"]


def test_0013_adds_the_complaints_contact_name_and_takes_it_away_again(
    empty_engine: Engine,
) -> None:
    def columns() -> set[str]:
        return {c["name"] for c in inspect(empty_engine).get_columns("complaints")}

    _migrate(empty_engine, "upgrade", "0011")
    assert "contact_name" not in columns()
    _migrate(empty_engine, "upgrade", "0013")
    assert "contact_name" in columns()
    _migrate(empty_engine, "downgrade", "0011")
    assert "contact_name" not in columns()


def test_0021_moves_each_parcels_hub_into_its_hubs_and_takes_them_away_again(
    empty_engine: Engine,
) -> None:
    """The one hub a parcel had becomes its first hub; a parcel without one has none."""
    _migrate(empty_engine, "upgrade", "0020")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO parcels (id, tracking_no, route, hub, outlet, batch, created_at) "
                "VALUES (1, 'ZT1', '杭州-北京', '杭州转运中心', '', '', '2026-12-01 00:00:00'),"
                " (2, 'ZT2', '', '', '', '', '2026-12-01 00:00:00')"
            )
        )
    assert upgrade_to_head(empty_engine) == ("0020", head_revision())
    with empty_engine.connect() as conn:
        rows = conn.execute(text("SELECT parcel_id, hub, position FROM parcel_hubs")).all()
    assert [tuple(r) for r in rows] == [(1, "杭州转运中心", 0)]
    _migrate(empty_engine, "downgrade", "0020")
    assert "parcel_hubs" not in inspect(empty_engine).get_table_names()


def test_0022_adds_the_claims_and_takes_them_away_again(empty_engine: Engine) -> None:
    def tables() -> set[str]:
        return set(inspect(empty_engine).get_table_names())

    _migrate(empty_engine, "upgrade", "0020")
    assert not {"claims", "claim_evidence"} & tables()
    _migrate(empty_engine, "upgrade", "0022")
    assert {"claims", "claim_evidence"} <= tables()
    _migrate(empty_engine, "downgrade", "0020")
    assert not {"claims", "claim_evidence"} & tables()
