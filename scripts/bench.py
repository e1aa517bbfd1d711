"""cs_console benchmarks: prints one JSON object with every figure the issues set targets for.

    python scripts/bench.py                  # the quick figures (about a minute)
    python scripts/bench.py --big            # also builds a 1,000,000-complaint demo database
    python scripts/bench.py --big-db FILE    # reuse such a database built before
    python scripts/bench.py --only save,lists,login,phone_lookup [--big-db FILE]   # just these
    python scripts/bench.py --only concurrent [--pg URL]   # 1, 4, 20 consoles at once
    python scripts/bench.py --only supervisor --big-db FILE   # overview refresh, monthly report
    python scripts/bench.py --only mass_detection --big-db FILE   # per new complaint
    python scripts/bench.py --only tracking   # demo provider, cache miss and hit
    python scripts/bench.py --only parcel   # the call's parcel box, cache hits, frames
    python scripts/bench.py --only work_orders [--big-db FILE]   # outlet inbox, order list
    python scripts/bench.py --only import [--import-rows N] [--pg URL]   # others during an import
    python scripts/bench.py --only tick   # the once-a-second tick of 1,000 clocks
    python scripts/bench.py --only key_rotation   # re-sealing rate, a console's save meanwhile

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

from bench_claims import claims_figures  # noqa: E402
from bench_parcel import parcel_figures  # noqa: E402
from paint_probe import time_to_marker  # noqa: E402

BIN = Path(sys.executable).parent
CS = str(BIN / "cs-console")
AGENT = "wangfang"
PASSWORD = "wangfang-demo1"
SUPERVISOR = "zhoumin"
SUPERVISOR_PASSWORD = "zhoumin-demo1"


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
    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.domain.enums import Role
    from cs_console.services.accounts import authenticate, create_user
    from cs_console.services.complaints import register_complaint
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine
    from cs_console.storage.migrate import upgrade_to_head
    from cs_console.storage.sealing import DataKey

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
        console = ServiceContext(engine, default_policy())
        create_user(
            console,
            username="bench",
            display_name="Bench",
            agent_no="9999",
            role=Role.AGENT,
            password="bench-pass-1",
            data_key=DataKey.generate(),
        )
        actor = authenticate(console, "bench", "bench-pass-1").actor
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

    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.changes import changes_since
    from cs_console.services.context import ServiceContext
    from cs_console.services.worklists import callback_queue, my_clocks
    from cs_console.storage.engine import make_engine

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    actor = authenticate(console, AGENT, PASSWORD).actor  # unlocks the data key
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


def login(url: str, runs: int = 15) -> dict:
    """Signing in with a password: one scrypt (verifier and key-encryption key), unwrapping
    the data key, the audit entry; and with a remembered login (a token, no scrypt)."""
    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.context import ServiceContext
    from cs_console.services.sessions import authenticate_token, remember_login
    from cs_console.storage.engine import make_engine

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    password, remembered, cpu = [], [], []
    actor = authenticate(console, AGENT, PASSWORD).actor
    token = remember_login(console, actor)
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        assert authenticate(console, AGENT, PASSWORD).actor.data_key is not None
        password.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        start = time.perf_counter()
        authenticate_token(console, AGENT, token)
        remembered.append(time.perf_counter() - start)
    engine.dispose()
    return {
        "login_with_key_ms_p50": round(statistics.median(password) * 1000, 1),
        "login_with_key_ms_p95": round(_p95(password) * 1000, 1),
        # The CPU the sign-in used (scrypt, mostly): what a loaded machine stretches.
        "login_with_key_cpu_ms_p95": round(_p95(cpu) * 1000, 1),
        "load_average": _load_average(),
        "remembered_login_ms_p50": round(statistics.median(remembered) * 1000, 1),
    }


def _top_up_customers(engine, key, target: int) -> None:  # type: ignore[no-untyped-def]
    """Add sealed customers (phones +8617…, not used by the demo) until ``target`` exist."""
    from datetime import UTC, datetime

    from sqlalchemy import func, insert, select

    from cs_console.storage.customers import sealed_columns
    from cs_console.storage.tables import Customer

    with engine.begin() as connection:
        have = connection.execute(select(func.count()).select_from(Customer)).scalar_one()
        now = datetime.now(UTC)
        for start in range(have, target, 20_000):
            rows = [
                {
                    **sealed_columns(key, phone=f"+86170{i:08d}", name="补充客户"),
                    "created_at": now,
                }
                for i in range(start, min(target, start + 20_000))
            ]
            connection.execute(insert(Customer.__table__), rows)  # type: ignore[attr-defined]


def phone_lookup(url: str, runs: int = 400, target: int = 1_000_000) -> dict:
    """Finding a customer by phone (keyed hash, index, decrypting the row), p50/p95 over
    phones taken from the database, once it holds ``target`` customers (the 1,000,000-
    complaint demo has 700,000: sealed ones are added to it)."""
    import random

    from sqlalchemy import func, select

    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.context import ServiceContext
    from cs_console.storage.customers import customer_by_id, find_customer
    from cs_console.storage.engine import make_engine, read_session
    from cs_console.storage.tables import Customer

    engine = make_engine(url)
    key = authenticate(ServiceContext(engine, default_policy()), AGENT, PASSWORD).actor.data_key
    assert key is not None
    _top_up_customers(engine, key, target)
    samples, cpu_samples = [], []  # wall clock, and this thread's CPU (load-independent)
    with read_session(engine) as session:
        customers = session.execute(select(func.count()).select_from(Customer)).scalar_one()
        top = session.execute(select(func.max(Customer.id))).scalar_one()
        rng = random.Random(1)
        phones = []
        while len(phones) < runs:
            found = customer_by_id(session=session, key=key, customer_id=rng.randint(1, top))
            if found is not None:
                phones.append(found.phone)
    for phone in phones:
        with read_session(engine) as session:  # a lookup is its own short read, as in a call
            start, cpu = time.perf_counter(), time.thread_time()
            record = find_customer(session=session, key=key, phone=phone)
            samples.append(time.perf_counter() - start)
            cpu_samples.append(time.thread_time() - cpu)
            assert record is not None and record.phone == phone
    engine.dispose()
    return {
        "customers": customers,
        "phone_lookup_ms_p50": round(statistics.median(samples) * 1000, 3),
        "phone_lookup_ms_p95": round(_p95(samples) * 1000, 3),
        "phone_lookup_cpu_ms_p95": round(_p95(cpu_samples) * 1000, 3),
    }


async def tick_cost(rows: int = 1000, ticks: int = 200) -> dict:
    """CPU per once-a-second tick of "my clocks" holding 1,000 open clocks, frame included,
    with the console's heap settled as the app does once signed in (ui/heap.py; the
    ``unsettled`` figures without it, for comparison), and the full garbage collections
    (generation 2) that fell in the measured ticks: their count and longest pause."""
    import gc
    from datetime import UTC, datetime, timedelta

    from textual.app import App, ComposeResult

    import cs_console.ui.app  # noqa: F401  (the real console's modules: its heap's size)
    from cs_console.domain.clocks import Clock
    from cs_console.domain.enums import ClockKind
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.heap import settle_heap
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

    full: list[float] = []
    began = [0.0]

    def timed(phase: str, info: dict) -> None:
        if info["generation"] == 2:
            if phase == "start":
                began[0] = time.process_time()
            else:
                full.append(time.process_time() - began[0])

    results: dict[str, object] = {"load_average": _load_average()}
    gc.callbacks.append(timed)
    try:
        for settled in (False, True):
            for size in ((80, 24), (160, 50)):
                app = Host()
                async with app.run_test(size=size) as pilot:
                    widget = app.query_one(ClockList)
                    widget.set_rows(data)
                    await pilot.pause()
                    if settled:
                        settle_heap()
                    full.clear()
                    samples = []
                    for _ in range(ticks):
                        start = time.process_time()
                        widget._tick()
                        await pilot.pause()
                        samples.append(time.process_time() - start)
                if settled:
                    gc.unfreeze()
                tag = f"{size[0]}x{size[1]}" + ("" if settled else "_unsettled")
                results[f"tick_cpu_ms_median_{tag}"] = round(statistics.median(samples) * 1000, 2)
                results[f"tick_cpu_ms_p95_{tag}"] = round(_p95(samples) * 1000, 2)
                results[f"tick_cpu_ms_max_{tag}"] = round(max(samples) * 1000, 2)
                results[f"full_collections_{tag}"] = len(full)
                results[f"full_collection_ms_max_{tag}"] = round(max(full, default=0) * 1000, 2)
    finally:
        gc.callbacks.remove(timed)
    results["open_clocks"] = rows
    results["ticks"] = ticks
    return results


def _fresh_database(engine_name: str, folder: Path, pg_url: str | None, tag: str) -> str:
    """A migrated database with four agents: a SQLite file, or a new PostgreSQL database."""
    from sqlalchemy import create_engine, text

    from cs_console.config.policy_file import default_policy
    from cs_console.domain.enums import Role
    from cs_console.services.accounts import create_user
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine
    from cs_console.storage.migrate import upgrade_to_head
    from cs_console.storage.sealing import DataKey

    if engine_name == "sqlite":
        url = f"sqlite:///{folder / f'{tag}.db'}"
    else:
        assert pg_url is not None
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{tag}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{tag}"'))
        admin.dispose()
        url = f"{pg_url.rsplit('/', 1)[0]}/{tag}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    console = ServiceContext(engine, default_policy())
    key = DataKey.generate()  # the database's data key, wrapped for each bench agent
    for i in range(4):
        create_user(
            console,
            username=f"bench{i}",
            display_name=f"Bench {i}",
            agent_no=f"90{i:02d}",
            role=Role.AGENT,
            password="bench-pass-1",
            data_key=key,
        )
    engine.dispose()
    return url


def _drop_pg(pg_url: str, tag: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{tag}" WITH (FORCE)'))
    admin.dispose()


def _plain_sqlite_ceiling(folder: Path, rows: int = 2000) -> float:
    """Rows per second one writer commits with plain sqlite3 (WAL, synchronous=FULL)."""
    raw = sqlite3.connect(folder / "ceiling.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    start = time.perf_counter()
    for i in range(rows):
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO t (body) VALUES (?)", (f"row {i}",))
        raw.execute("COMMIT")
    seconds = time.perf_counter() - start
    raw.close()
    return rows / seconds


def _plain_pg_ceiling(url: str, rows: int = 2000) -> float:
    """Rows per second one writer commits with plain psycopg (one insert per transaction)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
    ) as conn:
        conn.execute("CREATE TABLE plain_ceiling (id SERIAL PRIMARY KEY, body TEXT)")
        conn.commit()
        start = time.perf_counter()
        for i in range(rows):
            conn.execute("INSERT INTO plain_ceiling (body) VALUES (%s)", (f"row {i}",))
            conn.commit()
        seconds = time.perf_counter() - start
    return rows / seconds


def _load_average() -> list[float]:
    """The machine's load average (1, 5, 15 minutes): the figures are only as quiet as it."""
    return [round(x, 2) for x in os.getloadavg()]


def concurrent_registrations(pg_url: str | None, total: int = 600) -> dict:
    """Complaints per second with 1, 4 and 20 consoles (processes) registering at once on
    each engine, next to one plain writer's insert-and-commit ceiling on the same engine;
    ``ratio_20_to_1`` is the 20 consoles' rate over the single console's (target >= 0.5),
    with the load average before and after each engine's runs."""
    from register_worker import run_workers

    results: dict[str, object] = {}
    engines = ["sqlite"] + (["postgresql"] if pg_url else [])
    folder = Path(tempfile.mkdtemp())
    try:
        for engine_name in engines:
            figures: dict[str, object] = {"load_before": _load_average()}
            for workers in (1, 4, 20):
                tag = f"cs_bench_{engine_name}_{workers}_{os.getpid()}"
                url = _fresh_database(engine_name, folder, pg_url, tag)
                try:
                    out = run_workers(
                        url,
                        [f"bench{i}" for i in range(4)],
                        "bench-pass-1",
                        workers,
                        total // workers,
                    )
                    if engine_name == "postgresql" and workers == 1:
                        figures["plain_insert_commit_per_s"] = round(_plain_pg_ceiling(url), 1)
                finally:
                    if engine_name == "postgresql":
                        _drop_pg(pg_url, tag)  # type: ignore[arg-type]
                done = sum(len(r["references"]) for r in out)
                errors = sum(len(r["errors"]) for r in out)
                span = max(r["end"] for r in out) - min(r["start"] for r in out)
                figures[f"complaints_per_s_{workers}_consoles"] = round(done / span, 1)
                figures[f"errors_{workers}_consoles"] = errors
            if engine_name == "sqlite":
                figures["plain_insert_commit_per_s"] = round(_plain_sqlite_ceiling(folder), 1)
            one, twenty = (
                figures["complaints_per_s_1_consoles"],
                figures["complaints_per_s_20_consoles"],
            )
            figures["ratio_20_to_1"] = round(twenty / one, 2)  # type: ignore[operator]
            figures["load_after"] = _load_average()
            results[engine_name] = figures
    finally:
        shutil.rmtree(folder)
    results["complaints_per_run"] = total
    return results


def supervisor_figures(url: str, runs: int = 20) -> dict:
    """The overview's refresh (one ``overview()`` call) and a month's report, as a supervisor.

    The report is timed for the month before this one (a whole month of records) and for
    this month so far.
    """
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select

    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.context import ServiceContext
    from cs_console.services.overview import overview
    from cs_console.services.reports import monthly_report
    from cs_console.storage.engine import make_engine
    from cs_console.storage.tables import Complaint

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    with engine.connect() as conn:
        complaints = conn.execute(select(func.count()).select_from(Complaint)).scalar_one()
    # Signed in as the demo's supervisor: the data key opens the listed customers' names.
    boss = authenticate(console, SUPERVISOR, SUPERVISOR_PASSWORD).actor
    refresh = []
    view = overview(console, boss)  # warm the page cache like a console that is running
    for _ in range(runs):
        start = time.perf_counter()
        view = overview(console, boss)
        refresh.append(time.perf_counter() - start)
    this_month = datetime.now(UTC).astimezone(console.zone).replace(day=1)
    last_month = (this_month - timedelta(days=1)).strftime("%Y-%m")
    reports = {}
    for month in (last_month, this_month.strftime("%Y-%m")):
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            report = monthly_report(console, boss, month)
            samples.append(time.perf_counter() - start)
        reports[f"report_{month}_s_median"] = round(statistics.median(samples), 3)
        reports[f"report_{month}_complaints"] = report.measures[3].counted
    engine.dispose()
    return {
        "complaints": complaints,
        "overview_refresh_ms_median": round(statistics.median(refresh) * 1000, 1),
        "overview_refresh_ms_p95": round(_p95(refresh) * 1000, 1),
        "open_complaints": view.queue.open_total,
        "at_risk_rows": view.at_risk_total,  # clocks and callbacks at risk, counted
        "at_risk_listed": len(view.at_risk),  # loaded for the list
        "walk_ins_waiting": view.walk_ins_total,  # open walk-ins held by outlets, counted
        "walk_ins_listed": len(view.walk_ins),
        **reports,
    }


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


def work_order_figures(url: str, open_orders: int = 10_000, answered: int = 40_000) -> dict:
    """The outlet's inbox with ``open_orders`` open orders at one outlet (p95 of
    ``outlet_inbox``, what the inbox refresh calls) and ``cs-console order list`` as the
    supervisor (a subprocess, JSON): no order (the command's start and sign-in), the open
    orders, and every order.

    The orders (plus ``answered`` answered ones, spread over the database's complaints and
    two outlets) are committed for the commands to see, and deleted again at the end, so a
    reused ``--big-db`` file is left as it was.
    """
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import delete, func, insert, select

    from cs_console.config.policy_file import default_policy
    from cs_console.demo.pools import OUTLET_PUDONG, OUTLET_XIHU
    from cs_console.domain.enums import Role
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.work_orders import outlet_inbox
    from cs_console.storage.engine import make_engine
    from cs_console.storage.tables import Complaint, User, WorkOrder

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    now = datetime.now(UTC)
    marker = "bench-work-order"
    with engine.begin() as conn:
        complaints = (
            conn.execute(select(Complaint.id).order_by(func.random()).limit(open_orders + answered))
            .scalars()
            .all()
        )
        clerk = conn.execute(select(User.id).where(User.outlet == OUTLET_PUDONG)).scalar_one()
        rows = []
        for i in range(open_orders + answered):
            is_open = i < open_orders
            rows.append({
                "complaint_id": complaints[i % len(complaints)], "kind": "urge",
                "outlet": OUTLET_PUDONG if is_open or i % 2 else OUTLET_XIHU,
                "status": "open" if is_open else "answered", "instructions": marker,
                "created_by": clerk, "created_at": now - timedelta(hours=30),
                "due_at": now + timedelta(minutes=i - open_orders // 2),
                "answered_at": None if is_open else now, "result": "" if is_open else "done",
                "answer": "",
            })  # fmt: skip
        conn.execute(insert(WorkOrder), rows)
    actor = Actor(clerk, "guohao", "郭浩", "9102", Role.OUTLET, outlet=OUTLET_PUDONG)
    try:
        inbox = [outlet_inbox(console, actor)]  # warm the page cache like a running console
        samples = []
        for _ in range(30):
            start = time.perf_counter()
            inbox.append(outlet_inbox(console, actor))
            samples.append(time.perf_counter() - start)
        env = {**os.environ, "CS_CONSOLE_PASSWORD": SUPERVISOR_PASSWORD}
        listing = {}
        # "none" lists an outlet nobody serves: the command's own cost (start, sign-in).
        plans = (("none", ["--outlet", "-"]), ("open", ["--status", "open"]), ("all", []))
        for name, narrow in plans:
            argv = [CS, "--db", url, "order", "list", *narrow, "--format", "json",
                    "--user", SUPERVISOR]  # fmt: skip
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                out = subprocess.run(argv, check=True, capture_output=True, env=env).stdout
                runs.append(time.perf_counter() - start)
            listing[f"order_list_{name}_s_median"] = round(statistics.median(runs), 3)
            listing[f"order_list_{name}_rows"] = len(json.loads(out))
    finally:
        with engine.begin() as conn:
            conn.execute(delete(WorkOrder).where(WorkOrder.instructions == marker))
        engine.dispose()
    return {
        "orders": open_orders + answered,
        "complaints_with_orders": len(complaints),
        "inbox_open_orders": inbox[-1].total,
        "inbox_listed": len(inbox[-1].shown),
        "inbox_ms_p95": round(_p95(samples) * 1000, 2),
        **listing,
    }


def tracking(url: str, runs: int = 300) -> dict:
    """The demo provider's answer (what fills the parcel box after the last digit), the
    lookup on a cache miss (asked, then kept in the database) and on a cache hit, p50/p95
    over the demo database's parcels."""
    from sqlmodel import select

    from cs_console.config.policy_file import default_policy
    from cs_console.services.context import ServiceContext
    from cs_console.services.tracking.setup import open_tracking
    from cs_console.storage.engine import make_engine, read_session
    from cs_console.storage.tables import Parcel

    engine = make_engine(url)
    try:
        console = ServiceContext(engine, default_policy())
        lookup = open_tracking(console)
        with read_session(engine) as session:
            numbers = list(session.exec(select(Parcel.tracking_no).limit(runs)))
        figures: dict[str, list[float]] = {"demo_query": [], "miss": [], "hit": []}
        for number in numbers:
            start = time.perf_counter()
            lookup.provider.query(number)
            figures["demo_query"].append(time.perf_counter() - start)
        for kind in ("miss", "hit"):  # the first pass fills the cache, the second reads it
            for number in numbers:
                start = time.perf_counter()
                lookup.track(number)
                figures[kind].append(time.perf_counter() - start)
    finally:
        engine.dispose()
    results: dict[str, object] = {"parcels": len(numbers)}
    for name, samples in figures.items():
        results[f"{name}_ms_p50"] = round(statistics.median(samples) * 1000, 2)
        results[f"{name}_ms_p95"] = round(_p95(samples) * 1000, 2)
    return results


def import_neighbours(
    pg_url: str | None, rows: int = 200_000, engines: tuple[str, ...] = ("sqlite", "postgresql")
) -> dict:
    """Another console's sign-in and save latency while ``cs-console import`` loads a
    ``rows``-row register (a separate process), on each engine: p50, p95 and max, the
    attempts that failed, and how long the import itself took."""
    import csv
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import cs_console.storage.engine as engine_module
    from cs_console.config.policy_file import default_policy
    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.services.accounts import authenticate
    from cs_console.services.complaints import register_complaint
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine

    # How long this console's writes (the sign-in's audit entry, the save) waited for their
    # turn behind the import (SQLite's writers' queue), apart from the CPU they then used.
    waited: list[float] = []
    take = engine_module._Turn.take

    def timed_take(turn: engine_module._Turn) -> None:
        begin = time.perf_counter()
        take(turn)
        waited.append(time.perf_counter() - begin)

    engine_module._Turn.take = timed_take  # type: ignore[method-assign]
    folder = Path(tempfile.mkdtemp())
    register = folder / "register.csv"
    header = [
        "姓名",
        "联系电话",
        "快递单号",
        "投诉类型",
        "延误天数",
        "问题描述",
        "诉求",
        "登记时间",
    ]
    # One row every 10 seconds back from ten minutes ago, in the console's zone.
    newest = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=10)
    with register.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for i in range(rows):
            moment = (newest - timedelta(seconds=10 * i)).strftime("%Y-%m-%d %H:%M:%S")
            phone, number = f"139{i:08d}", f"YT{4400000000 + i}"
            writer.writerow([f"客户{i}", phone, number, "延误", "2", "晚到", "尽快派送", moment])
    results: dict[str, object] = {"register_rows": rows}
    try:
        for engine_name in [e for e in engines if e == "sqlite" or pg_url]:
            tag = f"cs_bench_import_{engine_name}_{os.getpid()}"
            url = _fresh_database(engine_name, folder, pg_url, tag)
            console = ServiceContext(make_engine(url), default_policy())
            env = {**os.environ, "CS_CONSOLE_PASSWORD": "bench-pass-1"}
            idle = []  # the yardstick: a sign-in with nothing else running
            for _ in range(5):
                begin = time.perf_counter()
                authenticate(console, "bench1", "bench-pass-1")
                idle.append(time.perf_counter() - begin)
            started = time.perf_counter()
            importer = subprocess.Popen(
                [CS, "import", str(register), "--user", "bench0", "--db", url],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            samples: dict[str, list[float]] = {"sign_in": [], "save": [], "turn_wait": []}
            failures = 0
            i = 0
            while importer.poll() is None:
                i += 1
                try:
                    begin = time.perf_counter()
                    actor = authenticate(console, "bench1", "bench-pass-1").actor
                    samples["sign_in"].append(time.perf_counter() - begin)
                    form = ComplaintForm(
                        customer_name="李娜",
                        phone=f"137{i:08d}",
                        tracking_no=f"ZT{5500000000 + i}",
                        category="delay",
                        days_late="1",
                        description="晚到",
                        request="道歉",
                    )
                    begin = time.perf_counter()
                    register_complaint(console, actor, form)
                    samples["save"].append(time.perf_counter() - begin)
                except Exception:  # noqa: BLE001  (a "database is locked" is the figure)
                    failures += 1
                samples["turn_wait"].extend(waited)
                waited.clear()
                time.sleep(0.5)
            figures: dict[str, object] = {
                "import_s": round(time.perf_counter() - started, 1),
                "import_exit": importer.returncode,
                "failed_attempts": failures,
                "idle_sign_in_ms_p50": round(statistics.median(idle) * 1000, 1),
            }
            for name, found in samples.items():
                figures[f"{name}_samples"] = len(found)
                if len(found) >= 2:
                    figures[f"{name}_ms_p50"] = round(statistics.median(found) * 1000, 1)
                    figures[f"{name}_ms_p95"] = round(_p95(found) * 1000, 1)
                    figures[f"{name}_ms_max"] = round(max(found) * 1000, 1)
            console.engine.dispose()
            if engine_name == "postgresql":
                _drop_pg(pg_url, tag)  # type: ignore[arg-type]
            results[engine_name] = figures
    finally:
        shutil.rmtree(folder)
        engine_module._Turn.take = take  # type: ignore[method-assign]
    results["load_average"] = _load_average()
    return results


# The rotation, run by the demo administrator in its own process: signs in first (scrypt),
# then says so by creating the file argv[2] and times ``rotate_data_key`` alone.
_ROTATE = """
import json, sys, time
from pathlib import Path
from cs_console.config.policy_file import default_policy
from cs_console.services.accounts import authenticate
from cs_console.services.context import ServiceContext
from cs_console.services.key_rotation import rotate_data_key
from cs_console.storage.engine import make_engine
console = ServiceContext(make_engine(sys.argv[1]), default_policy())
admin = authenticate(console, "admin", "admin-demo1").actor
Path(sys.argv[2]).touch()
began = time.perf_counter()
report = rotate_data_key(console, admin)
print(json.dumps({"resealed": report.resealed, "seconds": time.perf_counter() - began}))
"""


def key_rotation_figures(complaints: int = 5000) -> dict:
    """``cs-console key rotate`` (a separate process) on a demo database of ``complaints``
    complaints while another console saves a complaint every 0.2 s: the rows re-sealed per
    second, and the save's latency meanwhile (p50, p95, max, failures), next to the same
    console's saves with nothing else running."""
    from cs_console.config.policy_file import default_policy
    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.services.accounts import authenticate
    from cs_console.services.complaints import register_complaint
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine

    folder = Path(tempfile.mkdtemp())
    try:
        url = f"sqlite:///{folder / 'rotation.db'}"
        _demo(url, complaints)
        console = ServiceContext(make_engine(url), default_policy())
        actor = authenticate(console, AGENT, PASSWORD).actor
        counter = [0]

        def save() -> float:
            counter[0] += 1
            form = ComplaintForm(
                customer_name="李娜",
                phone=f"137{counter[0]:08d}",
                tracking_no=f"ZT{5500000000 + counter[0]}",
                category="delay",
                days_late="1",
                description="晚到",
                request="道歉",
            )
            begin = time.perf_counter()
            register_complaint(console, actor, form)
            return time.perf_counter() - begin

        idle = [save() for _ in range(10)]
        begun = folder / "rotating"  # the rotating process signed in and began re-sealing
        rotation = subprocess.Popen(
            [sys.executable, "-c", _ROTATE, url, str(begun)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        samples, starts, failures = [], [], 0
        while rotation.poll() is None:
            if not begun.exists():
                time.sleep(0.02)
                continue
            try:
                starts.append(time.perf_counter())
                samples.append(save())
            except Exception:  # noqa: BLE001  (a refused save is the figure)
                starts.pop()
                failures += 1
            time.sleep(0.2)
        ended = time.perf_counter()
        out, err = rotation.communicate()
        if rotation.returncode != 0:
            raise RuntimeError(f"the rotation failed: {err.strip()[-2000:]}")
        report = json.loads(out)
        console.engine.dispose()
    finally:
        shutil.rmtree(folder)
    figures: dict[str, object] = {
        "load_average": _load_average(),
        "demo_complaints": complaints,
        "rotate_s": round(report["seconds"], 2),
        "resealed_rows": report["resealed"],
        "resealed_rows_per_s": round(report["resealed"] / report["seconds"], 1),
        "save_ms_p50_idle": round(statistics.median(idle) * 1000, 1),
        "saves_during": len(samples),
        "save_failures_during": failures,
    }
    if len(samples) >= 2:
        figures["save_ms_p50_during"] = round(statistics.median(samples) * 1000, 1)
        figures["save_ms_p95_during"] = round(_p95(samples) * 1000, 1)
        figures["save_ms_max_during"] = round(max(samples) * 1000, 1)
        # When the slowest save began, in seconds before the rotation's process had ended.
        slowest = starts[samples.index(max(samples))]
        figures["slowest_save_began_s_before_end"] = round(ended - slowest, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="build a 1,000,000-complaint database")
    parser.add_argument("--big-db", help="reuse a 1,000,000-complaint SQLite file")
    parser.add_argument(
        "--only",
        help="comma-separated: save, lists, login, concurrent, phone_lookup, supervisor, "
        "mass_detection, tracking, parcel, work_orders, claims, import, tick, key_rotation",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=200_000,
        help="the register's size for the import figures (--only import)",
    )
    parser.add_argument(
        "--import-on",
        default="sqlite,postgresql",
        help="the engines for the import figures (--only import)",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("CS_CONSOLE_TEST_PG"),
        help="a PostgreSQL server URL for the concurrent figures (default CS_CONSOLE_TEST_PG)",
    )
    args = parser.parse_args()
    results: dict[str, object] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    only = set(args.only.split(",")) if args.only else None
    folder = Path(tempfile.mkdtemp())
    try:
        small = f"sqlite:///{folder / 'demo.db'}"
        results["demo_200_s"] = round(_demo(small, 200), 2)
        if only is None:
            results["startup_small_db"] = startup(small)
            results["greeting"] = greeting_latency(small)
        if only is None or "save" in only:
            results["save"] = save_complaint()
        if only is None or "lists" in only:
            results["lists_small_db"] = list_refresh(small)
        if only is None or "login" in only:
            results["login"] = login(small)
        if only is None or "tracking" in only:
            results["tracking_small_db"] = tracking(small)
        if only is None or "parcel" in only:
            results["parcel_small_db"] = parcel_figures(small, AGENT, PASSWORD)
        if only is None or "concurrent" in only:
            results["concurrent"] = concurrent_registrations(args.pg)
        if only is not None and "import" in only:  # about an hour: asked for by name only
            engines = tuple(args.import_on.split(","))
            results["import_neighbours"] = import_neighbours(args.pg, args.import_rows, engines)
        if only is not None and "key_rotation" in only:
            results["key_rotation"] = key_rotation_figures()
        if only is None or "tick" in only:
            results["tick"] = asyncio.run(tick_cost())
        big = args.big_db
        if args.big and not big:
            big = str(folder / "big.db")
            results["demo_1m_s"] = round(_demo(f"sqlite:///{big}", 1_000_000), 1)
        if big and only is None:
            results["startup_1m_db"] = startup(f"sqlite:///{big}")
        if big and (only is None or "lists" in only):
            results["lists_1m_db"] = list_refresh(f"sqlite:///{big}")
        if big and (only is None or "phone_lookup" in only):
            results["phone_lookup_1m_db"] = phone_lookup(f"sqlite:///{big}")
        if big and (only is None or "supervisor" in only):
            results["supervisor_1m_db"] = supervisor_figures(f"sqlite:///{big}")
        if big and (only is None or "mass_detection" in only):
            results["mass_detection_1m_db"] = mass_detection(f"sqlite:///{big}")
        if only is None or "work_orders" in only:
            results["work_orders_small_db"] = work_order_figures(small, answered=0)
        if big and (only is None or "work_orders" in only):
            results["work_orders_1m_db"] = work_order_figures(f"sqlite:///{big}")
        if only is None or "claims" in only:
            results["claims_small_db"] = claims_figures(small, CS, SUPERVISOR, SUPERVISOR_PASSWORD)
        if big and (only is None or "claims" in only):
            results["claims_1m_db"] = claims_figures(
                f"sqlite:///{big}", CS, SUPERVISOR, SUPERVISOR_PASSWORD
            )
    finally:
        shutil.rmtree(folder)
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
