"""Exporting complaints (services/complaint_export.py and export_writers.py), on both
engines: supervisors only, masked unless unmasked with a reason, always recorded, every
format read back literally, streamed a page at a time."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cs_console.domain.enums import Role
from cs_console.services import complaint_export
from cs_console.services.complaint_export import FIELDS, ExportRequest, open_export
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, InvalidInput, PermissionDenied, ServiceContext
from cs_console.services.export_writers import FLAT_FIELDS, write_csv, write_json, write_xlsx
from cs_console.storage.tables import AuditEntry
from tests.conftest import add_person
from tests.injections import MARKUP_LIKE, NO_VISIBLE_WORDS
from tests.services.helpers import count, distinct_form, loss_form, one, phone, tracking

ISO_WITH_OFFSET = "%Y-%m-%dT%H:%M:%S%z"
EXPORTS = AuditEntry.action == "export"


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")


def _rows(console: ServiceContext, boss: Actor, **request: object) -> list[dict]:
    return list(open_export(console, boss, ExportRequest("json", **request)).rows())  # type: ignore[arg-type]


def test_json_fields_with_iso_times_and_offsets(
    console: ServiceContext, agent: Actor, boss
) -> None:
    registered = register_complaint(console, agent, distinct_form(1, customer_name="张伟"))

    [row] = _rows(console, boss)

    assert set(FIELDS) <= set(row)
    assert row["id"] == registered.id and row["reference"] == registered.reference
    assert (row["category"], row["severity"], row["status"], row["channel"]) == (
        "delay",
        "general",
        "registered",
        "phone",
    )
    assert row["tracking_no"] == tracking(1)
    assert row["registered_at"] == "2026-11-22T14:00:00+08:00"
    assert row["verify_due"] == "2026-11-22T15:00:00+08:00"
    assert datetime.strptime(row["resolve_due"], ISO_WITH_OFFSET).utcoffset() == timedelta(hours=8)
    assert row["followup_due"] is None and row["closed_at"] is None
    assert row["compensation"] == {"kind": "coupon", "amount": 10.0}  # 2 days late: 10 yuan
    assert row["owner"] == "wangfang"
    assert (row["customer_name"], row["customer_phone"]) == ("张*", "139****0001")


def test_unmasked_only_with_a_reason_and_recorded(console: ServiceContext, agent, boss) -> None:
    register_complaint(console, agent, distinct_form(1, customer_name="张伟"))

    with pytest.raises(InvalidInput) as refused:
        open_export(console, boss, ExportRequest("csv", unmask=True, reason="  "))
    assert refused.value.fields == {"reason": "required"}
    assert count(console, AuditEntry, EXPORTS) == 0

    export = open_export(
        console, boss, ExportRequest("csv", unmask=True, reason="警方调查函", destination="x.csv")
    )
    [row] = list(export.rows())

    assert (row["customer_name"], row["customer_phone"]) == ("张伟", phone(1))
    entry = one(console, AuditEntry, EXPORTS)
    assert (entry.action, entry.actor_id, entry.target) == ("export", boss.id, "complaints")
    assert json.loads(entry.detail) == {
        "destination": "x.csv",
        "format": "csv",
        "reason": "警方调查函",
        "rows": 1,
        "since": None,
        "unmasked": True,
        "until": None,
    }


@pytest.mark.parametrize("reason", [*NO_VISIBLE_WORDS, "查询"])  # or one word
def test_an_unmasked_export_needs_visible_words_for_its_reason(
    console: ServiceContext, agent, boss, reason: str
) -> None:
    register_complaint(console, agent, distinct_form(1, customer_name="张伟"))

    with pytest.raises(InvalidInput) as refused:
        open_export(console, boss, ExportRequest("csv", unmask=True, reason=reason))

    assert refused.value.fields == {"reason": "reason_too_vague"}
    assert count(console, AuditEntry, EXPORTS) == 0


def test_every_masked_export_is_recorded_too(console: ServiceContext, agent, boss) -> None:
    register_complaint(console, agent, distinct_form(1))

    _rows(console, boss, since=date(2026, 11, 1))

    detail = json.loads(one(console, AuditEntry, EXPORTS).detail)
    assert (detail["unmasked"], detail["reason"], detail["since"], detail["rows"]) == (
        False,
        None,
        "2026-11-01",
        1,
    )


@pytest.mark.parametrize("role", [Role.AGENT, Role.SPECIALIST, Role.OUTLET, Role.ADMIN])
def test_only_supervisors_export(console: ServiceContext, role: Role) -> None:
    person = add_person(console, "someone", role, agent_no="7001", outlet="浦东网点")

    with pytest.raises(PermissionDenied) as refused:
        open_export(console, person, ExportRequest("json"))

    assert refused.value.code == "refused_export"
    assert count(console, AuditEntry, EXPORTS) == 0


def test_since_and_until_are_local_days_inclusive(
    console: ServiceContext, agent, boss, clock
) -> None:
    for i in range(4):  # 11-22, 11-23, 11-24, 11-25 at 14:00 Shanghai
        register_complaint(console, agent, distinct_form(i))
        clock.advance(days=1)

    picked = _rows(console, boss, since=date(2026, 11, 23), until=date(2026, 11, 24))

    assert [row["registered_at"][:10] for row in picked] == ["2026-11-23", "2026-11-24"]
    with pytest.raises(InvalidInput):
        _rows(console, boss, since=date(2026, 11, 24), until=date(2026, 11, 23))


def test_rows_are_read_a_page_at_a_time(console: ServiceContext, agent, boss, monkeypatch) -> None:
    monkeypatch.setattr(complaint_export, "PAGE", 3)
    for i in range(8):
        register_complaint(console, agent, distinct_form(i))

    export = open_export(console, boss, ExportRequest("json"))

    assert export.total == 8
    assert [row["customer_phone"][-4:] for row in export.rows()] == [f"{i:04d}" for i in range(8)]


# --- the formats, read back ----------------------------------------------------------------


def _hostile(console: ServiceContext, agent: Actor) -> list[str]:
    """A complaint per hostile text, in its name, description, request and outlet."""
    texts = [*MARKUP_LIKE, '=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "'quoted"]
    for i, text in enumerate(texts):
        form = loss_form(
            phone=phone(i),
            tracking_no=tracking(i),
            customer_name=f"{text}李",
            description=text,
            request=f"{text}\n第二行",
            outlet=text,
        )
        register_complaint(console, agent, form)
    return texts


def test_csv_has_a_bom_a_header_and_no_formula_cell(console: ServiceContext, agent, boss) -> None:
    texts = _hostile(console, agent)
    stream = io.StringIO(newline="")

    write_csv(open_export(console, boss, ExportRequest("csv")).rows(), stream)
    encoded = stream.getvalue().encode("utf-8-sig")

    assert encoded.startswith(b"\xef\xbb\xbf")
    header, *lines = list(csv.reader(io.StringIO(encoded.decode("utf-8-sig"), newline="")))
    assert tuple(header) == FLAT_FIELDS
    for cells in lines:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    description = [dict(zip(header, cells, strict=True))["description"] for cells in lines]
    assert description == [("'" + t if t[0] in "=+-@'" else t) for t in texts]


def test_every_format_reads_back_literally(console: ServiceContext, agent, boss, tmp_path) -> None:
    from cs_console.domain.spreadsheet_cells import restore_cell

    texts = _hostile(console, agent)
    rows = lambda: open_export(console, boss, ExportRequest("json")).rows()  # noqa: E731
    text_out = io.StringIO()
    write_json(rows(), text_out)
    from_json = json.loads(text_out.getvalue())
    csv_out = io.StringIO(newline="")
    write_csv(rows(), csv_out)
    csv_rows = list(csv.DictReader(io.StringIO(csv_out.getvalue(), newline="")))
    write_xlsx(rows(), tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header = [cell.value for cell in sheet[1]]
    xlsx_rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    ]

    for i, text in enumerate(texts):
        for read in (
            from_json[i],
            xlsx_rows[i],
            {k: restore_cell(v) for k, v in csv_rows[i].items()},
        ):
            assert read["description"] == text
            assert read["request"] == f"{text}\n第二行"
            assert read["outlet"] == text
    assert all(cell.data_type == "s" for row in sheet.iter_rows(2) for cell in row[-2:])
    assert len(from_json) == len(csv_rows) == len(xlsx_rows) == len(texts)


def test_an_empty_export_is_still_well_formed(
    console: ServiceContext, boss, tmp_path: Path
) -> None:
    stream = io.StringIO()
    write_json(open_export(console, boss, ExportRequest("json")).rows(), stream)
    write_xlsx(open_export(console, boss, ExportRequest("xlsx")).rows(), tmp_path / "e.xlsx")

    assert json.loads(stream.getvalue()) == []
    assert [c.value for c in load_workbook(tmp_path / "e.xlsx").active[1]] == list(FLAT_FIELDS)
