"""cs-console audit anchor / verify --anchor, and the daily anchor each sign-in keeps: a cut
tail, a wiped trail, a rewritten history or an appended row are found (both engines)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from cs_console.config.paths import config_dir, data_dir
from cs_console.config.settings import load_settings
from cs_console.services.context import ServiceContext
from cs_console.storage.audit import GENESIS_HASH, unsealed_hash
from tests.cli.conftest import ADMIN, Run, assert_clean_failure, output_json, services_on
from tests.conftest import FakeClock


@pytest.fixture
def db(admin_db_on_each_engine: str) -> str:
    return admin_db_on_each_engine


@pytest.fixture
def sql(db: str) -> Iterator[ServiceContext]:
    with services_on(db, FakeClock()) as console:
        yield console


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


def _exec(console: ServiceContext, statement: str, **values: object) -> None:
    with console.engine.begin() as conn:
        conn.execute(text(statement), values)


def _rows(console: ServiceContext) -> list[tuple]:
    from sqlmodel import Session, select

    from cs_console.storage.tables import AuditEntry

    with Session(console.engine) as session:
        return [
            (e.id, e.at, e.actor_id, e.action, e.target, e.detail, e.prev_hash, e.hash)
            for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))  # type: ignore[arg-type]
        ]


def _admin_id(console: ServiceContext) -> int:
    with console.engine.begin() as conn:
        return conn.execute(text("SELECT id FROM users WHERE username = :u"), {"u": ADMIN}).one()[0]


def _append_forged(
    console: ServiceContext,
    *,
    actor_id: int | None,
    target: str,
    earlier: timedelta = timedelta(0),
    action: str = "export",
) -> None:
    """A correctly hashed entry after the newest, dated ``earlier`` than it, with the head
    moved to it; without the data key it cannot be sealed."""
    newest = _rows(console)[-1]
    entry_id, at = newest[0] + 1, newest[1] - earlier
    digest = unsealed_hash(
        entry_id=entry_id,
        at=at,
        actor_id=actor_id,
        action=action,
        target=target,
        detail="{}",
        prev_hash=newest[7],
    )
    _exec(
        console,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash) "
        "VALUES (:id, :at, :actor, :action, :target, '{}', :prev, :hash)",
        id=entry_id,
        at=at,
        actor=actor_id,
        action=action,
        target=target,
        prev=newest[7],
        hash=digest,
    )
    _exec(console, "UPDATE audit_head SET last_id = :id, last_hash = :h", id=entry_id, h=digest)


def _rewrite_history(console: ServiceContext) -> None:
    """Change the first entry and recompute every hash and the head, as a forger would
    (who cannot make the seals, and drops them)."""
    previous = GENESIS_HASH
    for row in _rows(console):
        entry_id, at, actor_id, action, target, detail, _, _ = row
        if entry_id == 1:
            detail = '{"role":"agent"}'
        digest = unsealed_hash(
            entry_id=entry_id,
            at=at,
            actor_id=actor_id,
            action=action,
            target=target,
            detail=detail,
            prev_hash=previous,
        )
        _exec(
            console,
            "UPDATE audit_log SET detail = :d, prev_hash = :p, hash = :h, seal = NULL "
            "WHERE id = :id",
            d=detail,
            p=previous,
            h=digest,
            id=entry_id,
        )
        previous = digest
    _exec(console, "UPDATE audit_head SET last_hash = :h", h=previous)


def _anchor(run: Run, db: str, as_admin: dict[str, str], path: Path) -> dict[str, object]:
    result = run(
        ["audit", "anchor", "--output", str(path), "--user", ADMIN, "--db", db], env=as_admin
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(path.read_text(encoding="utf-8"))


def _verify(run: Run, db: str, as_admin: dict[str, str], *extra: str):  # noqa: ANN202
    return run(
        ["audit", "verify", *extra, "--format", "json", "--user", ADMIN, "--db", db], env=as_admin
    )


# --- audit anchor ---------------------------------------------------------------------------


def test_anchor_writes_the_head_to_a_new_owner_only_file(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"

    anchor = _anchor(run, db, as_admin, path)

    newest = _rows(sql)[-1]
    assert (anchor["entries"], anchor["hash"]) == (newest[0], newest[7])  # its own login
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = run(
        ["audit", "anchor", "--output", str(path), "--user", ADMIN, "--db", db], env=as_admin
    )
    assert_clean_failure(again)
    assert "exists already" in again.stderr
    assert json.loads(path.read_text(encoding="utf-8")) == anchor  # not replaced


def test_anchor_to_standard_output(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext
) -> None:
    result = run(["audit", "anchor", "--user", ADMIN, "--db", db], env=as_admin)

    assert result.exit_code == 0, result.stderr
    anchor = json.loads(result.stdout)
    assert (anchor["entries"], anchor["hash"]) == (_rows(sql)[-1][0], _rows(sql)[-1][7])
    assert "Keep it outside the database" in result.stderr


def test_anchor_refuses_a_device(run: Run, db: str, as_admin: dict[str, str]) -> None:
    result = run(
        ["audit", "anchor", "--output", "/dev/null", "--user", ADMIN, "--db", db], env=as_admin
    )

    assert_clean_failure(result)


# --- audit verify --anchor ------------------------------------------------------------------


def test_an_intact_trail_holds_its_anchor(
    run: Run, db: str, as_admin: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    anchor = _anchor(run, db, as_admin, path)

    result = _verify(run, db, as_admin, "--anchor", str(path))

    assert result.exit_code == 0, result.stderr
    found = output_json(result)["anchors"]
    assert [c["status"] for c in found["checked"]] == ["held"]
    # only the verify's own login came after the anchor
    after = found["after_anchor"]
    assert after["anchor"] == anchor["entries"] and after["total"] == 1
    assert [(e["user"], e["action"]) for e in after["entries"]] == [(ADMIN, "login")]
    assert "1 of 1 held" in result.stderr


def test_a_cut_tail_with_the_head_moved_back_is_found(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    anchor = _anchor(run, db, as_admin, path)
    cut_from = 2
    _exec(sql, "DELETE FROM audit_log WHERE id >= :id", id=cut_from)
    first = _rows(sql)[-1]
    _exec(sql, "UPDATE audit_head SET last_id = :id, last_hash = :h", id=first[0], h=first[7])
    with_chain_only = run(
        ["audit", "verify", "--format", "json", "--user", ADMIN, "--db", db],
        env={**as_admin, "CS_CONSOLE_HOME": str(tmp_path / "elsewhere")},  # no daily file
    )

    result = _verify(run, db, as_admin, "--anchor", str(path))

    assert output_json(with_chain_only)["ok"] is True  # the chain alone cannot tell
    assert result.exit_code == 1
    # the sign-ins since took the freed ids: the anchored entry is not the one it was
    assert output_json(result)["anchors"]["checked"][0]["status"] == "changed"
    assert f"entry {anchor['entries']} is not the anchored one" in result.stderr


def test_a_wiped_trail_is_found(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    _anchor(run, db, as_admin, path)
    _exec(sql, "DELETE FROM audit_log")
    _exec(sql, "DELETE FROM audit_head")

    result = _verify(run, db, as_admin, "--anchor", str(path))

    assert result.exit_code == 1
    assert output_json(result)["anchors"]["checked"][0]["status"] == "missing"
    assert "is gone" in result.stderr


def test_a_rewritten_history_is_found(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    anchor = _anchor(run, db, as_admin, path)
    _rewrite_history(sql)

    result = _verify(run, db, as_admin, "--anchor", str(path))

    assert result.exit_code == 1
    # Consistent as a chain without seals (every hash redone from the first entry on) ...
    assert output_json(result)["ok"] is True
    # ... which the anchor kept outside the database tells.
    assert output_json(result)["anchors"]["checked"][0]["status"] == "changed"
    assert f"entry {anchor['entries']} is not the anchored one" in result.stderr


def test_a_correctly_hashed_row_appended_after_the_anchor_is_refused_and_listed(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    anchor = _anchor(run, db, as_admin, path)
    _append_forged(sql, actor_id=_admin_id(sql), target="complaints:forged")

    as_json = _verify(run, db, as_admin, "--anchor", str(path))
    as_table = run(
        ["audit", "verify", "--anchor", str(path), "--user", ADMIN, "--db", db], env=as_admin
    )

    assert as_json.exit_code == 1  # the anchor holds, but the entry has no seal ...
    report = output_json(as_json)
    assert (report["problem"], report["first_bad_id"]) == ("forged", int(anchor["entries"]) + 1)
    assert "has no valid seal of the data key" in as_table.stderr
    assert report["anchors"]["checked"][0]["status"] == "held"
    after = output_json(as_json)["anchors"]["after_anchor"]
    assert after["anchor"] == anchor["entries"]
    first = after["entries"][0]  # ... and the appended entry is shown for a person to judge
    assert (first["id"], first["user"], first["action"], first["target"]) == (
        int(anchor["entries"]) + 1,
        ADMIN,
        "export",
        "complaints:forged",
    )
    assert first["at"]
    assert "entries after the newest anchor" in as_table.stderr
    assert "complaints:forged" in as_table.stdout and "Entries after the anchor" in as_table.stdout


def test_a_failed_sign_in_appended_after_the_anchor_is_only_listed(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    """Nobody signed in writes a failed sign-in, so it has no seal: one made up is listed for
    a person to judge, and it claims no one's act (README, audit trail)."""
    path = tmp_path / "anchor.json"
    _anchor(run, db, as_admin, path)
    _append_forged(sql, actor_id=None, target="user:ghost", action="login_failed")

    as_json = _verify(run, db, as_admin, "--anchor", str(path))

    assert as_json.exit_code == 0, as_json.stderr
    after = output_json(as_json)["anchors"]["after_anchor"]["entries"]
    [entry] = [entry for entry in after if entry["target"] == "user:ghost"]
    assert (entry["user"], entry["action"]) == (None, "login_failed")


def test_a_row_appended_after_the_anchor_but_dated_before_it_is_refused(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext, tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    anchor = _anchor(run, db, as_admin, path)
    forged = timedelta(hours=1)  # "yesterday's export", added after today's anchor
    _append_forged(sql, actor_id=_admin_id(sql), target="complaints:backdated", earlier=forged)

    as_json = _verify(run, db, as_admin, "--anchor", str(path))
    in_chinese = run(
        ["--lang", "zh-CN", "audit", "verify", "--anchor", str(path), "--user", ADMIN, "--db", db],
        env=as_admin,
    )

    assert as_json.exit_code == 1
    anchors = output_json(as_json)["anchors"]
    assert anchors["ok"] is False and anchors["checked"][0]["status"] == "held"
    [backdated] = anchors["backdated"]
    assert (backdated["id"], backdated["target"]) == (
        int(anchor["entries"]) + 1,
        "complaints:backdated",
    )
    assert "1 entry after an anchor is dated before it was taken" in as_json.stderr
    assert in_chinese.exit_code == 1 and "事后补写" in in_chinese.stderr
    assert "导出" in in_chinese.stdout and "export" not in in_chinese.stdout  # the action named


def test_a_bad_anchor_file_is_one_clear_line(
    run: Run, db: str, as_admin: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    path.write_text("not an anchor\n", encoding="utf-8")

    result = _verify(run, db, as_admin, "--anchor", str(path))

    assert_clean_failure(result)
    assert "line 1" in result.stderr


# --- the daily anchor -------------------------------------------------------------------------


def _daily_lines() -> list[dict[str, object]]:
    path = data_dir() / "audit-anchors.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_first_sign_in_of_the_day_keeps_an_anchor_and_verify_checks_it(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext
) -> None:
    run(["audit", "anchor", "--user", ADMIN, "--db", db], env=as_admin)  # signs in
    run(["audit", "anchor", "--user", ADMIN, "--db", db], env=as_admin)  # again, same day

    lines = _daily_lines()
    assert len(lines) == 1  # once a day
    assert stat.S_IMODE(os.stat(data_dir() / "audit-anchors.jsonl").st_mode) == 0o600
    anchored = int(lines[0]["entries"])  # type: ignore[call-overload]
    _exec(sql, "DELETE FROM audit_log WHERE id >= :id", id=anchored)
    newest = _rows(sql)[-1]
    _exec(sql, "UPDATE audit_head SET last_id = :id, last_hash = :h", id=newest[0], h=newest[7])

    result = _verify(run, db, as_admin)  # no --anchor: this machine's daily file
    doctor = run(["doctor", "--db", db])

    assert result.exit_code == 1
    assert output_json(result)["anchors"]["checked"][0]["status"] != "held"
    assert "audit-anchors.jsonl" in result.stderr and "is not held" in result.stderr
    # Not "intact": the chain is consistent in itself, and the anchors say it was cut.
    assert "consistent in itself" in result.stderr and "is intact" not in result.stderr
    audit = next(c for c in output_json(doctor)["checks"] if c["name"] == "audit")
    assert audit["detail"] == (
        "The audit trail has been tampered with: 1 of this machine's daily anchors is no "
        "longer held. Run cs-console audit verify"
    )


def test_the_daily_anchor_file_is_configurable(
    run: Run, db: str, as_admin: dict[str, str], tmp_path: Path
) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "settings.toml").write_text(
        'audit_anchor_file = "anchors/daily.jsonl"\n', encoding="utf-8"
    )
    load_settings.cache_clear()

    result = run(["audit", "anchor", "--user", ADMIN, "--db", db], env=as_admin)

    assert result.exit_code == 0, result.stderr
    assert (config_dir() / "anchors" / "daily.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert not (data_dir() / "audit-anchors.jsonl").exists()


# --- a bad row stops nobody, and is reported ----------------------------------------------


def test_a_forged_row_stops_no_command_and_doctor_and_verify_report_it(
    run: Run, db: str, as_admin: dict[str, str], sql: ServiceContext
) -> None:
    newest = _rows(sql)[-1]
    _exec(
        sql,
        "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash) "
        "VALUES (:id, :at, NULL, 'login', 'user:ghost', '{}', :prev, :hash)",
        id=newest[0] + 1,
        at=newest[1],
        prev=newest[7],
        hash="e" * 64,
    )

    anchored = run(["audit", "anchor", "--user", ADMIN, "--db", db], env=as_admin)
    doctor = run(["doctor", "--db", db])
    verify = _verify(run, db, as_admin)

    assert anchored.exit_code == 0, anchored.stderr  # was: UNIQUE constraint failed
    logins = [r for r in _rows(sql) if r[3] == "login" and r[2] == _admin_id(sql)]
    assert logins  # the sign-in is recorded
    audit = next(c for c in output_json(doctor)["checks"] if c["name"] == "audit")
    assert doctor.exit_code == 1
    assert audit["status"] == "error"
    assert f"an entry was inserted at entry {newest[0] + 1}" in audit["detail"]
    assert verify.exit_code == 1
    assert output_json(verify)["problem"] == "inserted"
    assert output_json(verify)["first_bad_id"] == newest[0] + 1
