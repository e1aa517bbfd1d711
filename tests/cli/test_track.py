"""cs-console track (the issue's JSON shape, a table for people) and tracking set-key."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest

from cs_console.config.settings import load_settings
from cs_console.config.tracking_key import TRACKING_KEYRING_SERVICE
from tests.cli.conftest import ADMIN, Run, assert_clean_failure, output_json
from tests.services.kuaidi100_server import (
    COM,
    CUSTOMER,
    KEY,
    Kuaidi100Server,
    answer,
    event,
    kuaidi100_fixture,  # noqa: F401  (the fixture "kuaidi100")
)

NUMBER = "SF1311234567890"
SHAPE = {
    "tracking_no",
    "carrier",
    "state",
    "state_code",
    "events",
    "hubs",
    "outlet",
    "route",
    "source",
    "fetched_at",
}


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """settings.toml is read once per process: each test writes its own."""
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


def write_settings(body: str) -> None:
    folder = Path(os.environ["CS_CONSOLE_HOME"]) / "config"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.toml").write_text(body, encoding="utf-8")


def use_kuaidi100(server: Kuaidi100Server) -> None:
    write_settings(
        f'[tracking]\nprovider = "kuaidi100"\nurl = "{server.url}"\n'
        f'customer = "{CUSTOMER}"\ncom = "{COM}"\n'
    )


def test_the_demo_provider_prints_the_issue_s_shape(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    result = run(["track", "sf 1311 2345 67890", "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert result.exit_code == 0, result.stderr
    found = output_json(result)
    assert set(found) == SHAPE
    assert found["tracking_no"] == NUMBER
    assert found["source"] == "demo" and found["carrier"] == "own"
    assert set(found["events"][0]) == {"at", "text", "place"}
    for stamp in [found["fetched_at"], *(e["at"] for e in found["events"])]:
        assert datetime.fromisoformat(stamp).utcoffset() is not None
        assert stamp.endswith("+08:00")


def test_kuaidi100_through_the_command(
    run: Run, admin_db: str, as_admin: dict[str, str], kuaidi100: Kuaidi100Server
) -> None:
    use_kuaidi100(kuaidi100)
    kuaidi100.known[NUMBER] = answer(
        NUMBER,
        5,
        [
            event("2026-12-05 18:20:00", "【武汉光谷网点】派件员 刘师傅 正在派件"),
            event("2026-12-05 11:45:00", "快件已到达【武汉天河分拨中心】"),
            event("2026-12-05 01:10:00", "【南昌昌北转运中心】已发出 下一站【武汉天河分拨中心】"),
        ],
    )
    env = {**as_admin, "CS_CONSOLE_TRACKING_KEY": KEY}
    args = ["track", NUMBER, "--phone-last4", "5678", "--user", ADMIN, "--db", admin_db]

    result = run(args, env=env)
    again = run([*args, "--format", "table"], env=env)

    assert result.exit_code == 0, result.stderr
    found = output_json(result)
    assert found["state"] == "out_for_delivery" and found["state_code"] == 5
    assert found["hubs"] == ["南昌昌北转运中心", "武汉天河分拨中心"]
    assert found["outlet"] == "武汉光谷网点"
    assert found["route"] == "南昌昌北-武汉天河"
    assert found["events"][0] == {
        "at": "2026-12-05T18:20:00+08:00",
        "text": "【武汉光谷网点】派件员 刘师傅 正在派件",
        "place": "武汉光谷网点",
    }
    assert again.exit_code == 0, again.stderr
    assert "out for delivery" in again.stdout and "武汉光谷网点" in again.stdout
    assert kuaidi100.hits == 1  # the table came from the shared cache


def test_an_unknown_number_exits_1_with_the_provider_s_message(
    run: Run, admin_db: str, as_admin: dict[str, str], kuaidi100: Kuaidi100Server
) -> None:
    use_kuaidi100(kuaidi100)
    env = {**as_admin, "CS_CONSOLE_TRACKING_KEY": KEY}

    result = run(["track", "YT9999999999999", "--user", ADMIN, "--db", admin_db], env=env)

    assert_clean_failure(result)
    assert "查询无结果，请隔段时间再查" in result.stderr


def test_a_slow_provider_is_one_line(
    run: Run, admin_db: str, as_admin: dict[str, str], kuaidi100: Kuaidi100Server
) -> None:
    use_kuaidi100(kuaidi100)
    kuaidi100.mode = "slow"
    env = {**as_admin, "CS_CONSOLE_TRACKING_KEY": KEY}

    result = run(["track", NUMBER, "--user", ADMIN, "--db", admin_db], env=env)

    assert_clean_failure(result)
    assert result.stderr.strip() == "tracking unavailable: timeout"


def test_another_carrier_s_number_is_named(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    result = run(["track", "JT1234567890123", "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert result.exit_code == 0, result.stderr
    assert output_json(result)["carrier"] == "JT"
    assert "J&T Express" in result.stderr


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('provider = "fedex"', "[tracking.provider]"),
        ('key = "in-the-file"', "[tracking.key]"),  # the key is never read from the file
        ("own_pattern = '(SF'", "[tracking.own_pattern]"),
        ('provider = "kuaidi100"', "[tracking] kuaidi100 needs customer"),
    ],
)
def test_a_bad_setting_names_the_file_and_key(
    run: Run, admin_db: str, as_admin: dict[str, str], body: str, named: str
) -> None:
    write_settings(f"[tracking]\n{body}\n")

    result = run(["track", NUMBER, "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert_clean_failure(result)
    assert f"settings.toml: {named}" in result.stderr


def test_set_key_keeps_the_key_in_the_keyring(run: Run) -> None:
    write_settings(f'[tracking]\nprovider = "kuaidi100"\ncustomer = "{CUSTOMER}"\ncom = "{COM}"\n')

    result = run(["tracking", "set-key", "--key-stdin"], input=KEY + "\n")

    assert result.exit_code == 0, result.stderr
    assert keyring.get_password(TRACKING_KEYRING_SERVICE, f"kuaidi100:{CUSTOMER}") == KEY
    assert KEY not in result.output


def test_set_key_refuses_without_kuaidi100_or_without_stdin(run: Run) -> None:
    assert_clean_failure(run(["tracking", "set-key", "--key-stdin"], input=KEY + "\n"))
    write_settings(f'[tracking]\nprovider = "kuaidi100"\ncustomer = "{CUSTOMER}"\ncom = "{COM}"\n')
    load_settings.cache_clear()
    assert_clean_failure(run(["tracking", "set-key"], input=KEY + "\n"))
