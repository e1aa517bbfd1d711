"""Failures a person can cause end in one clear line and exit code 1, never a traceback."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cs_console.services import calendar_check
from cs_console.storage.engine import make_engine
from tests.cli.conftest import ADMIN, Run, assert_clean_failure, output_json

POLICY = Path(__file__).parents[2] / "cs_console" / "data" / "policy.toml"


@pytest.fixture
def broken_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CS_CONSOLE_POLICY names a copy of the policy with amber_fraction = 2."""
    text = POLICY.read_text(encoding="utf-8")
    broken = text.replace("amber_fraction = 0.20", "amber_fraction = 2", 1)
    assert broken != text
    path = tmp_path / "policy.toml"
    path.write_text(broken, encoding="utf-8")
    monkeypatch.setenv("CS_CONSOLE_POLICY", str(path))
    return path


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user@host/db",
        "sqlite:relative.db",
        "postgresql+psycopg://u@host:notaport/db",
        "nonsense",
    ],
)
def test_bad_db_url(run: Run, url: str) -> None:
    result = run(["init", "--db", url])
    assert_clean_failure(result)
    assert "database URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_server(run: Run) -> None:
    result = run(
        ["init", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/cs?connect_timeout=3"]
    )
    assert_clean_failure(result)
    assert result.stderr.startswith("Cannot reach the database")
    assert "secret" not in result.stderr


def test_url_password_is_never_shown(run: Run) -> None:
    result = run(["init", "--db", "mysql://user:hunter2@host/db"])
    assert "hunter2" not in result.output and "***" in result.stderr


def test_missing_database_file_is_not_created(run: Run, new_db: str) -> None:
    result = run(["user", "list", "--user", ADMIN, "--db", new_db])
    assert_clean_failure(result)
    assert "run cs-console init" in result.stderr
    assert not Path(new_db.removeprefix("sqlite:///")).exists()


def test_uninitialised_database(run: Run, new_db: str) -> None:
    make_engine(new_db).connect().close()  # an empty SQLite file, no tables
    result = run(["user", "list", "--user", ADMIN, "--db", new_db])
    assert_clean_failure(result)
    assert "not initialised: run cs-console init" in result.stderr


def test_bad_policy_stops_every_command_naming_file_and_key(
    run: Run, new_db: str, broken_policy: Path
) -> None:
    for args in (
        ["init", "--db", new_db],
        ["user", "list", "--db", new_db],
        ["demo", "--db", new_db],
    ):
        result = run(args)
        assert_clean_failure(result)
        assert result.stderr.strip() == (
            f"{broken_policy}: [clocks.amber_fraction] must be between 0 and 1, got 2"
        )
    assert not Path(new_db.removeprefix("sqlite:///")).exists()


def test_broken_settings_file(run: Run, new_db: str) -> None:
    config = Path(os.environ["CS_CONSOLE_HOME"]) / "config"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    result = run(["init", "--db", new_db])
    assert_clean_failure(result)
    assert "settings.toml: [timezone]" in result.stderr


def test_settings_choose_the_language(new_db: str) -> None:
    from typer.testing import CliRunner

    from cs_console.cli.commands import app

    config = Path(os.environ["CS_CONSOLE_HOME"]) / "config"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text('language = "en"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["init", "--db", new_db], env={"LANG": "zh_CN.UTF-8"})
    assert "Created the database" in result.stderr


def test_doctor_all_well(run: Run, admin_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar_check, "calendar_known", lambda year, calendar: True)
    result = run(["doctor", "--db", admin_db])
    assert result.exit_code == 0, result.stderr
    report = output_json(result)
    assert report["ok"] is True
    statuses = {(c["name"], c.get("lang")): c["status"] for c in report["checks"]}
    assert statuses == {
        ("settings", None): "ok",
        ("policy", None): "ok",
        ("calendar", None): "ok",
        ("scripts", "zh-CN"): "ok",
        ("scripts", "en"): "ok",
        ("database", None): "ok",
        ("audit", None): "ok",
        ("keyring", None): "ok",
    }
    assert "[ok] database" in result.stderr


def test_doctor_warns_while_next_years_calendar_is_unknown(
    run: Run, admin_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    def known(year: int, calendar: object) -> bool:
        asked.append(year)
        return False

    monkeypatch.setattr(calendar_check, "calendar_known", known)
    result = run(["doctor", "--db", admin_db])
    assert result.exit_code == 0, result.stderr  # a warning: the console works
    calendar = next(c for c in output_json(result)["checks"] if c["name"] == "calendar")
    assert calendar["status"] == "warning"
    assert str(asked[0]) in calendar["detail"] and "[calendar]" in calendar["detail"]
    assert asked[0] in (datetime.now(UTC).year + 1, datetime.now(UTC).year + 2)


def test_doctor_reports_a_bad_policy(run: Run, admin_db: str, broken_policy: Path) -> None:
    result = run(["doctor", "--db", admin_db])
    assert result.exit_code == 1
    report = output_json(result)
    assert report["ok"] is False
    policy = next(c for c in report["checks"] if c["name"] == "policy")
    assert policy["status"] == "error"
    assert (
        policy["detail"]
        == f"{broken_policy}: [clocks.amber_fraction] must be between 0 and 1, got 2"
    )
    assert "[clocks.amber_fraction] must be between 0 and 1, got 2" in result.stderr


def test_doctor_reports_an_uninitialised_database(run: Run, new_db: str) -> None:
    result = run(["doctor", "--db", new_db])
    assert result.exit_code == 1
    database = next(c for c in output_json(result)["checks"] if c["name"] == "database")
    assert database["status"] == "error" and "cs-console init" in database["detail"]


def test_doctor_headless_keyring_is_a_warning(run: Run, admin_db: str) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the previous one
    result = run(["doctor", "--db", admin_db])
    assert result.exit_code == 0, result.stderr
    check = next(c for c in output_json(result)["checks"] if c["name"] == "keyring")
    assert check["status"] == "warning"


def test_doctor_with_a_bad_url(run: Run) -> None:
    result = run(["doctor", "--db", "mysql://x/y"])
    assert result.exit_code == 1
    database = next(c for c in output_json(result)["checks"] if c["name"] == "database")
    assert database["status"] == "error"


def test_an_outdated_database_is_refused_and_doctor_says_so(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    from sqlalchemy import text

    from cs_console.storage.migrate import head_revision

    engine = make_engine(admin_db)
    with engine.begin() as connection:  # as a database from an older version holds it
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    told = f"The database is at revision 0001, this version needs {head_revision()}"

    listed = run(["user", "list", "--db", admin_db, "--user", ADMIN], env=as_admin)
    assert_clean_failure(listed)
    assert told in listed.stderr
    doctor = run(["doctor", "--db", admin_db])
    assert doctor.exit_code == 1
    database = next(c for c in output_json(doctor)["checks"] if c["name"] == "database")
    assert database["status"] == "error" and told in database["detail"]
    assert "audit" not in {c["name"] for c in output_json(doctor)["checks"]}
