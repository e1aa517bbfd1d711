"""cs-console audit verify and cs-console purge [--dry-run], acting for a person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cs_console.cli.commands import app
from cs_console.domain.enums import AttemptOutcome, CompensationKind, Role
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.complaint_progress import mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.tables import Callback, Complaint
from tests.cli.conftest import (
    ADMIN,
    Run,
    add_person,
    assert_clean_failure,
    output_json,
    services_on,
)
from tests.conftest import FakeClock
from tests.services.helpers import delay_form, one, phone, rows, tracking

PASSWORD = "secret-pass-1"  # add_person's


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    """The CLI's database, with a clock three years back to make records to purge."""
    with services_on(admin_db, FakeClock(datetime.now(UTC) - timedelta(days=3 * 365))) as console:
        yield console


def _old_closed_complaint(console: ServiceContext, i: int) -> str:
    agent = add_person(console, f"agent{i}", Role.AGENT, agent_no=f"30{i:02d}")
    complaint = register_complaint(
        console, agent, delay_form(2, phone=phone(i), tracking_no=tracking(i))
    )
    mark_verified(console, agent, complaint.id)
    record_resolution(
        console, agent, complaint.id, kind=CompensationKind.COUPON, amount_fen=500, accepted=True
    )
    followup = one(console, Callback, Callback.complaint_id == complaint.id)
    record_attempt(console, agent, followup.id, AttemptOutcome.REACHED, satisfaction=5)
    return complaint.reference


def _complaints(console: ServiceContext) -> list[str]:
    return [c.reference for c in rows(console, Complaint)]


# --- audit verify ---------------------------------------------------------------------------


def _newest_hash(console: ServiceContext) -> str:
    with console.engine.begin() as conn:
        newest = text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        return conn.execute(newest).scalar_one()


def test_verify_an_intact_trail_and_its_head(
    run: Run, admin_db: str, as_admin: dict[str, str], console: ServiceContext
) -> None:
    result = run(
        ["audit", "verify", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )

    assert result.exit_code == 0, result.stderr
    # init's account_created, then this command's own login
    found = output_json(result)
    head = _newest_hash(console)
    assert {k: found[k] for k in ("ok", "entries", "first_bad_id", "problem", "head")} == {
        "ok": True,
        "entries": 2,
        "first_bad_id": None,
        "problem": None,
        "head": {"entries": 2, "hash": head},
    }
    assert "intact (2 entries)" in result.stderr
    assert f"Head: entry 2, hash {head}" in result.stderr


def test_verify_reports_the_first_bad_entry_and_exits_1(
    run: Run, admin_db: str, as_admin: dict[str, str], console: ServiceContext
) -> None:
    add_person(console, "lina", Role.AGENT, agent_no="2001")
    with console.engine.begin() as conn:
        conn.execute(text("""UPDATE audit_log SET detail = '{"role":"admin"}' WHERE id = 2"""))

    as_json = run(
        ["audit", "verify", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )
    as_table = run(["audit", "verify", "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert as_json.exit_code == 1
    found = output_json(as_json)
    assert {k: found[k] for k in ("ok", "entries", "first_bad_id", "problem")} == {
        "ok": False,
        "entries": 3,
        "first_bad_id": 2,
        "problem": "changed",
    }
    assert "tampered with: an entry was changed, first bad entry 2" in as_json.stderr
    assert as_table.exit_code == 1
    assert "tampered with" in as_table.stdout and "changed" in as_table.stdout
    assert "Traceback" not in as_table.output


def test_supervisors_verify_agents_may_not(
    run: Run, admin_db: str, console: ServiceContext
) -> None:
    add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")
    add_person(console, "wangfang", Role.AGENT, agent_no="1024")
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}

    boss = run(["audit", "verify", "--user", "boss", "--db", admin_db], env=env)
    agent = run(["audit", "verify", "--user", "wangfang", "--db", admin_db], env=env)

    assert boss.exit_code == 0, boss.stderr
    assert_clean_failure(agent)
    assert "Your role may not check the audit trail" in agent.stderr


def test_verify_needs_a_user(run: Run, admin_db: str) -> None:
    assert_clean_failure(run(["audit", "verify", "--db", admin_db]))


# --- purge ----------------------------------------------------------------------------------


def test_dry_run_reports_and_changes_nothing(
    run: Run, admin_db: str, as_admin: dict[str, str], console: ServiceContext
) -> None:
    references = [_old_closed_complaint(console, i) for i in (1, 2)]

    result = run(["purge", "--dry-run", "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert result.exit_code == 0, result.stderr
    summary = output_json(result)
    assert summary["dry_run"] is True
    assert summary["counts"]["complaints"] == 2
    assert summary["counts"]["customers"] == 2
    assert (summary["first_reference"], summary["last_reference"]) == tuple(references)
    assert _complaints(console) == references
    assert "Dry run, nothing changed" in result.stderr
    assert f"would be destroyed: {references[0]} to {references[1]}" in result.stderr
    assert "\x1b[" not in result.stderr  # no progress bar when stderr is not a terminal


def test_purge_destroys_and_is_recorded(
    run: Run, admin_db: str, as_admin: dict[str, str], console: ServiceContext
) -> None:
    _old_closed_complaint(console, 1)

    result = run(["purge", "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert result.exit_code == 0, result.stderr
    summary = output_json(result)
    assert summary["dry_run"] is False and summary["total"] > 0
    assert _complaints(console) == []
    assert "Purged" in result.stderr
    verified = run(
        ["audit", "verify", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )
    assert verified.exit_code == 0 and output_json(verified)["ok"] is True


def test_only_an_administrator_purges(run: Run, admin_db: str, console: ServiceContext) -> None:
    _old_closed_complaint(console, 1)
    add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")

    result = run(
        ["purge", "--user", "boss", "--db", admin_db], env={"CS_CONSOLE_PASSWORD": PASSWORD}
    )

    assert_clean_failure(result)
    assert len(_complaints(console)) == 1


def test_purge_needs_a_user(run: Run, admin_db: str) -> None:
    assert_clean_failure(run(["purge", "--dry-run", "--db", admin_db]))


def test_purge_speaks_chinese(admin_db: str, as_admin: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app,
        ["--lang", "zh-CN", "purge", "--dry-run", "--user", ADMIN, "--db", admin_db],
        env=as_admin,
    )

    assert result.exit_code == 0, result.stderr
    assert "试运行，未做任何更改" in result.stderr
    assert "客户" in result.stderr
