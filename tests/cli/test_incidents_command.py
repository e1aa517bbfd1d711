"""cs-console incidents, and what cs-console import tells of the alerts it raised, as a
person runs them (both engines)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cs_console.domain.enums import Role
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.incidents import open_incident
from cs_console.storage.engine import write_session
from cs_console.storage.tables import MassAlert, Parcel, ParcelHub
from tests.cli.conftest import Run, add_person, assert_clean_failure, output_json, services_on
from tests.services.helpers import count, one

PASSWORD = {"CS_CONSOLE_PASSWORD": "secret-pass-1"}  # add_person's
HEADER = ["姓名", "联系电话", "快递单号", "投诉类型", "延误天数", "问题描述", "诉求", "登记时间"]
HUB = "杭州转运中心"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def admin_db(admin_db_on_each_engine: str) -> str:
    return admin_db_on_each_engine


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    with services_on(admin_db) as console:
        add_person(console, "wangfang", Role.AGENT, agent_no="1024")
        yield console


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "zhoumin", Role.SUPERVISOR, agent_no="8001")


def number(i: int) -> str:
    return f"YT{4400000000 + i}"


CITIES = ("上海", "广州", "北京", "成都", "武汉", "南京", "深圳", "西安")


def parcels_through_the_hub(console: ServiceContext, n: int) -> None:
    """Parcels on file whose way passes HUB in the middle, from and to cities of their own
    (no more than 3 share one), so HUB is their only common place; the provider is not
    asked about a parcel with a way on file."""
    now = datetime.now(SHANGHAI)
    with write_session(console.engine) as session:
        for i in range(n):
            origin, destination = CITIES[i % 8], CITIES[(i + 1 + i // 8) % 8]
            parcel = Parcel(tracking_no=number(i), route=f"{origin}-{destination}",
                            hub=f"{origin}转运中心", created_at=now)  # fmt: skip
            session.add(parcel)
            session.flush()
            assert parcel.id is not None
            way = (f"{origin}转运中心", HUB, f"{destination}转运中心")
            for position, hub in enumerate(way):
                session.add(ParcelHub(parcel_id=parcel.id, hub=hub, position=position))


def register_file(path: Path, n: int, minutes_ago: int) -> Path:
    """``n`` delay complaints about parcels 0 … n-1, the newest ``minutes_ago`` minutes ago,
    one a minute before it."""
    newest = datetime.now(SHANGHAI) - timedelta(minutes=minutes_ago)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for i in range(n):
            moment = (newest - timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M")
            writer.writerow(
                [f"客户{i}", f"139{i:08d}", number(i), "延误", "2", "晚到", "派送", moment]
            )
    return path


def imported(run: Run, db: str, path: Path):  # type: ignore[no-untyped-def]
    return run(["import", str(path), "--user", "wangfang", "--db", db], env=PASSWORD)


def incidents(run: Run, db: str, *extra: str, user: str = "wangfang"):  # type: ignore[no-untyped-def]
    return run(["incidents", "--user", user, "--db", db, *extra], env=PASSWORD)


def test_an_import_inside_the_window_raises_the_alert_and_says_so(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    parcels_through_the_hub(console, 21)

    result = imported(run, admin_db, register_file(tmp_path / "r.csv", 21, minutes_ago=1))

    assert result.exit_code == 0, result.stderr
    assert "The import raised a mass-complaint alert: Delay · hub 杭州转运中心 · 21 in 60 min" in (
        result.stderr
    )
    [alert] = output_json(result)["alerts"]
    assert {k: alert[k] for k in ("category", "place_kind", "place", "count")} == {
        "category": "delay",
        "place_kind": "hub",
        "place": HUB,
        "count": 21,
    }
    assert alert["first_at"].endswith("+08:00")
    assert count(console, MassAlert) == 1


def test_an_older_backfill_raises_no_alert_for_the_past(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    parcels_through_the_hub(console, 25)

    result = imported(run, admin_db, register_file(tmp_path / "r.csv", 25, minutes_ago=120))

    assert result.exit_code == 0, result.stderr
    assert output_json(result)["alerts"] == []
    assert "alert" not in result.stderr
    assert count(console, MassAlert) == 0


def test_incidents_lists_alerts_and_incidents_as_json(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor, tmp_path: Path
) -> None:
    parcels_through_the_hub(console, 22)
    assert (
        imported(run, admin_db, register_file(tmp_path / "r.csv", 22, minutes_ago=1)).exit_code == 0
    )
    alert_id = one(console, MassAlert).id
    incident_id = open_incident(console, boss, alert_id)

    result = incidents(run, admin_db, "--format", "json")

    assert result.exit_code == 0, result.stderr
    shown = output_json(result)
    [alert] = shown["alerts"]
    assert (alert["id"], alert["place_kind"], alert["place"], alert["count"]) == (
        alert_id, "hub", HUB, 22,
    )  # fmt: skip
    assert datetime.fromisoformat(alert["last_at"]).utcoffset() == timedelta(hours=8)
    [incident] = shown["incidents"]
    assert {k: incident[k] for k in ("id", "kind", "linked", "open_linked")} == {
        "id": incident_id,
        "kind": "mass_complaint",
        "linked": 22,
        "open_linked": 22,
    }
    assert incident["opened_at"].endswith("+08:00")


def test_incidents_as_a_table_for_people_in_both_languages(
    run: Run, admin_db: str, console: ServiceContext, tmp_path: Path
) -> None:
    parcels_through_the_hub(console, 21)
    assert (
        imported(run, admin_db, register_file(tmp_path / "r.csv", 21, minutes_ago=1)).exit_code == 0
    )

    english = incidents(run, admin_db)
    chinese = run(["--lang", "zh-CN", "incidents", "--user", "wangfang", "--db", admin_db],
                  env=PASSWORD)  # fmt: skip

    assert english.exit_code == 0, english.stderr
    assert "1 open alert" in english.stdout
    assert "Complaints" in english.stdout and "hub 杭州转运中心" in english.stdout
    assert "0 open incidents" in english.stdout
    assert chinese.exit_code == 0, chinese.stderr
    assert "1 条未处理预警" in chinese.stdout and "投诉数" in chinese.stdout


def test_incidents_is_refused_to_someone_unknown(run: Run, admin_db: str) -> None:
    assert_clean_failure(incidents(run, admin_db, user="nobody"))
