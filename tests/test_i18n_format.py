"""Money, times and plurals as every screen writes them (cs_console/i18n.py, by Babel)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cs_console.i18n import (
    LANGUAGES,
    clock_time,
    day_time,
    due_time,
    full_time,
    money,
    money_input,
    set_language,
    spoken_time,
    t,
    year_month,
)

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("zh-CN")


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "¥0"),
        (1, "¥0.01"),
        (1500, "¥15"),
        (1250, "¥12.50"),
        (850, "¥8.50"),
        (123450, "¥1,234.50"),
        (123456, "¥1,234.56"),
        (999_900, "¥9,999"),
        (100_000_000, "¥1,000,000"),
    ],
)
def test_money_reads_as_yuan_in_both_languages(lang: str, fen: int, text: str) -> None:
    assert money(fen) == text


def test_an_amount_to_edit_has_no_symbol_and_no_grouping(lang: str) -> None:
    assert [money_input(f) for f in (None, 0, 1500, 850, 123450)] == [
        "", "0", "15", "8.50", "1234.50",
    ]  # fmt: skip


def test_due_times_show_the_day_only_when_it_is_not_today(lang: str) -> None:
    assert due_time(NOW + timedelta(hours=6), NOW, SHANGHAI) == "20:00"
    assert due_time(NOW + timedelta(hours=48), NOW, SHANGHAI) == "11-24 14:00"


def test_times_in_the_zone_given(lang: str) -> None:
    at = datetime(2026, 11, 5, 10, 2, 7, tzinfo=UTC)
    assert clock_time(at, SHANGHAI) == "18:02"
    assert day_time(at, SHANGHAI) == "11-05 18:02"
    assert full_time(at, SHANGHAI) == "2026-11-05 18:02"
    assert full_time(at, SHANGHAI, seconds=True) == "2026-11-05 18:02:07"
    assert year_month(at, SHANGHAI) == "2026-11"
    assert clock_time(at.astimezone(SHANGHAI)) == "18:02"  # no zone: the moment's own


def test_the_script_says_the_deadline_in_its_language() -> None:
    at = datetime(2026, 11, 5, 10, 2, tzinfo=UTC)
    set_language("en")
    assert spoken_time(at, SHANGHAI) == "18:02 on 05 Nov"
    set_language("zh-CN")
    assert spoken_time(at, SHANGHAI) == "11月05日 18:02"


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 callbacks queued"), (1, "1 callback queued"), (2, "2 callbacks queued")],
)
def test_english_plurals_follow_the_count(count: int, text: str) -> None:
    set_language("en")
    assert t("incident.queued", count=count) == text
    set_language("zh-CN")


def test_english_plurals_of_days_rows_and_records() -> None:
    set_language("en")
    assert t("incident.delay_days", count=1) == "1 day"
    assert t("incident.delay_days", count=3) == "3 days"
    assert t("ui.reason.delay_days", count=1) == "delay ≥ 1 day"
    assert t("journal.replay.sent", count=1) == "1 offline record sent to the server"
    assert t("error.import_rows_invalid", count=12) == "12 invalid rows"
    duplicates = t("import.duplicates", count=1)
    assert t("import.done", count=5, owner="wangfang", duplicates=duplicates) == (
        "Imported 5 complaints, owned by wangfang; 1 row already imported before"
    )
    set_language("zh-CN")


@pytest.mark.parametrize("count", [0, 1, 2, 21])
def test_chinese_has_one_form(count: int) -> None:
    set_language("zh-CN")
    assert t("incident.queued", count=count) == f"已安排 {count} 个回拨"
    assert t("incident.delay_days", count=count) == f"{count}天"


def test_count_still_fills_an_entry_that_is_not_plural() -> None:
    set_language("en")
    assert t("ui.kept.line", count=2) == "✎ Forms kept for later: 2 · F12"
    set_language("zh-CN")


def test_a_plural_entry_without_a_count_is_not_guessed() -> None:
    assert t("incident.queued") == "incident.queued"  # a bug shows as its key, never a form
