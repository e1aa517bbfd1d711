"""``cs-console`` without a command opens the console: the wiring, with a stand-in app."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, Run, assert_clean_failure


class FakeApp:
    made: list[dict[str, Any]] = []

    def __init__(self, **options: Any) -> None:
        FakeApp.made.append(options)

    def run(self) -> None:
        FakeApp.made[-1]["ran"] = True


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    FakeApp.made = []
    monkeypatch.setattr("cs_console.ui.factory.make_app", FakeApp)
    return FakeApp.made


def test_opens_the_console_with_the_resolved_options(
    run: Run, admin_db: str, fake_app: list[dict[str, Any]]
) -> None:
    result = run(["--db", admin_db, "--user", ADMIN], env={"CS_CONSOLE_PASSWORD": ADMIN_PASSWORD})
    assert result.exit_code == 0, result.stderr
    assert fake_app == [
        {
            "db_url": admin_db,
            "lang": "en",
            "username": ADMIN,
            "password": ADMIN_PASSWORD,
            "ran": True,
        }
    ]


def test_opens_the_login_screen_without_user(
    run: Run, admin_db: str, fake_app: list[dict[str, Any]]
) -> None:
    result = run(["--db", admin_db])
    assert result.exit_code == 0, result.stderr
    assert fake_app[0]["username"] is None and fake_app[0]["password"] is None


def test_default_database_comes_from_the_environment(
    run: Run, admin_db: str, fake_app: list[dict[str, Any]]
) -> None:
    result = run([], env={"CS_CONSOLE_DB": admin_db})
    assert result.exit_code == 0, result.stderr
    assert fake_app[0]["db_url"] == admin_db


def test_refuses_without_a_database(run: Run, new_db: str, fake_app: list[dict[str, Any]]) -> None:
    result = run(["--db", new_db])
    assert_clean_failure(result)
    assert "run cs-console init" in result.stderr and fake_app == []


def test_refuses_without_a_password_off_a_terminal(
    run: Run, admin_db: str, fake_app: list[dict[str, Any]]
) -> None:
    result = run(["--db", admin_db, "--user", ADMIN])
    assert_clean_failure(result)
    assert fake_app == []
