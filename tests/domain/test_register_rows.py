"""Register rows read as registration forms: headers in either language, register words,
registration times, and the import key."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cs_console.config.policy_file import default_policy
from cs_console.domain.complaint_entry import check_complaint_form
from cs_console.domain.register_rows import (
    COLUMNS,
    form_from_row,
    import_key,
    map_header,
    parse_registered_at,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
LIMITS = default_policy().limits


def test_a_mixed_language_header_maps_every_column() -> None:
    header = ["姓名", "Phone", "快递单号", "category", "延误天数", "物品价值（元）", "Insured"]
    header += ["保价金额", "shipping_fee", "登记时间", "Description", "诉求", "渠道", "网点"]

    mapping, problems = map_header(header)

    assert problems is None
    assert [mapping[i] for i in range(len(header))] == [
        "customer_name", "phone", "tracking_no", "category", "days_late", "declared_value",
        "insured", "insured_amount", "shipping_fee", "registered_at", "description",
        "request", "channel", "outlet",
    ]  # fmt: skip


def test_every_documented_column_name_is_understood() -> None:
    for field, names in COLUMNS.items():
        for name in names:
            mapping, _ = map_header([f" {name.upper()} "])
            assert mapping == {0: field}, name


def test_unknown_missing_and_repeated_columns_are_all_named() -> None:
    _, problems = map_header(["姓名", "name", "联系电活", "快递单号", "", "行号", "原因"])

    assert problems is not None
    assert problems.unknown == ("联系电活",)
    assert problems.repeated == ("customer_name",)
    assert set(problems.missing) == {
        "phone",
        "category",
        "description",
        "request",
        "registered_at",
    }


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("2026-11-20 14:30", "2026-11-20 14:30"),
        ("2026/11/20 14:30:05", "2026-11-20 14:30:05"),
        ("2026年11月20日 9:05", "2026-11-20 09:05"),
        ("2026-11-20T14:30:00", "2026-11-20 14:30"),
        ("２０２６-１１-２０ １４:３０", "2026-11-20 14:30"),
    ],
)
def test_registration_times_in_local_time(typed: str, local: str) -> None:
    moment, problem = parse_registered_at(typed, SHANGHAI)

    assert problem is None
    expected = datetime.fromisoformat(local).replace(tzinfo=SHANGHAI)
    assert moment == expected


def test_a_time_with_an_offset_keeps_it() -> None:
    moment, _ = parse_registered_at("2026-11-20T06:30:00+00:00", SHANGHAI)

    assert moment == datetime(2026, 11, 20, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "required"),
        ("2026-11-20", "not_a_time"),
        ("明天", "not_a_time"),
        ("25:00", "not_a_time"),
        ("0001-01-01 10:00", "registered_out_of_range"),
        ("9999-12-31 23:59", "registered_out_of_range"),
    ],
)
def test_unreadable_registration_times(typed: str, problem: str) -> None:
    assert parse_registered_at(typed, SHANGHAI) == (None, problem)


def _row(**changes: str) -> dict[str, str]:
    row = {
        "customer_name": "李雷",
        "phone": "138 1234 5678",
        "tracking_no": "sf1311-2345-67890",
        "category": "延误",
        "days_late": "3天",
        "insured": "否",
        "description": "包裹晚到",
        "request": "道歉",
        "channel": "电话",
        "registered_at": "2026-11-21 09:00",
    }
    return {**row, **changes}


def test_register_words_become_the_forms_values() -> None:
    form, moment, errors = form_from_row(
        _row(category="丢失", insured="是", insured_amount="1000", channel="到店"), SHANGHAI, NOW
    )

    assert errors == {}
    assert (form.category, form.insured, form.channel) == ("loss", True, "walk_in")
    assert moment == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("word", "category"),
    [("delay", "delay"), ("DAMAGE", "damage"), ("服务态度", "attitude"), ("其它", "other")],
)
def test_category_words_in_both_languages(word: str, category: str) -> None:
    form, _, _ = form_from_row(_row(category=word), SHANGHAI, NOW)

    assert form.category == category


def test_yes_no_in_both_languages_and_anything_else_is_an_error() -> None:
    for word, ticked in (("yes", True), ("Y", True), ("是", True), ("no", False), ("", False)):
        form, _, errors = form_from_row(_row(item_damaged=word), SHANGHAI, NOW)
        assert (form.item_damaged, errors) == (ticked, {}), word
    _, _, errors = form_from_row(_row(item_damaged="也许"), SHANGHAI, NOW)
    assert errors == {"item_damaged": "not_yes_no"}


def test_an_unknown_category_is_named_by_the_register_as_well_as_refused_by_the_form() -> None:
    form, _, errors = form_from_row(_row(category="催件"), SHANGHAI, NOW)

    assert errors == {"category": "unknown_category"}
    assert check_complaint_form(form, LIMITS)[1] == {"category": "category_invalid"}


def test_a_blank_channel_is_the_phone_and_a_future_time_is_refused() -> None:
    form, _, errors = form_from_row(
        _row(channel="", registered_at="2026-11-22 14:01"), SHANGHAI, NOW
    )

    assert form.channel == "phone"
    assert errors == {"registered_at": "registered_in_future"}


def test_an_apostrophe_an_export_added_is_removed() -> None:
    form, _, _ = form_from_row(_row(description="'=1+1"), SHANGHAI, NOW)

    assert form.description == "=1+1"


def _key(**changes: str) -> str:
    form, moment, _ = form_from_row(_row(**changes), SHANGHAI, NOW)
    valid, errors = check_complaint_form(form, LIMITS)
    assert valid is not None and moment is not None, errors
    return import_key(valid, moment)


def test_the_import_key_ignores_spelling_but_not_content() -> None:
    key = _key()

    assert _key(phone="13812345678", category="delay", days_late="3") == key
    assert _key(tracking_no="SF1311234567890", registered_at="2026/11/21 09:00:00") == key
    assert _key(days_late="4") != key
    assert _key(registered_at="2026-11-21 09:01") != key
    assert _key(description="包裹晚到了") != key
