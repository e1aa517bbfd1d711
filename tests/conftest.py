"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when
CS_CONSOLE_TEST_PG is set), a console with a clock the test moves, and people."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import create_engine, text

from cs_console.config.policy_file import default_policy
from cs_console.domain.enums import Role
from cs_console.services.accounts import create_user
from cs_console.services.context import Actor, ServiceContext
from cs_console.storage.engine import make_engine
from cs_console.storage.migrate import upgrade_to_head
from cs_console.storage.sealing import DataKey

PG_URL = os.environ.get("CS_CONSOLE_TEST_PG")
# Under pytest-xdist each worker process makes its own databases: the name says whose.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
START = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
# The data key of every test database: the first person added makes it the database's.
TEST_DATA_KEY = DataKey(bytes(range(32)))
TEST_SCRYPT_N = 2**10  # see cheap_password_hashing


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """No test touches the real OS keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords are hashed at scrypt N=2^10 in tests, not the program's 2^15.

    Each account a test makes and each sign-in cost one derivation, 0.2-0.4 s at 2^15 on
    the 2-core test machine: a third of a UI test's time went to hashing. A hash names its
    cost, so one made here verifies in any process (another console signing in re-hashes
    it at the real cost). Tests of the cost itself ask for it: ``real_password_cost``.
    """
    if request.node.get_closest_marker("real_password_cost") is None:
        monkeypatch.setattr("cs_console.services.passwords._N", TEST_SCRYPT_N)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings, default database and journals live in a per-test folder."""
    monkeypatch.setenv("CS_CONSOLE_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("CS_CONSOLE_DB", raising=False)
    monkeypatch.delenv("CS_CONSOLE_PASSWORD", raising=False)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """One migrated PostgreSQL database for the run; each test starts it empty."""
    name = f"cs_test_{WORKER}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{PG_URL.rsplit('/', 1)[0]}/{name}"  # type: ignore[union-attr]
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _emptied(url: str) -> str:
    """Empty every table and restart every sequence, so a test sees a freshly migrated
    database. Only the tables holding rows are truncated: a TRUNCATE of all of them cost
    60 ms per test, the probe and the few that a test filled about 10."""
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        probe = " UNION ALL ".join(
            f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM \"{table}\")" for table in tables
        )
        filled = conn.execute(text(probe)).scalars().all()
        if filled:
            conn.execute(text(f"TRUNCATE {', '.join(filled)} CASCADE"))
        conn.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = 'public'"
            )
        )
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head for the run; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "cs.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()  # the last connection closing folds the WAL into the file
    return path


def _fresh_sqlite(template: Path, folder: Path) -> str:
    target = folder / "cs.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A fresh, migrated database URL on each engine."""
    if request.param == "sqlite":
        yield _fresh_sqlite(sqlite_template, tmp_path)
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need CS_CONSOLE_TEST_PG (a server URL); .ci/run sets it")
    yield _emptied(request.getfixturevalue("pg_database"))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated SQLite database (for UI and CLI tests)."""
    return _fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _console(url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    from zoneinfo import ZoneInfo

    engine = make_engine(url)
    yield ServiceContext(engine, default_policy(), ZoneInfo("Asia/Shanghai"), clock)
    engine.dispose()


@pytest.fixture
def console(db_url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    """A console on each engine, with the fake clock."""
    yield from _console(db_url, clock)


@pytest.fixture
def sqlite_console(sqlite_url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    """A console on SQLite only (UI tests)."""
    yield from _console(sqlite_url, clock)


def add_person(
    console: ServiceContext,
    username: str,
    role: Role = Role.AGENT,
    *,
    agent_no: str | None = None,
    display_name: str | None = None,
    outlet: str = "",
    team: str = "",
    password: str = "secret-pass-1",
    data_key: DataKey = TEST_DATA_KEY,
) -> Actor:
    """Create an account (holding the test data key, or the database's ``data_key``) and
    return it as a signed-in actor."""
    row = create_user(
        console,
        username=username,
        display_name=display_name or username,
        agent_no=agent_no or str(1000 + abs(hash(username)) % 9000),
        role=role,
        password=password,
        outlet=outlet,
        team=team,
        data_key=data_key,
    )
    return Actor(
        row.id,
        row.username,
        row.display_name,
        row.agent_no,
        role,
        row.team,
        row.outlet,
        data_key,
    )


@pytest.fixture
def agent(console: ServiceContext) -> Actor:
    return add_person(console, "wangfang", agent_no="1024", display_name="王芳")
