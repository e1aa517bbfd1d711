"""Backfilling a register (services/complaint_import.py), on both engines: all or nothing,
every bad row named, import keys, clocks from the register's time, customer text kept."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from cs_console.domain.enums import Role
from cs_console.services.complaint_import import BadHeader, RowsInvalid, import_register
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.services.register_files import RegisterTable, read_register
from cs_console.storage.customers import open_name
from cs_console.storage.tables import Complaint, Customer, Event
from tests.conftest import START, TEST_DATA_KEY, add_person
from tests.injections import ESCAPES, MARKUP_LIKE
from tests.services.helpers import count, one, rows

NINE = START.astimezone(ZoneInfo("Asia/Shanghai")).replace(hour=9)  # 11-22 09:00 local
HEADER = ("姓名", "联系电话", "快递单号", "投诉类型", "延误天数", "问题描述", "诉求", "登记时间")


def line(i: int, **changes: str) -> tuple[str, ...]:
    """A valid register row: a 2-day delay, registered i minutes before 09:00 on 11-22."""
    moment = (NINE - timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M")
    row = {
        "姓名": f"客户{i}",
        "联系电话": f"139{i:08d}",
        "快递单号": f"YT{4400000000 + i}",
        "投诉类型": "延误",
        "延误天数": "2",
        "问题描述": "包裹晚到",
        "诉求": "尽快派送",
        "登记时间": moment,
    }
    row.update(changes)
    return tuple(row[name] for name in HEADER)


def register(*lines: tuple[str, ...], header: tuple[str, ...] = HEADER) -> RegisterTable:
    return RegisterTable(header, tuple((n, cells) for n, cells in enumerate(lines, start=2)))


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")


def test_one_bad_row_in_a_thousand_imports_nothing_and_is_named(
    console: ServiceContext, agent: Actor
) -> None:
    lines = [line(i) for i in range(1000)]
    lines[636] = line(636, **{"联系电话": "12345"})

    with pytest.raises(RowsInvalid) as invalid:
        import_register(console, agent, register(*lines))

    [bad] = invalid.value.rejected
    assert (bad.line, bad.errors) == (638, {"phone": "phone_invalid"})  # header is line 1
    assert count(console, Complaint) == count(console, Customer) == count(console, Event) == 0


def test_every_bad_row_is_listed_with_every_wrong_field(
    console: ServiceContext, agent: Actor
) -> None:
    table = register(
        line(1),
        line(2, **{"投诉类型": "未知", "诉求": ""}),
        line(3),
        line(4, **{"登记时间": "昨天", "延误天数": "-1"}),
    )

    with pytest.raises(RowsInvalid) as invalid:
        import_register(console, agent, table)

    assert [(r.line, r.errors) for r in invalid.value.rejected] == [
        (3, {"category": "unknown_category", "request": "required"}),
        (5, {"days_late": "negative", "registered_at": "not_a_time"}),
    ]


def test_the_importer_owns_the_rows_and_clocks_start_at_the_registers_time(
    console: ServiceContext, agent: Actor, clock
) -> None:
    clock.advance(days=2)  # two days after the outage: the 24 h clocks are breached already

    report = import_register(console, agent, register(line(0), line(1)))

    assert (report.imported, report.already_imported, report.rejected) == (2, 0, ())
    first, second = rows(console, Complaint)
    assert {first.owner_id, second.owner_id} == {agent.id}
    assert first.registered_at == START.replace(hour=1) - timedelta(minutes=1)  # 08:59 local
    assert first.verify_due == first.registered_at + timedelta(hours=1)
    assert first.resolve_due == first.registered_at + timedelta(hours=24) < clock()
    # References follow the register's time (older first) and its day.
    assert (first.reference, second.reference) == ("C-20261122-0001", "C-20261122-0002")
    assert report.first_reference == "C-20261122-0001"
    registered = one(console, Event, Event.complaint_id == first.id)
    assert registered.at == first.registered_at and '"imported": true' in registered.detail


def test_the_same_register_twice_adds_nothing(
    console: ServiceContext, agent: Actor, boss: Actor
) -> None:
    table = register(*(line(i) for i in range(5)))
    import_register(console, agent, table)

    again = import_register(console, boss, table)

    assert (again.imported, again.already_imported) == (0, 5)
    assert count(console, Complaint) == 5


def test_the_same_complaint_spelled_differently_is_still_one(
    console: ServiceContext, agent: Actor
) -> None:
    import_register(console, agent, register(line(1)))
    respelled = line(1, **{"联系电话": "139 0000 0001", "投诉类型": "delay", "延误天数": "2天"})

    report = import_register(console, agent, register(respelled, line(2), line(2)))

    # line(2) twice is a repeat within the file, registered once, not "imported before".
    assert (report.imported, report.already_imported, report.repeats) == (1, 1, ((4, 3),))
    assert count(console, Complaint) == 2


def test_skip_invalid_imports_the_good_rows_and_returns_the_rejects(
    console: ServiceContext, agent: Actor
) -> None:
    report = import_register(
        console, agent, register(line(1), line(2, **{"快递单号": "XX"}), line(3)), skip_invalid=True
    )

    assert report.imported == 2
    assert [(r.line, r.errors, r.cells[2]) for r in report.rejected] == [
        (3, {"tracking_no": "tracking_invalid"}, "XX")
    ]
    assert count(console, Complaint) == 2


def test_a_header_it_cannot_read_imports_nothing(console: ServiceContext, agent: Actor) -> None:
    header = ("姓名", "电话号码", *HEADER[2:7])

    with pytest.raises(BadHeader) as bad:
        import_register(console, agent, register(line(1)[:7], header=header))

    assert bad.value.problems.unknown == ("电话号码",)
    assert set(bad.value.problems.missing) == {"phone", "registered_at"}


def test_an_interrupted_import_leaves_the_database_as_it_was(
    console: ServiceContext, agent: Actor
) -> None:
    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "store" and done == 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_register(console, agent, register(*(line(i) for i in range(50))), progress=interrupt)

    assert count(console, Complaint) == count(console, Customer) == 0


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.OUTLET, Role.ADMIN])
def test_only_agents_and_supervisors_import(console: ServiceContext, role: Role) -> None:
    person = add_person(console, "someone", role, agent_no="7001", outlet="浦东网点")

    with pytest.raises(PermissionDenied) as refused:
        import_register(console, person, register(line(1)))

    assert refused.value.code == "refused_import_complaints"
    assert count(console, Complaint) == 0


def test_injection_strings_are_imported_as_typed(console: ServiceContext, agent: Actor) -> None:
    lines = [
        line(i, **{"姓名": f"张{text}", "问题描述": f"描述{text}", "诉求": text})
        for i, text in enumerate(MARKUP_LIKE)
    ]
    escapes = "".join(ESCAPES)
    lines.append(line(99, **{"姓名": f"李{escapes}娜", "问题描述": f"晚到{escapes}了"}))

    import_register(console, agent, register(*lines))

    stored = {c.request: c for c in rows(console, Complaint)}
    names = {open_name(c.name, TEST_DATA_KEY) for c in rows(console, Customer)}  # sealed
    for text in MARKUP_LIKE:
        assert stored[text].description == f"描述{text}"
        assert f"张{text}" in names
    assert stored["尽快派送"].description == "晚到了"  # escapes are stripped, as in the form
    assert "李娜" in names


def _write_csv(path: Path, header: tuple[str, ...], lines: list[tuple[str, ...]], enc: str) -> None:
    with path.open("w", encoding=enc, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(lines)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_registers_in_the_encodings_excel_writes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "登记表.csv"
    _write_csv(
        path, HEADER, [line(1, **{"问题描述": "第一行\n第二行"}), ("",) * 8, line(2)], encoding
    )

    table = read_register(path)

    assert table.header == HEADER
    assert [n for n, _ in table.rows] == [2, 5]  # a two-line cell, then a blank line skipped
    assert table.rows[0][1][5] == "第一行\n第二行"


def test_xlsx_registers_with_numbers_and_dates_as_excel_stores_them(
    console: ServiceContext, agent: Actor, tmp_path: Path
) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Phone", "Tracking no", "Type", "Days late", "Description"])
    sheet["G1"], sheet["H1"] = "Request", "Registered at"
    sheet.append(["张伟", 13800000001, "YT4400000001", "delay", 3, "=1+1", "[TODO]"])
    sheet["H2"] = datetime(2026, 11, 21, 9, 30)
    sheet["F2"].data_type = "s"  # typed as '=1+1 in Excel: text, not a formula
    sheet.append([])
    sheet.append(["李娜", 13800000002, "YT4400000002", "loss", None, "丢了", "赔偿"])
    sheet["H4"] = datetime(2026, 11, 21, 10, 0)
    path = tmp_path / "register.xlsx"
    book.save(path)

    table = read_register(path)
    report = import_register(console, agent, table, skip_invalid=True)

    assert [n for n, _ in table.rows] == [2, 4]
    assert table.rows[0][1][1] == "13800000001"
    assert report.imported == 1
    assert [(r.line, r.errors) for r in report.rejected] == [(4, {"declared_value": "required"})]
    complaint = one(console, Complaint)
    assert (complaint.days_late, complaint.description, complaint.request) == (3, "=1+1", "[TODO]")
    assert complaint.registered_at == START.replace(day=21, hour=1, minute=30)


def test_a_workbook_claiming_a_huge_used_range_is_read_by_its_real_cells(
    console: ServiceContext, agent: Actor, tmp_path: Path
) -> None:
    import zipfile

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Phone", "Tracking no", "Type", "Days late", "Description", "Request"])
    sheet.append(["张伟", "13800000001", "YT4400000001", "delay", 3, "晚了", "快点"])
    sheet["H1"], sheet["H2"] = "Registered at", "2026-11-21 09:30"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    # As a sheet with a stray format on whole columns claims it (XFD1048576 is Excel's last
    # cell; 2,000 rows keep a regression to padding every row within seconds, not hours).
    claimed = tmp_path / "claimed.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(claimed, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:H2" />', b'<dimension ref="A1:XFD2000" />')
                assert b"XFD2000" in data
            target.writestr(item, data)

    table = read_register(claimed)

    assert len(table.header) == 8
    assert [(n, len(cells)) for n, cells in table.rows] == [(2, 8)]
    assert import_register(console, agent, table).imported == 1
