"""cs-console db set-password: the PostgreSQL password kept in the keyring, never printed."""

from __future__ import annotations

import threading

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail as failing

from cs_console.config import db_password
from cs_console.storage.engine import make_engine
from tests.cli.conftest import Run, assert_clean_failure, output_json
from tests.conftest import MemoryKeyring

URL = "postgresql+psycopg://agent@127.0.0.1:1/cs_shared"  # port 1: nothing answers
SECRET = "Sehr-geheim-42"


def test_the_password_is_kept_and_the_engine_uses_it(
    run: Run, memory_keyring: MemoryKeyring
) -> None:
    result = run(["db", "set-password", "--db", URL, "--password-stdin"], input=SECRET + "\n")
    assert result.exit_code == 0, result.stderr
    assert output_json(result) == {
        "database": URL,
        "keyring_entry": "agent@127.0.0.1:1/cs_shared",
        "stored": True,
    }
    assert SECRET not in result.output
    assert memory_keyring.store[("cs-console-db", "agent@127.0.0.1:1/cs_shared")] == SECRET
    engine = make_engine(URL)
    assert engine.url.password == SECRET
    assert SECRET not in repr(engine) and SECRET not in str(engine.url)
    engine.dispose()
    other = make_engine("postgresql+psycopg://agent@127.0.0.1:1/another_db")
    assert other.url.password is None  # kept per database, not for every one
    other.dispose()


def test_no_command_prints_the_kept_password(run: Run, memory_keyring: MemoryKeyring) -> None:
    memory_keyring.store[("cs-console-db", "agent@127.0.0.1:1/cs_shared")] = SECRET
    commands = (
        ["doctor", "--db", URL],
        ["init", "--db", URL],
        ["user", "list", "--db", URL, "--user", "root"],
    )
    for args in commands:
        result = run(args, env={"CS_CONSOLE_PASSWORD": "x"})
        assert result.exit_code != 0
        assert SECRET not in result.output, args
    shown = run(["doctor", "--db", f"postgresql+psycopg://agent:{SECRET}@127.0.0.1:1/cs"])
    assert SECRET not in shown.output and "agent:***@" in shown.output


def test_sqlite_and_urls_with_a_password_are_refused(run: Run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sqlite = run(["db", "set-password", "--db", f"sqlite:///{tmp_path}/x.db", "--password-stdin"])
    assert_clean_failure(sqlite)
    assert "Only a PostgreSQL database has a password" in sqlite.stderr
    inline = f"postgresql+psycopg://agent:{SECRET}@127.0.0.1/cs"
    result = run(["db", "set-password", "--db", inline, "--password-stdin"], input="x\n")
    assert_clean_failure(result)
    assert SECRET not in result.output and "already holds a password" in result.stderr


def test_no_keyring_backend_is_said_clearly(run: Run) -> None:
    import keyring

    keyring.set_keyring(failing.Keyring())  # headless Linux
    result = run(["db", "set-password", "--db", URL, "--password-stdin"], input=SECRET + "\n")
    assert_clean_failure(result)
    assert "No OS keyring" in result.stderr and "pgpass" in result.stderr
    assert SECRET not in result.output


class HangingKeyring(KeyringBackend):
    """A keyring stuck on a broken D-Bus: it never answers."""

    priority = 1  # type: ignore[assignment]
    release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(30)


def test_a_hanging_keyring_is_given_up_with_a_message(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    monkeypatch.setattr(db_password, "KEYRING_TIMEOUT_S", 0.3)
    keyring.set_keyring(HangingKeyring())
    try:
        result = run(["db", "set-password", "--db", URL, "--password-stdin"], input="x\n")
        assert_clean_failure(result)
        assert "did not answer within 0.3 s" in result.stderr
        engine = make_engine(URL)  # the engine does not wait on it either
        assert engine.url.password is None
        engine.dispose()
    finally:
        HangingKeyring.release.set()
