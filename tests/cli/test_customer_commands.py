"""cs-console customer export|erase PHONE: a person's rights under PIPL, from the command line."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cs_console.cli.commands import app
from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.tables import AuditEntry, Complaint
from tests.cli.conftest import (
    ADMIN,
    Run,
    add_person,
    assert_clean_failure,
    output_json,
    services_on,
)
from tests.services.helpers import count, distinct_form, phone, rows

PASSWORD = {"CS_CONSOLE_PASSWORD": "secret-pass-1"}  # add_person's
NAME, REASON = "欧阳娜娜", "客户来电要求行使个人信息权利"


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    with services_on(admin_db) as console:
        yield console


@pytest.fixture
def registered(console: ServiceContext) -> str:
    """A complaint of 欧阳娜娜 (phone 1), a supervisor ``boss`` and an agent ``wang``."""
    agent = add_person(console, "wang", Role.AGENT, agent_no="3001")
    add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")
    register_complaint(console, agent, distinct_form(1, customer_name=NAME))
    return phone(1)


def _export(run: Run, db: str, output: Path, user: str = "boss") -> Result:
    args = ["customer", "export", phone(1), "--reason", REASON, "--output", str(output)]
    return run([*args, "--user", user, "--db", db], env=PASSWORD)


def test_export_writes_an_owner_only_file_and_is_recorded(
    run: Run, admin_db: str, console: ServiceContext, registered: str, tmp_path: Path
) -> None:
    output = tmp_path / "person.json"

    result = _export(run, admin_db, output)

    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["customer"]["name"] == NAME
    assert len(document["complaints"]) == 1
    assert output_json(result)["complaints"] == 1
    entry = rows(console, AuditEntry)[-1]
    assert entry.action == "export" and json.loads(entry.detail)["destination"] == str(output)


def test_export_refuses_a_leftover_part_file_and_an_agent(
    run: Run, admin_db: str, registered: str, tmp_path: Path
) -> None:
    output = tmp_path / "person.json"
    (tmp_path / "person.json.part").write_text("someone else's")

    assert_clean_failure(_export(run, admin_db, output))
    assert_clean_failure(_export(run, admin_db, tmp_path / "b.json", user="wang"))
    assert not output.exists() and not (tmp_path / "b.json").exists()


def _erase(run: Run, db: str, *extra: str) -> Result:
    args = ["customer", "erase", phone(1), "--reason", REASON, "--user", ADMIN, "--db", db]
    return run([*args, *extra], env={"CS_CONSOLE_PASSWORD": "admin-pass-1"})


def test_erase_without_a_terminal_needs_yes(
    run: Run, admin_db: str, console: ServiceContext, registered: str, tmp_path: Path
) -> None:
    result = _erase(run, admin_db)

    assert_clean_failure(result)
    assert "--yes" in result.stderr
    assert _export(run, admin_db, tmp_path / "still.json").exit_code == 0


def test_erase_replaces_the_person_and_a_second_finds_nothing(
    run: Run, admin_db: str, console: ServiceContext, registered: str, tmp_path: Path
) -> None:
    result = _erase(run, admin_db, "--yes")

    assert result.exit_code == 0, result.stderr
    summary = output_json(result)
    assert summary["counts"]["customers"] == 1 and summary["total"] >= 2
    assert count(console, Complaint) == 1
    assert_clean_failure(_export(run, admin_db, tmp_path / "gone.json"))
    again = _erase(run, admin_db, "--yes")
    assert again.exit_code == 0 and output_json(again)["total"] == 0
    assert "Nothing is stored" in again.stderr


def test_only_an_administrator_erases(
    run: Run, admin_db: str, console: ServiceContext, registered: str
) -> None:
    args = ["customer", "erase", phone(1), "--reason", REASON, "--yes", "--user", "boss"]
    result = run([*args, "--db", admin_db], env=PASSWORD)

    assert_clean_failure(result)
    assert "administrators only" in result.stderr


def test_erase_speaks_chinese(admin_db: str, registered: str) -> None:
    result = CliRunner().invoke(
        app,
        ["--lang", "zh-CN", "customer", "erase", phone(1), "--reason", REASON, "--yes"]
        + ["--user", ADMIN, "--db", admin_db],
        env={"CS_CONSOLE_PASSWORD": "admin-pass-1"},
    )

    assert result.exit_code == 0, result.stderr
    assert "已删除" in result.stderr
