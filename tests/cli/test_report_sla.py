"""cs-console report and cs-console sla: the overview's numbers, for supervisors only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cs_console.config.policy_file import read_policy
from cs_console.domain.enums import ContactType, Responsibility, Role
from cs_console.domain.scorecard import Rating
from cs_console.services.calls import end_call, mark_answered, start_call
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.overview import overview
from cs_console.services.scoring import attribute_complaint, rate_agent
from cs_console.storage.engine import make_engine
from tests.cli.conftest import Run, add_person, assert_clean_failure, output_json
from tests.conftest import FakeClock
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form

PASSWORD = "secret-pass-1"  # add_person's
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def admin_db(admin_db_on_each_engine: str) -> str:
    """These commands run on both engines."""
    return admin_db_on_each_engine


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    """The CLI's database with a clock two hours back: the command runs two hours later."""
    engine = make_engine(admin_db)
    yield ServiceContext(
        engine, read_policy(), ZoneInfo("Asia/Shanghai"), FakeClock(NOW - timedelta(hours=2))
    )
    engine.dispose()


@pytest.fixture
def boss(console: ServiceContext) -> Actor:
    return add_person(console, "boss", Role.SUPERVISOR, agent_no="9001")


def _floor(console: ServiceContext, boss: Actor) -> tuple[Actor, int]:
    wang = add_person(
        console, "wang", agent_no="1024", display_name="王芳" + "".join(FEW_INJECTIONS)
    )
    contact = start_call(console, wang)
    mark_answered(console, wang, contact, console.now() + timedelta(seconds=4))
    end_call(console, wang, contact, contact_type=ContactType.TRACKING, notes="", outcome="")
    complaint = register_complaint(console, wang, distinct_form(1)).id  # verify runs out at -1 h
    month = console.now().astimezone(console.zone).strftime("%Y-%m")
    rate_agent(console, boss, "wang", month, Rating(80, 90))
    attribute_complaint(console, boss, complaint, Responsibility.AGENT, "wang")
    return wang, complaint


def test_report_json_has_the_measures_and_every_scorecard(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor
) -> None:
    _floor(console, boss)
    result = run(["report", "--format", "json", "--user", "boss", "--db", admin_db],
                 env={"CS_CONSOLE_PASSWORD": PASSWORD})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = output_json(result)
    measures = {m["measure"]: m for m in report["measures"]}
    assert measures["answered_in_time"]["value"] == 1.0 and measures["answered_in_time"]["met"]
    (card,) = report["agents"]
    # measured: speed 100 and first contact 100 (no scores yet): 100; rated 85;
    # 60 + 34 - 5 (breach of the standard) - 8 (verify ran out while wang owned it) = 81.
    assert (card["measured"], card["rated"], card["deductions"]) == (100, 85, 13)
    assert (card["score"], card["band"], card["retraining"]) == (81.0, "pass", False)
    assert card["name"].startswith("王芳")


def test_report_numbers_equal_the_overviews(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor
) -> None:
    # The records are made today (after midnight here), so today's figures are the month's.
    today = NOW.astimezone(console.zone).replace(hour=0, minute=0, second=0)
    console.clock.now = max(console.now(), today + timedelta(seconds=1))  # type: ignore[attr-defined]
    _floor(console, boss)
    console = ServiceContext(console.engine, console.policy, console.zone, lambda: NOW)
    shown = overview(console, boss).measures
    result = run(["report", "--format", "json", "--user", "boss", "--db", admin_db],
                 env={"CS_CONSOLE_PASSWORD": PASSWORD})  # fmt: skip
    counted = {m["measure"]: (m["value"], m["counted"]) for m in output_json(result)["measures"]}
    assert counted == {m.kind.value: (m.value, m.counted) for m in shown}


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_report_table_and_markdown_show_names_literally(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor, fmt: str
) -> None:
    _floor(console, boss)
    result = run(["report", "--format", fmt, "--user", "boss", "--db", admin_db],
                 env={"CS_CONSOLE_PASSWORD": PASSWORD})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Answered in time" in result.stdout and "pass" in result.stdout
    assert "\x1b]" not in result.stdout
    if fmt == "md":
        assert "| Measure | Value | Target | Met |" in result.stdout


def test_report_refuses_agents_and_bad_months(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor
) -> None:
    _floor(console, boss)
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}
    refused = run(["report", "--user", "wang", "--db", admin_db], env=env)
    assert_clean_failure(refused)
    assert "supervisors only" in refused.stderr
    bad = run(["report", "--month", "2026-13", "--user", "boss", "--db", admin_db], env=env)
    assert_clean_failure(bad)
    assert "YYYY-MM" in bad.stderr
    for month in ("0000-01", "9999-12"):
        far = run(["report", "--month", month, "--user", "boss", "--db", admin_db], env=env)
        assert_clean_failure(far)
        assert "Not a plausible month" in far.stderr
    usage = run(["report", "--format", "xml", "--user", "boss", "--db", admin_db], env=env)
    assert usage.exit_code == 2


def test_sla_lists_breached_clocks_with_owner_and_local_due_time(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor
) -> None:
    _, complaint = _floor(console, boss)
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}
    result = run(["sla", "--format", "json", "--user", "boss", "--db", admin_db], env=env)
    assert result.exit_code == 0, result.stderr
    rows = output_json(result)
    verify = next(r for r in rows if r["clock"] == "verify")
    assert (verify["id"], verify["state"], verify["kind"]) == (complaint, "breached", "complaint")
    assert verify["owner"].startswith("王芳")
    assert verify["due"].endswith("+08:00")
    table = run(["sla", "--user", "boss", "--db", admin_db], env=env)
    assert table.exit_code == 0 and "✕" in table.stdout and "breached" in table.stdout
    assert_clean_failure(run(["sla", "--user", "wang", "--db", admin_db], env=env))


def test_attribute_counts_a_complaint_against_an_agent(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor
) -> None:
    wang = add_person(console, "wang", agent_no="1024", display_name="王芳")
    reference = register_complaint(console, wang, distinct_form(3)).reference
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}
    args = ["attribute", reference, "agent", "--agent", "wang", "--user", "boss", "--db", admin_db]
    result = run([*args, "--reason", "未按规范致歉\x1b]52;c;aGk=\x07"], env=env)
    assert result.exit_code == 0, result.stderr
    assert reference in result.stderr
    with console.engine.connect() as conn:
        row = conn.execute(
            text("SELECT responsibility, responsible_agent_id FROM complaints")
        ).one()
        event = conn.execute(
            text("SELECT detail FROM events WHERE kind = 'responsibility_recorded'")
        ).scalar_one()
    assert tuple(row) == ("agent", wang.id)
    recorded = {"responsibility": "agent", "agent": "wang", "reason": "未按规范致歉"}
    assert json.loads(event) == recorded  # the reason cleaned of its escape
    for vague in ("\u200b\u202e\u200b\u202e", "[b][/b] [TODO]"):  # nothing visible
        refused_reason = run([*args, "--reason", vague], env=env)
        assert_clean_failure(refused_reason)
        assert "reason: Give the reason in a few words" in refused_reason.stderr
    with console.engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM events WHERE kind = 'responsibility_recorded'")
            ).scalar_one()
            == 1
        )
    missing = run(["attribute", reference, "agent", "--user", "boss", "--db", admin_db], env=env)
    assert_clean_failure(missing)
    refused = run(["attribute", reference, "courier", "--user", "wang", "--db", admin_db], env=env)
    assert_clean_failure(refused)
    typed = reference.replace("-", "").lower()  # quoted without dashes: the same complaint
    cleared = run(["attribute", typed, "none", "--user", "boss", "--db", admin_db], env=env)
    assert cleared.exit_code == 0, cleared.stderr
    with console.engine.connect() as conn:
        cleared_to = conn.execute(text("SELECT responsibility FROM complaints")).scalar_one()
    assert cleared_to == ""  # no longer counted against anyone


def test_report_has_each_outlets_orders_replies_in_time_and_median_reply(
    run: Run, admin_db: str, console: ServiceContext, boss: Actor
) -> None:
    from cs_console.domain.work_orders import OrderKind, OrderResult
    from cs_console.services.work_orders import answer_work_order, send_work_order

    outlet = "浦东[b]网点[/b]"
    clerk = add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet=outlet)
    sent = [
        send_work_order(
            console,
            boss,
            register_complaint(console, boss, distinct_form(i, outlet=outlet)).reference,
            OrderKind.URGE,
            "催件",
        )
        for i in (1, 2)
    ]
    console.clock.advance(minutes=90)  # type: ignore[attr-defined]
    answer_work_order(console, clerk, sent[0].id, OrderResult.DONE)
    month = sent[0].created_at.astimezone(console.zone).strftime("%Y-%m")
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}
    result = run(["report", "--month", month, "--format", "json", "--user", "boss",
                  "--db", admin_db], env=env)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert output_json(result)["outlets"] == [
        {"outlet": outlet, "orders": 2, "replied_in_time": 1, "median_reply_seconds": 5400.0}
    ]
    shown = run(["report", "--month", month, "--format", "md", "--user", "boss",
                 "--db", admin_db], env=env)  # fmt: skip
    assert "| Outlet | Orders | Answered in time | Median reply |" in shown.stdout
    assert f"| {outlet} | 2 | 1 | 01:30:00 |" in shown.stdout
