"""cs-console init: create or upgrade, say what was done, create the first administrator."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from cs_console.config.policy_file import read_policy
from cs_console.services.accounts import authenticate
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import make_engine
from cs_console.storage.migrate import head_revision
from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, Run, assert_clean_failure, output_json


def test_init_twice_creates_then_is_up_to_date(run: Run, new_db: str) -> None:
    first = run(["init", "--db", new_db])
    assert first.exit_code == 0, first.stderr
    assert f"Created the database at revision {head_revision()}" in first.stderr
    assert output_json(first) | {"database": None} == {
        "database": None,
        "action": "created",
        "revision_before": None,
        "revision": head_revision(),
        "admin": None,
    }
    second = run(["init", "--db", new_db])
    assert second.exit_code == 0
    assert "already up to date" in second.stderr
    assert output_json(second)["action"] == "up_to_date"


def test_init_uses_the_root_db_option_and_speaks_chinese_by_default(new_db: str) -> None:
    from typer.testing import CliRunner

    from cs_console.cli.commands import app

    result = CliRunner().invoke(
        app, ["--db", new_db, "init"], env={"LANG": "zh_CN.UTF-8", "LC_ALL": None}
    )  # type: ignore[dict-item]
    assert result.exit_code == 0, result.stderr
    assert "已创建数据库" in result.stderr


def test_init_admin_reads_the_password_from_stdin(run: Run, new_db: str) -> None:
    result = run(
        ["init", "--db", new_db, "--admin", ADMIN, "--password-stdin", "--agent-no", "0007"],
        input=ADMIN_PASSWORD + "\n" + "ignored second line\n",
    )
    assert result.exit_code == 0, result.stderr
    assert output_json(result)["admin"] == {"username": ADMIN, "agent_no": "0007", "role": "admin"}
    console = ServiceContext(make_engine(new_db), read_policy())
    login = authenticate(console, ADMIN, ADMIN_PASSWORD)
    assert login.actor.role.value == "admin"
    assert not login.must_change_password


def test_init_admin_without_password_stdin_refuses_when_stdin_is_not_a_terminal(
    run: Run, new_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_prompt(*_args: object) -> str:
        raise AssertionError("prompted although stdin is not a terminal")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    result = run(["init", "--db", new_db, "--admin", ADMIN], input="typed-too-early\n")
    assert_clean_failure(result)
    assert "--password-stdin" in result.stderr
    assert not Path(new_db.removeprefix("sqlite:///")).exists()  # refused before any change


def test_init_admin_refused_once_accounts_exist(run: Run, admin_db: str) -> None:
    result = run(
        ["init", "--db", admin_db, "--admin", "other", "--password-stdin"],
        input="another-pass-1\n",
    )
    assert result.exit_code == 1
    assert "already has accounts" in result.stderr


def test_init_admin_with_a_short_password_names_the_field(run: Run, new_db: str) -> None:
    result = run(["init", "--db", new_db, "--admin", ADMIN, "--password-stdin"], input="abc\n")
    assert result.exit_code == 1
    assert "password" in result.stderr and "Traceback" not in result.output


def test_init_admin_with_a_weak_password_says_why_and_creates_nobody(run: Run, new_db: str) -> None:
    result = run(
        ["--lang", "en", "init", "--db", new_db, "--admin", ADMIN, "--password-stdin"],
        input=f"{ADMIN.capitalize()}12345\n",
    )
    assert_clean_failure(result)
    assert "built from the user name or display name" in result.stderr
    engine = make_engine(new_db)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
    engine.dispose()


def test_init_admin_with_empty_stdin(run: Run, new_db: str) -> None:
    result = run(["init", "--db", new_db, "--admin", ADMIN, "--password-stdin"], input="")
    assert_clean_failure(result)
    assert "No password on stdin" in result.stderr
