"""Fixtures for the command line: a runner that speaks English, and initialised databases."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner, Result

from cs_console.cli.commands import app
from cs_console.config.policy_file import read_policy
from cs_console.domain.enums import Role
from cs_console.i18n import current_language, set_language
from cs_console.services.accounts import unwrap_for
from cs_console.services.context import Actor, Clock, ServiceContext, system_clock
from cs_console.services.passwords import password_kek
from cs_console.storage.engine import make_engine, read_session, write_session
from cs_console.storage.tables import User
from tests.conftest import add_person as add_person_with

ADMIN, ADMIN_PASSWORD = "root", "admin-pass-1"

Run = Callable[..., Result]


@contextmanager
def services_on(url: str, clock: Clock = system_clock) -> Iterator[ServiceContext]:
    """The services on the CLI's database at ``url`` (its policy, the site's time zone), to
    set up or look at what the commands did; the engine is closed after."""
    engine = make_engine(url)
    try:
        yield ServiceContext(engine, read_policy(), clock=clock)
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    """Commands switch the process-wide language; later tests get theirs back."""
    before = current_language()
    yield
    set_language(before)


@pytest.fixture
def run() -> Run:
    """Invoke cs-console in English: run(args, input=..., env=...)."""
    runner = CliRunner()

    def invoke(
        args: Sequence[str], *, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        return runner.invoke(app, ["--lang", "en", *args], input=input, env=env)

    return invoke


def output_json(result: Result) -> Any:
    """The JSON a command printed on stdout."""
    return json.loads(result.stdout)


def assert_clean_failure(result: Result, code: int = 1) -> None:
    """Failed with ``code``, a message on stderr, no traceback, nothing on stdout."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    assert result.stderr.strip()
    assert not result.stdout.strip()


@pytest.fixture
def new_db(tmp_path: Path) -> str:
    """A SQLite URL where no database exists yet."""
    return f"sqlite:///{tmp_path / 'new.db'}"


def initialised(run: Run, url: str) -> str:
    """``url`` after ``init`` made ``root`` its first administrator."""
    result = run(
        ["init", "--db", url, "--admin", ADMIN, "--password-stdin"],
        input=ADMIN_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.stderr
    return url


@pytest.fixture
def admin_db(run: Run, new_db: str) -> str:
    """An initialised SQLite database whose first administrator is ``root``."""
    return initialised(run, new_db)


@pytest.fixture
def admin_db_on_each_engine(run: Run, db_url: str) -> str:
    """The same on SQLite and on PostgreSQL (when CS_CONSOLE_TEST_PG is set)."""
    return initialised(run, db_url)


@pytest.fixture
def as_admin() -> dict[str, str]:
    """The environment that gives the administrator's password."""
    return {"CS_CONSOLE_PASSWORD": ADMIN_PASSWORD}


def add_person(
    console: ServiceContext, username: str, role: Role = Role.AGENT, **fields: Any
) -> Actor:
    """A person holding the data key ``init`` made, unwrapped with the administrator's
    password (without signing in, which the audit trail would record)."""
    with read_session(console.engine) as session:
        admin = session.exec(select(User).where(User.username == ADMIN)).one()
        kek = password_kek(ADMIN_PASSWORD, admin.password_hash)
        assert kek is not None
        key = unwrap_for(session, admin, kek)
    assert key is not None
    person = add_person_with(console, username, role, data_key=key, **fields)
    # The commands run on the real clock: a password set at a test's fake START would have
    # expired by then, and an expired password allows nothing but changing it.
    with write_session(console.engine) as session:
        user = session.get(User, person.id)
        assert user is not None
        user.password_changed_at = datetime.now(UTC)
        session.add(user)
    return person
