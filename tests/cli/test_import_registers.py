"""cs-console import of registers as branch offices really keep them: title rows, extra
columns, merged and error cells, date-only cells, several sheets, repeated rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from cs_console.domain.enums import Role
from cs_console.services.context import ServiceContext
from cs_console.storage.tables import Complaint
from tests.cli.conftest import Run, add_person, assert_clean_failure, output_json, services_on
from tests.services.helpers import count, rows

PASSWORD = {"CS_CONSOLE_PASSWORD": "secret-pass-1"}  # add_person's
HEADER = ["客户姓名", "联系电话", "快递单号", "投诉类型", "延误天数", "问题描述", "客户诉求"]
HEADER += ["网点", "登记时间"]
YESTERDAY = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).replace(
    hour=10, minute=30, second=0, microsecond=0, tzinfo=None
)


@pytest.fixture
def admin_db(admin_db_on_each_engine: str) -> str:
    """These imports run on both engines."""
    return admin_db_on_each_engine


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    """The CLI's database with an agent (wangfang)."""
    with services_on(admin_db) as console:
        add_person(console, "wangfang", Role.AGENT, agent_no="1024")
        yield console


def _row(i: int, **changes: Any) -> list[Any]:
    row: dict[str, Any] = {
        "客户姓名": f"客户{i}",
        "联系电话": f"1381234{i:04d}",
        "快递单号": f"SF1312{i:09d}",
        "投诉类型": "延误",
        "延误天数": "2",
        "问题描述": "包裹晚到",
        "客户诉求": "尽快派送",
        "网点": "",
        "登记时间": YESTERDAY.strftime("%Y-%m-%d %H:%M"),
    }
    row.update(changes)
    return list(row.values())


def _book(rows: list[list[Any]], header: list[str] = HEADER) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book


def _import(run: Run, db: str, path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run(["import", str(path), "--user", "wangfang", "--db", db, *extra], env=PASSWORD)


def test_an_excel_error_cell_refuses_its_row_naming_the_column(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    book = _book([_row(1, 客户姓名="#N/A"), _row(2), _row(3, 问题描述="#REF!")])
    sheet = book.active
    assert sheet is not None and sheet["A2"].data_type == "e"  # as Excel stores #N/A
    book.save(path := tmp_path / "errors.xlsx")

    result = _import(run, admin_db, path)

    assert_clean_failure(result)
    assert "line 2: Name: the cell holds the error #N/A" in result.stderr
    assert "line 4: Description: the cell holds the error #REF!" in result.stderr
    assert count(console, Complaint) == 0


def test_a_date_cell_without_a_time_is_refused_and_a_date_time_cell_imports(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    book = _book([_row(1, 登记时间=YESTERDAY), _row(2, 登记时间=YESTERDAY), _row(3)])
    sheet = book.active
    assert sheet is not None
    sheet["I2"].number_format = "yyyy/m/d h:mm"
    sheet["I3"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["I4"] = YESTERDAY
    sheet["I4"].number_format = "yyyy/m/d"
    book.save(path := tmp_path / "dates.xlsx")

    result = _import(run, admin_db, path, "--skip-invalid")

    assert result.exit_code == 0, result.stderr
    assert "line 3: Registered at: Not a date and time, e.g. 2026-11-20 14:30" in result.stderr
    assert "line 4: Registered at: Not a date and time" in result.stderr
    assert output_json(result)["imported"] == 1


def test_every_cell_of_a_merged_range_holds_its_value(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    book = _book([_row(1, 网点="杭州西湖网点", 登记时间=YESTERDAY), _row(2), _row(3)])
    sheet = book.active
    assert sheet is not None
    sheet["I2"].number_format = "yyyy/m/d h:mm"
    sheet["H3"] = sheet["H4"] = sheet["I3"] = sheet["I4"] = None
    sheet.merge_cells("H2:H4")
    sheet.merge_cells("I2:I4")
    book.save(path := tmp_path / "merged.xlsx")

    result = _import(run, admin_db, path)

    assert result.exit_code == 0, result.stderr
    assert output_json(result)["imported"] == 3
    assert {c.outlet for c in rows(console, Complaint)} == {"杭州西湖网点"}


def test_a_header_cell_merged_across_columns_names_its_first_column_only(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    header = [*HEADER[:2], "", *HEADER[2:]]  # 联系电话 over a mobile and a landline column
    row = _row(1)
    book = _book([[*row[:2], "010-12345678", *row[2:]]], header=header)
    sheet = book.active
    assert sheet is not None
    sheet.merge_cells("B1:C1")
    book.save(path := tmp_path / "two_phones.xlsx")

    result = _import(run, admin_db, path)

    assert result.exit_code == 0, result.stderr
    assert output_json(result)["imported"] == 1


def test_a_title_row_above_the_header_keeps_the_files_line_numbers(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    book = _book([HEADER, _row(1), _row(2, 联系电话="12345")], header=["2026年12月投诉登记表"])
    sheet = book.active
    assert sheet is not None
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    book.save(workbook := tmp_path / "title.xlsx")
    register = tmp_path / "title.csv"
    with register.open("w", encoding="gb18030", newline="") as stream:
        csv.writer(stream).writerows([["2026年12月投诉登记表"], [], HEADER, _row(3, 联系电话="1")])

    from_workbook = _import(run, admin_db, workbook)
    from_csv = _import(run, admin_db, register)

    assert_clean_failure(from_workbook)
    assert "line 4: Phone: Not a valid phone number" in from_workbook.stderr
    assert "line 4: Phone: Not a valid phone number" in from_csv.stderr
    assert "header" not in from_workbook.stderr + from_csv.stderr


def test_unknown_columns_are_ignored_and_said_and_common_aliases_are_understood(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    header = ["序号", *HEADER[:9], "备注"]
    header[2], header[9] = "手机号码", "登记日期"
    _book([[1, *_row(1), "已回访"]], header=header).save(path := tmp_path / "extra.xlsx")

    result = _import(run, admin_db, path)

    assert result.exit_code == 0, result.stderr
    assert "Columns ignored: 序号, 备注" in result.stderr
    assert output_json(result)["imported"] == 1


def test_the_sheet_read_is_named_when_the_workbook_has_others(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    book = _book([_row(1)])
    assert book.active is not None
    book.active.title = "12月"
    book.create_sheet("11月").append(HEADER)
    book.save(path := tmp_path / "months.xlsx")

    result = _import(run, admin_db, path)

    assert result.exit_code == 0, result.stderr
    assert 'Read sheet "12月"; not read: 11月' in result.stderr


def test_the_register_is_read_from_the_sheet_that_holds_it(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    book = _book([_row(1), _row(2)])
    notes = book.create_sheet("填表说明", 0)  # an instructions sheet first, as offices do
    notes.append(["请在第二页填写，每行一件投诉"])
    notes.append(["电话填手机号，登记时间精确到分钟"])
    book.worksheets[1].title = "12月"
    book.save(path := tmp_path / "with_notes.xlsx")

    result = _import(run, admin_db, path)

    assert result.exit_code == 0, result.stderr  # (it read the notes and found no header)
    assert 'Read sheet "12月"; not read: 填表说明' in result.stderr
    assert count(console, Complaint) == 2


def test_a_row_repeated_in_the_file_is_not_called_already_imported(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    _book([_row(1), _row(1), _row(2)]).save(path := tmp_path / "twice.xlsx")

    first = _import(run, admin_db, path)
    again = _import(run, admin_db, path)

    assert first.exit_code == 0, first.stderr
    assert "line 3 repeats line 2: imported once" in first.stderr
    assert "Imported 2 complaints, owned by wangfang; 0 rows already imported" in first.stderr
    assert output_json(first)["repeated_in_file"] == 1
    assert "2 rows already imported before" in again.stderr
    assert count(console, Complaint) == 2


def test_days_late_and_an_unknown_type_say_what_is_wrong(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    bad = [_row(1, 延误天数=0), _row(2, 延误天数="abc"), _row(3, 投诉类型="催件")]
    _book(bad).save(path := tmp_path / "words.xlsx")

    result = _import(run, admin_db, path)

    assert_clean_failure(result)
    assert "line 2: Days late: A delay is at least 1 day late" in result.stderr
    assert "line 3: Days late: Enter a whole number of days, e.g. 3" in result.stderr
    assert "line 4: Type: “催件” is not a complaint type: write 延误, 丢失" in result.stderr
    assert "Required" not in result.stderr and "12.50" not in result.stderr
