"""cs_console benchmarks: prints one JSON object with every figure the issues set targets for.

    python scripts/bench.py                  # the quick figures (about a minute)
    python scripts/bench.py --big            # also builds a 1,000,000-complaint demo database
    python scripts/bench.py --big-db FILE    # reuse such a database built before

Times are wall-clock seconds or milliseconds on this machine; every ratio compares with a
yardstick measured in the same run (a one-widget Textual app, a plain sqlite3 commit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from paint_probe import time_to_marker  # noqa: E402

BIN = Path(sys.executable).parent
CS = str(BIN / "cs-console")
AGENT = "wangfang"
PASSWORD = "wangfang-demo1"


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def _median_of(runs: int, measure) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(measure() for _ in range(runs))


def _demo(url: str, complaints: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [CS, "demo", "--db", url, "--complaints", str(complaints)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def startup(url: str, runs: int = 5) -> dict:
    """Start to first paint of the workspace, against a one-widget app's first paint.

    Three moments of the workspace are timed: its first frame (header, columns and the key
    footer, before the database is touched), the panes painted, and the person signed in
    with their lists loaded (the agent number appears in the header).
    """
    yardstick = [sys.executable, str(HERE / "one_widget_app.py")]
    baseline = _median_of(runs, lambda: time_to_marker(yardstick, "one-widget-ready")[0])
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}
    argv = [CS, "--db", url, "--lang", "en", "--user", AGENT]
    moments = {"first_paint": "F3 Complaint", "panes": "Say next", "signed_in": "Agent 1024"}
    result: dict[str, float] = {"one_widget_first_paint_s": round(baseline, 3)}
    for name, marker in moments.items():
        seconds = _median_of(runs, lambda m=marker: time_to_marker(argv, m, env=env)[0])
        result[f"workspace_{name}_s"] = round(seconds, 3)
        result[f"workspace_{name}_ratio"] = round(seconds / baseline, 2)
    return result


def greeting_latency(url: str, runs: int = 5) -> dict:
    """From pressing F2 (start call) to the greeting painted, in a real terminal."""
    env = {"CS_CONSOLE_PASSWORD": PASSWORD}
    argv = [CS, "--db", url, "--lang", "en", "--user", AGENT]
    samples = []
    for _ in range(runs):
        _, after = time_to_marker(
            argv, "Agent 1024", env=env, keys_after=b"\x1bOQ", second_marker="Thank you for"
        )
        samples.append(after or float("nan"))
        time.sleep(0.2)
    return {"greeting_after_f2_ms_median": round(statistics.median(samples) * 1000, 1)}


def save_complaint(runs: int = 300) -> dict:
    """p95 of registering a complaint (customer, parcel, event, clocks) on a SQLite file,
    next to a plain sqlite3 insert-and-commit on the same disk."""
    from cs_console.config.policy_file import default_policy
    from cs_console.domain.complaint_form import ComplaintForm
    from cs_console.domain.enums import Role
    from cs_console.services.accounts import create_user
    from cs_console.services.complaints import register_complaint
    from cs_console.services.context import Actor, Console
    from cs_console.storage.engine import make_engine
    from cs_console.storage.migrate import upgrade_to_head

    folder = Path(tempfile.mkdtemp())
    try:
        raw = sqlite3.connect(folder / "plain.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        plain = []
        for i in range(runs):
            start = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO t (body) VALUES (?)", (f"row {i}",))
            raw.execute("COMMIT")
            plain.append(time.perf_counter() - start)
        raw.close()

        engine = make_engine(f"sqlite:///{folder / 'cs.db'}")
        upgrade_to_head(engine)
        console = Console(engine, default_policy())
        row = create_user(
            console,
            username="bench",
            display_name="Bench",
            agent_no="9999",
            role=Role.AGENT,
            password="bench-pass-1",
        )
        actor = Actor(row.id, row.username, row.display_name, row.agent_no, Role.AGENT)
        samples = []
        for i in range(runs):
            form = ComplaintForm(
                customer_name="张伟",
                phone=f"138{i:08d}",
                tracking_no=f"SF13{i:011d}",
                category="delay",
                days_late=str(1 + i % 6),
                description="三天了还没到",
                request="尽快送达",
                shipping_fee="12",
            )
            start = time.perf_counter()
            register_complaint(console, actor, form)
            samples.append(time.perf_counter() - start)
        engine.dispose()
    finally:
        shutil.rmtree(folder)
    return {
        "save_complaint_ms_p50": round(statistics.median(samples) * 1000, 2),
        "save_complaint_ms_p95": round(_p95(samples) * 1000, 2),
        "plain_sqlite3_commit_ms_p50": round(statistics.median(plain) * 1000, 2),
        "plain_sqlite3_commit_ms_p95": round(_p95(plain) * 1000, 2),
    }


def list_refresh(url: str, runs: int = 30) -> dict:
    """My clocks and my callback queue for the busiest demo agent."""
    from sqlalchemy import text

    from cs_console.config.policy_file import default_policy
    from cs_console.domain.enums import Role
    from cs_console.services.context import Actor, Console
    from cs_console.services.worklists import callback_queue, changes_since, my_clocks
    from cs_console.storage.engine import make_engine

    engine = make_engine(url)
    console = Console(engine, default_policy())
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id, username, display_name, agent_no FROM users WHERE username = :u"),
            {"u": AGENT},
        ).one()
    actor = Actor(row[0], row[1], row[2], row[3], Role.AGENT)
    clocks, queue, marker = [], [], []
    sizes = (0, 0)
    for _ in range(runs):
        start = time.perf_counter()
        rows = my_clocks(console, actor)
        clocks.append(time.perf_counter() - start)
        start = time.perf_counter()
        callbacks = callback_queue(console, actor)
        queue.append(time.perf_counter() - start)
        start = time.perf_counter()
        changes_since(console)
        marker.append(time.perf_counter() - start)
        sizes = (len(rows), len(callbacks))
    engine.dispose()
    return {
        "my_clocks_ms_p95": round(_p95(clocks) * 1000, 2),
        "callback_queue_ms_p95": round(_p95(queue) * 1000, 2),
        "change_marker_ms_p95": round(_p95(marker) * 1000, 3),
        "agent_open_complaints": sizes[0],
        "agent_pending_callbacks": sizes[1],
    }


async def tick_cost(rows: int = 1000, ticks: int = 30) -> dict:
    """CPU per once-a-second tick of "my clocks" holding 1,000 open clocks, frame included."""
    from datetime import UTC, datetime, timedelta

    from textual.app import App, ComposeResult

    from cs_console.domain.clocks import Clock
    from cs_console.domain.enums import ClockKind
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.widgets.clock_list import ClockList

    now = datetime.now(UTC)
    data = [
        ClockRow(
            i,
            f"C-20261122-{i:04d}",
            "major" if i % 7 == 0 else "general",
            "delay",
            "registered",
            "张*",
            (Clock(ClockKind.VERIFY, now - timedelta(hours=1), now + timedelta(minutes=i - 300)),),
        )
        for i in range(rows)
    ]

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ClockList()

    results = {}
    for size in ((80, 24), (160, 50)):
        app = Host()
        async with app.run_test(size=size) as pilot:
            widget = app.query_one(ClockList)
            widget.set_rows(data)
            await pilot.pause()
            samples = []
            for _ in range(ticks):
                start = time.process_time()
                widget._tick()
                await pilot.pause()
                samples.append(time.process_time() - start)
        results[f"tick_cpu_ms_median_{size[0]}x{size[1]}"] = round(
            statistics.median(samples) * 1000, 2
        )
        results[f"tick_cpu_ms_p95_{size[0]}x{size[1]}"] = round(_p95(samples) * 1000, 2)
    results["open_clocks"] = rows
    return results


def mass_detection(url: str, runs: int = 300) -> dict:
    """Mass-complaint detection per new complaint (the hook ``check_new_complaint``).

    On the given database, inside one transaction that is rolled back at the end: a
    complaint is added for ``runs`` random parcels (spread) and ``runs`` times for one
    parcel (crowded: the window then holds hundreds of complaints about one issue and the
    alert is raised, then updated), each registered at the newest demo registration time
    plus one second per complaint; only the hook is timed (wall clock, and CPU time: on a
    busy machine the wall clock includes waiting for a core).
    """
    from datetime import timedelta

    from sqlalchemy import func, select
    from sqlmodel import Session

    from cs_console.config.policy_file import default_policy
    from cs_console.services.incidents import check_new_complaint
    from cs_console.storage.engine import make_engine
    from cs_console.storage.tables import Complaint, Parcel, User

    engine = make_engine(url)
    policy = default_policy()
    results: dict[str, object] = {}
    with Session(engine) as session:
        total = session.execute(select(func.count()).select_from(Complaint)).scalar_one()
        newest = session.execute(select(func.max(Complaint.registered_at))).scalar_one()
        owner = session.execute(select(User.id).limit(1)).scalar_one()
        parcels = session.execute(
            select(Parcel.id, Parcel.customer_id)
            .where(Parcel.hub != "", Parcel.customer_id.is_not(None))  # type: ignore[union-attr]
            .order_by(func.random())
            .limit(runs)
        ).all()
        plans = {"spread": parcels, "crowded": [parcels[0]] * runs}
        serial = 0
        for name, picks in plans.items():
            samples, cpu = [], []
            for parcel_id, customer_id in picks:
                serial += 1
                now = newest + timedelta(seconds=serial)
                complaint = Complaint(
                    reference=f"BENCH-{serial}",
                    customer_id=customer_id,
                    parcel_id=parcel_id,
                    category="delay",
                    severity="general",
                    status="registered",
                    channel="phone",
                    description="bench",
                    request="bench",
                    owner_id=owner,
                    registered_at=now,
                    verify_due=now,
                    resolve_due=now,
                )
                session.add(complaint)
                session.flush()
                start, start_cpu = time.perf_counter(), time.process_time()
                check_new_complaint(
                    session,
                    policy,
                    complaint_id=complaint.id,  # type: ignore[arg-type]
                    category="delay",
                    parcel_id=parcel_id,
                    now=now,
                    actor_id=owner,
                )
                samples.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            results[f"{name}_cpu_ms_p50"] = round(statistics.median(cpu) * 1000, 3)
            results[f"{name}_ms_p50"] = round(statistics.median(samples) * 1000, 3)
            results[f"{name}_ms_p95"] = round(_p95(samples) * 1000, 3)
            results[f"{name}_ms_max"] = round(max(samples) * 1000, 3)
        session.rollback()
    engine.dispose()
    results["complaints_in_db"] = total
    results["runs"] = runs
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="build a 1,000,000-complaint database")
    parser.add_argument("--big-db", help="reuse a 1,000,000-complaint SQLite file")
    parser.add_argument(
        "--only-mass-detection",
        metavar="URL",
        help="only time mass-complaint detection on this database URL (SQLite or PostgreSQL)",
    )
    args = parser.parse_args()
    if args.only_mass_detection:
        json.dump(
            {"mass_detection": mass_detection(args.only_mass_detection)}, sys.stdout, indent=2
        )
        print()
        return
    results: dict[str, object] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    folder = Path(tempfile.mkdtemp())
    try:
        small = f"sqlite:///{folder / 'demo.db'}"
        results["demo_200_s"] = round(_demo(small, 200), 2)
        results["startup_small_db"] = startup(small)
        results["greeting"] = greeting_latency(small)
        results["save"] = save_complaint()
        results["lists_small_db"] = list_refresh(small)
        results["tick"] = asyncio.run(tick_cost())
        big = args.big_db
        if args.big and not big:
            big = str(folder / "big.db")
            results["demo_1m_s"] = round(_demo(f"sqlite:///{big}", 1_000_000), 1)
        if big:
            results["startup_1m_db"] = startup(f"sqlite:///{big}")
            results["lists_1m_db"] = list_refresh(f"sqlite:///{big}")
            results["mass_detection_1m_db"] = mass_detection(f"sqlite:///{big}")
    finally:
        shutil.rmtree(folder)
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
