"""Opening the console (services.opening): the rules first, then the database at head."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cs_console.config.policy_file import read_policy
from cs_console.domain.policy import PolicyError
from cs_console.services.opening import (
    DatabaseNotReady,
    NotReadyReason,
    open_console,
    open_database,
)
from cs_console.storage.engine import make_engine
from cs_console.storage.migrate import current_revision, head_revision

POLICY = Path(__file__).parents[2] / "cs_console" / "data" / "policy.toml"
UNREACHABLE = "postgresql+psycopg://agent:s3cret@127.0.0.1:1/cs"


def _at_revision(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_a_database_at_head_opens_with_the_policy_and_the_settings_zone(sqlite_url: str) -> None:
    console = open_console(sqlite_url)
    try:
        assert current_revision(console.engine) == head_revision()
        assert console.policy == read_policy()
        assert console.zone == ZoneInfo("Asia/Shanghai")  # the settings' default
    finally:
        console.engine.dispose()


def test_the_caller_may_give_the_policy_and_the_zone(sqlite_url: str) -> None:
    policy, zone = read_policy(), ZoneInfo("Asia/Urumqi")
    console = open_console(sqlite_url, policy=policy, zone=zone)
    console.engine.dispose()
    assert console.policy is policy and console.zone is zone


def test_an_empty_database_is_not_initialised(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with pytest.raises(DatabaseNotReady) as refused:
        open_console(url)
    assert refused.value.reason is NotReadyReason.NOT_INITIALISED
    assert refused.value.url == url and refused.value.head == head_revision()


def test_init_opens_it_all_the_same(tmp_path: Path) -> None:
    console = open_console(f"sqlite:///{tmp_path / 'new.db'}", require_head=False)
    try:
        assert current_revision(console.engine) is None
    finally:
        console.engine.dispose()


def test_an_older_revision_is_outdated(sqlite_url: str) -> None:
    _at_revision(sqlite_url, "0001")
    with pytest.raises(DatabaseNotReady) as refused:
        open_database(sqlite_url)
    assert refused.value.reason is NotReadyReason.OUTDATED
    assert (refused.value.revision, refused.value.head) == ("0001", head_revision())


def test_an_unreachable_server_is_named_with_its_cause_and_no_password() -> None:
    with pytest.raises(DatabaseNotReady) as refused:
        open_database(UNREACHABLE)
    assert refused.value.reason is NotReadyReason.UNREACHABLE
    assert refused.value.__cause__ is not None
    assert refused.value.shown_url == "postgresql+psycopg://agent:***@127.0.0.1:1/cs"


def test_a_broken_policy_stops_before_anything_connects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "policy.toml"
    text_ = POLICY.read_text(encoding="utf-8")
    broken.write_text(text_.replace("amber_fraction = 0.20", "amber_fraction = 2", 1), "utf-8")
    monkeypatch.setenv("CS_CONSOLE_POLICY", str(broken))
    database = tmp_path / "new.db"
    with pytest.raises(PolicyError, match=r"\[clocks.amber_fraction\]"):
        open_console(f"sqlite:///{database}")
    assert not database.exists()  # no engine was made: no file either
