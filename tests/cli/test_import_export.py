"""cs-console import FILE and cs-console export complaints, as a person runs them."""

from __future__ import annotations

import csv
import json
import os
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.tables import AuditEntry, Complaint
from tests.cli.conftest import Run, add_person, assert_clean_failure, output_json, services_on
from tests.injections import MARKUP_LIKE
from tests.services.helpers import count, distinct_form, one

PASSWORD = {"CS_CONSOLE_PASSWORD": "secret-pass-1"}  # add_person's
MIXED_HEADER = ["姓名", "Phone", "快递单号", "category", "延误天数", "物品价值", "Insured"]
MIXED_HEADER += ["保价金额", "运费", "Registered at", "问题描述", "Request", "渠道", "网点"]


@pytest.fixture
def admin_db(admin_db_on_each_engine: str) -> str:
    """These commands run on both engines."""
    return admin_db_on_each_engine


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    """The CLI's database with a supervisor (zhoumin) and an agent (wangfang)."""
    with services_on(admin_db) as console:
        add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")
        add_person(console, "wangfang", Role.AGENT, agent_no="1024")
        yield console


def _yesterday(minutes: int = 0) -> str:
    moment = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1, minutes=minutes)
    return moment.strftime("%Y-%m-%d %H:%M")


def _row(i: int, **changes: str) -> list[str]:
    row = dict.fromkeys(MIXED_HEADER, "")
    row.update(
        {
            "姓名": f"客户{i}",
            "Phone": f"139 {i:04d} {i:04d}",
            "快递单号": f"YT{4400000000 + i}",
            "category": "丢失" if i % 2 else "delay",
            "延误天数": "" if i % 2 else "2",
            "物品价值": "300" if i % 2 else "",
            "Insured": "否" if i % 3 else "no",
            "Registered at": _yesterday(i),
            "问题描述": "停电期间纸质登记",
            "Request": "尽快处理",
            "渠道": "电话",
        }
    )
    row.update(changes)
    return list(row.values())


def _register(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(MIXED_HEADER)
        writer.writerows(rows)
    return path


def _import(run: Run, db: str, path: Path, *extra: str, user: str = "wangfang"):  # type: ignore[no-untyped-def]
    return run(["import", str(path), "--user", user, "--db", db, *extra], env=PASSWORD)


# --- import ---------------------------------------------------------------------------------


def test_a_mixed_language_register_imports_once(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    path = _register(tmp_path / "登记表.csv", [_row(i) for i in range(1, 6)])

    first = _import(run, admin_db, path)
    second = _import(run, admin_db, path, user="zhoumin")

    assert first.exit_code == 0, first.stderr
    summary = output_json(first)
    assert (summary["imported"], summary["already_imported"], summary["owner"]) == (
        5,
        0,
        "wangfang",
    )
    assert (
        "Imported 5 complaints, owned by wangfang; 0 rows already imported before" in first.stderr
    )
    assert second.exit_code == 0, second.stderr
    assert (output_json(second)["imported"], output_json(second)["already_imported"]) == (0, 5)
    assert count(console, Complaint) == 5


def test_one_bad_row_in_a_thousand_is_named_and_nothing_is_imported(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    rows = [_row(i) for i in range(1, 1001)]
    rows[411] = _row(412, Insured="maybe")
    path = _register(tmp_path / "big.csv", rows)

    result = _import(run, admin_db, path)

    assert_clean_failure(result)
    assert "line 413: Insured: Write yes or no" in result.stderr
    assert "Nothing was imported: 1 invalid row, listed above. Correct it," in result.stderr
    assert result.stderr.count("line ") == 1
    assert count(console, Complaint) == 0


def test_skip_invalid_writes_the_rejects_beside_the_register(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    path = _register(tmp_path / "reg.csv", [_row(1), _row(2, Phone="12345"), _row(3)])

    result = _import(run, admin_db, path, "--skip-invalid")

    assert result.exit_code == 0, result.stderr
    rejects = tmp_path / "reg.rejected.csv"
    assert output_json(result)["rejects_file"] == str(rejects)
    assert f"1 rejected row, with its reason, written to {rejects}" in result.stderr
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, reject = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert header == ["line", "reason", *MIXED_HEADER]
    assert reject[0] == "3" and reject[1].startswith("Phone: Not a valid phone number")
    assert reject[2:] == _row(2, Phone="12345")
    assert count(console, Complaint) == 2
    # Corrected, the rejects file imports as it is (its line and reason columns are ignored).
    reject[3] = "13900020002"
    with rejects.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows([header, reject])
    assert output_json(_import(run, admin_db, rejects))["imported"] == 1


@pytest.mark.usefixtures("console")
def test_a_header_it_cannot_read_names_the_columns(run: Run, admin_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("姓名,联系电活,快递单号\n张伟,13800000001,YT4400000001\n", encoding="utf-8")

    result = _import(run, admin_db, path)

    assert_clean_failure(result)
    assert "Unknown columns: 联系电活" in result.stderr
    assert "Missing columns: Phone, Type, Description, Request, Registered at" in result.stderr


def test_import_refusals(run: Run, admin_db: str, console: ServiceContext, tmp_path: Path) -> None:
    add_person(console, "sunqiang", Role.SPECIALIST, agent_no="6001")
    path = _register(tmp_path / "reg.csv", [_row(1)])
    text = tmp_path / "reg.txt"
    text.write_text("x")

    refused = _import(run, admin_db, path, user="sunqiang")
    wrong_type = _import(run, admin_db, text)

    assert_clean_failure(refused)
    assert "Your role may not import complaints" in refused.stderr
    assert_clean_failure(wrong_type)
    assert "Cannot import .txt files: use .csv or .xlsx" in wrong_type.stderr


# --- export ---------------------------------------------------------------------------------


def _export(run: Run, db: str, *args: str, user: str = "zhoumin"):  # type: ignore[no-untyped-def]
    return run(["export", "complaints", "--user", user, "--db", db, *args], env=PASSWORD)


def _complaints(console: ServiceContext, texts: list[str]) -> None:
    agent = add_person(console, "lihua", Role.AGENT, agent_no="1025")
    for i, text in enumerate(texts):
        register_complaint(console, agent, distinct_form(i, description=text, request=text))


def test_csv_on_stdout_is_excel_ready_and_never_a_formula(
    run: Run, admin_db: str, console: ServiceContext
) -> None:
    texts = ["=1+1", "+86", "-5", "@SUM(A1)", "\t=1", *MARKUP_LIKE]
    _complaints(console, texts)

    result = _export(run, admin_db, "--format", "csv")

    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    lines = list(csv.DictReader(result.stdout_bytes.decode("utf-8-sig").splitlines()))
    assert [line["description"] for line in lines[:4]] == ["'=1+1", "'+86", "'-5", "'@SUM(A1)"]
    assert [line["request"] for line in lines[5:]] == list(MARKUP_LIKE)
    assert all(not cell.startswith(("=", "+", "-", "@")) for ln in lines for cell in ln.values())
    assert lines[0]["customer_phone"] == "139****0000"
    assert f"Exported {len(texts)} complaints as csv to standard output" in result.stderr


def test_json_and_xlsx_files_are_private_and_read_back(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    _complaints(console, list(MARKUP_LIKE))

    as_json = _export(run, admin_db, "--format", "json", "--output", str(tmp_path / "c.json"))
    as_xlsx = _export(run, admin_db, "--format", "xlsx", "--output", str(tmp_path / "c.xlsx"))

    assert as_json.exit_code == 0 and as_xlsx.exit_code == 0, as_json.stderr + as_xlsx.stderr
    exported = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert [row["description"] for row in exported] == list(MARKUP_LIKE)
    sheet = load_workbook(tmp_path / "c.xlsx").active
    column = [cell.value for cell in sheet[1]].index("description")
    assert [row[column] for row in sheet.iter_rows(2, values_only=True)] == list(MARKUP_LIKE)
    for name in ("c.json", "c.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.part"))
    assert count(console, AuditEntry, AuditEntry.action == "export") == 2


def test_export_never_writes_to_a_device_or_reuses_a_part_file(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    _complaints(console, ["晚到"])
    left = tmp_path / "c.csv.part"
    left.write_text("someone else's", encoding="utf-8")
    pipe = tmp_path / "pipe"  # stands for a device such as /dev/full, which was replaced
    os.mkfifo(pipe)

    device = _export(run, admin_db, "--format", "csv", "--output", str(pipe))
    stale = _export(run, admin_db, "--format", "csv", "--output", str(tmp_path / "c.csv"))

    assert_clean_failure(device)
    assert f"Not a regular file: {pipe}" in device.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert_clean_failure(stale)
    assert "c.csv.part exists" in stale.stderr
    assert left.read_text(encoding="utf-8") == "someone else's"
    assert not (tmp_path / "c.csv").exists()


def test_a_full_disk_fails_the_export_and_leaves_no_file(
    run: Run,
    admin_db: str,
    console: ServiceContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    _complaints(console, ["晚到"])

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    result = _export(run, admin_db, "--format", "json", "--output", str(tmp_path / "c.json"))

    assert_clean_failure(result)
    assert "could not be written: No space left on device" in result.stderr
    assert "Exported" not in result.stderr
    assert not list(tmp_path.glob("c.json*"))


def test_export_neutralises_invisible_controls_stored_before_cleaning(
    run: Run, admin_db: str, console: ServiceContext
) -> None:
    from sqlalchemy import text

    _complaints(console, ["晚到"])
    with console.engine.begin() as connection:
        connection.execute(
            text("UPDATE complaints SET description = :d"), {"d": "晚\u202e到\u2066"}
        )

    result = _export(run, admin_db, "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert output_json(result)[0]["description"] == "晚到"


def test_unmask_needs_a_reason_and_is_recorded(
    run: Run, admin_db: str, console: ServiceContext
) -> None:
    _complaints(console, ["晚到"])

    no_reason = _export(run, admin_db, "--format", "json", "--unmask")
    unmasked = _export(run, admin_db, "--format", "json", "--unmask", "--reason", "客户本人申请")

    assert_clean_failure(no_reason)
    assert "reason: Required" in no_reason.stderr
    assert unmasked.exit_code == 0, unmasked.stderr
    assert output_json(unmasked)[0]["customer_phone"] == "13900000000"
    assert "personal data in full (recorded in the audit trail)" in unmasked.stderr
    entry = one(console, AuditEntry, AuditEntry.action == "export")
    assert json.loads(entry.detail)["reason"] == "客户本人申请"


@pytest.mark.parametrize("reason", ["\u200b\u202e\u200b\u202e", "[b][/b] [TODO]", "查询"])
def test_unmask_refuses_a_reason_without_visible_words(
    run: Run, admin_db: str, console: ServiceContext, reason: str
) -> None:
    _complaints(console, ["晚到"])

    result = _export(run, admin_db, "--format", "json", "--unmask", "--reason", reason)

    assert_clean_failure(result)
    assert "reason: Give the reason in a few words" in result.stderr
    assert "13900000000" not in result.output
    assert count(console, AuditEntry, AuditEntry.action == "export") == 0


def test_only_supervisors_export(run: Run, admin_db: str, console: ServiceContext) -> None:
    result = _export(run, admin_db, "--format", "json", user="wangfang")

    assert_clean_failure(result)
    assert "Your role may not export data (supervisors only)" in result.stderr
    assert count(console, AuditEntry, AuditEntry.action == "export") == 0


@pytest.mark.usefixtures("console")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "An XLSX export needs --output FILE"),
        (["--format", "csv", "--reason", "x"], "--reason is only for --unmask"),
        (["--format", "csv", "--since", "2026-13-01"], "Not a date: 2026-13-01"),
        (["--format", "csv", "--since", "0001-01-01"], "Not a plausible date: 0001-01-01"),
        (["--format", "csv", "--until", "9999-12-31"], "Not a plausible date: 9999-12-31"),
        (["--format", "pdf"], "pdf"),
    ],
)
def test_usage_errors(run: Run, admin_db: str, args: list[str], message: str) -> None:
    result = _export(run, admin_db, *args)

    assert_clean_failure(result, code=2)
    assert message in result.stderr


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_register_message_exists_in_both_languages(lang: str) -> None:
    from cs_console.domain.register_rows import COLUMNS, RowError
    from cs_console.i18n import catalog

    messages = catalog(lang)

    assert all(messages.get(f"error.{code.value}") for code in RowError)
    assert all(messages.get(f"import.field.{name}") for name in COLUMNS)
