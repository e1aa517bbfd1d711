"""The daily anchor each sign-in keeps, and checking anchors against the chain."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from cs_console.config.paths import data_dir
from cs_console.config.settings import load_settings
from cs_console.domain.enums import Role
from cs_console.i18n import current_language, set_language
from cs_console.services.accounts import authenticate
from cs_console.services.audit_anchors import (
    AnchorFileError,
    AnchorReport,
    check_anchors,
    daily_anchor,
    database_label,
    read_anchors,
    take_anchor,
)
from cs_console.services.audit_checks import AuditAlarm
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.storage.audit import AuditLine, AuditReport
from tests.conftest import FakeClock, add_person

PASSWORD = "secret-pass-1"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


@pytest.fixture
def admin(console: ServiceContext) -> Actor:
    return add_person(console, "root", Role.ADMIN, agent_no="0001")


def _daily() -> Path:
    return data_dir() / "audit-anchors.jsonl"


def _sql(console: ServiceContext, statement: str, **values: object) -> None:
    with console.engine.begin() as conn:
        conn.execute(text(statement), values)


def test_one_anchor_a_day_owner_only(
    console: ServiceContext, clock: FakeClock, admin: Actor
) -> None:
    assert daily_anchor(console) == _daily()
    assert daily_anchor(console) is None  # one a day
    clock.advance(days=1)
    authenticate(console, "root", PASSWORD)
    assert daily_anchor(console) == _daily()

    anchors = read_anchors(_daily())
    assert [a.entries for a in anchors] == [1, 2]  # account_created, then the login
    assert {a.database for a in anchors} == {database_label(console.engine)}
    assert stat.S_IMODE(os.stat(_daily()).st_mode) == 0o600


def test_the_day_is_the_sites_local_day(
    console: ServiceContext, clock: FakeClock, admin: Actor
) -> None:
    clock.now = clock.now.replace(hour=15, minute=30)  # 23:30 in Shanghai
    daily_anchor(console)
    clock.advance(hours=1)  # 00:30 the next day in Shanghai, still the same UTC day

    assert daily_anchor(console) == _daily()


def test_a_daily_anchor_never_stops_anything(console: ServiceContext, admin: Actor) -> None:
    _daily().parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/dev/null", _daily())  # not a regular file: refused, quietly

    assert daily_anchor(console) is None
    assert authenticate(console, "root", PASSWORD).actor.username == "root"


def test_an_empty_setting_keeps_no_daily_anchor(console: ServiceContext, admin: Actor) -> None:
    config = Path(os.environ["CS_CONSOLE_HOME"]) / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text('audit_anchor_file = ""\n', encoding="utf-8")

    assert daily_anchor(console) is None
    assert not _daily().exists()


def test_anchors_hold_until_the_tail_is_cut(
    console: ServiceContext, admin: Actor, agent: Actor
) -> None:
    for _ in range(3):
        authenticate(console, "wangfang", PASSWORD)
    anchor = take_anchor(console, admin)
    path = _daily().parent / "kept.json"
    path.write_text(anchor.line() + "\n", encoding="utf-8")
    authenticate(console, "wangfang", PASSWORD)

    held = check_anchors(console, admin, read_anchors(path))
    _sql(console, "DELETE FROM audit_log WHERE id >= :id", id=anchor.entries)
    _sql(console, "UPDATE audit_head SET last_id = :id", id=anchor.entries - 1)
    cut = check_anchors(console, admin, read_anchors(path))

    assert held.ok and [c.status for c in held.checks] == ["held"]
    assert held.after_total == 1
    assert (held.after[0].username, held.after[0].action) == ("wangfang", "login")
    assert not cut.ok and [c.status for c in cut.checks] == ["missing"]


def test_only_administrators_and_supervisors_take_or_check_anchors(
    console: ServiceContext, admin: Actor, agent: Actor
) -> None:
    anchor = take_anchor(console, admin)
    with pytest.raises(PermissionDenied):
        take_anchor(console, agent)
    with pytest.raises(PermissionDenied):
        check_anchors(console, agent, [anchor])


def test_a_file_that_is_not_anchors_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"entries": 1}) + "\n", encoding="utf-8")

    with pytest.raises(AnchorFileError) as refused:
        read_anchors(path)
    assert refused.value.code == "anchor_file_bad"


def test_anchors_of_another_database_are_checked_only_when_given_explicitly(
    console: ServiceContext, admin: Actor
) -> None:
    from dataclasses import replace

    elsewhere = replace(take_anchor(console, admin), database="sqlite:/elsewhere/cs.db")

    given = check_anchors(console, admin, [elsewhere])
    daily = check_anchors(console, admin, [elsewhere], daily=True)

    assert given.other_database and [c.status for c in given.checks] == ["held"]
    assert not daily.other_database and daily.checks == []  # a daily file may serve several


@pytest.mark.parametrize(
    ("lang", "told"),
    [
        ("en", "The audit trail has been tampered with: 2 entries after an anchor were added"),
        ("zh-CN", "审计日志已被篡改：锚点之后有 2 条是事后补写的。"),
    ],
)
def test_the_alarm_names_entries_added_later_and_nothing_empty(lang: str, told: str) -> None:
    """Only entries dated before an anchor are wrong (the chain and the anchors hold)."""
    later = AuditLine(7, datetime(2026, 11, 22, tzinfo=UTC), None, "export", "complaints")
    anchors = AnchorReport(checks=[], after_total=2, after=[], backdated=[later, later])
    alarm = AuditAlarm(AuditReport(True, 9), anchors)

    before = current_language()
    set_language(lang)
    try:
        text_told = alarm.describe()
    finally:
        set_language(before)
    assert text_told.startswith(told) and "：；" not in text_told and ": ;" not in text_told
