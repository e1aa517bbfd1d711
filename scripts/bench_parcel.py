"""The parcel box's figures for scripts/bench.py (``--only parcel``).

- box painted: the agent's workspace (headless, 120x35) on the demo database, a call
  started, each of ``runs`` parcels' numbers typed into the call pane; from the key of the
  last digit to the first frame painted with the box showing that parcel's tracking (the
  debounce, the worker, the demo provider, the shared cache written, the layout and the
  paint), p50/p95. Also, as before, until the app is idle again ("filled": that includes
  what the same keystroke starts later, e.g. the caller's history looked up 0.3 s after
  typing stops), wall clock and the process's CPU time over that span;
- cache hit: ``TrackingLookup.track`` of a number answered before, on the lookup that
  answered it (memory) and on a fresh lookup of another console (the database), p50/p95;
- frame while a slow provider answers: one repaint of the call timer (``tick`` and the
  frame after it), wall clock and the UI thread's CPU time, with nothing going on and while
  a lookup waits on a local HTTP server that takes 1.5 s to answer (kuaidi100's shape).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SLOW_SECONDS = 1.5


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def _ms(samples: list[float], *names: str) -> dict[str, float]:
    figures = {"p50": statistics.median(samples), "p95": _p95(samples)}
    return {f"{names[0]}_ms_{k}": round(v * 1000, 2) for k, v in figures.items()}


@contextmanager
def slow_kuaidi100(seconds: float) -> Iterator[str]:
    """A local server answering every query, kuaidi100's way, ``seconds`` late."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(seconds)
            body = json.dumps(
                {"result": False, "returnCode": "500", "message": "查询无结果"}
            ).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/poll/query.do"
    finally:
        httpd.shutdown()
        httpd.server_close()


async def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the workspace did not get there")
        await asyncio.sleep(0.002)


async def _workspace_figures(url: str, numbers: list[str], agent: str, password: str) -> dict:
    from cs_console.config.policy_file import default_policy
    from cs_console.services.context import ServiceContext
    from cs_console.services.tracking.kuaidi100 import Kuaidi100Provider
    from cs_console.services.tracking.setup import open_tracking
    from cs_console.storage.engine import make_engine
    from cs_console.ui.factory import make_app

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    app: Any = make_app(console=console, username=agent, password=password)
    filled: list[float] = []
    painted: list[float] = []
    idle: list[float] = []
    waiting: list[float] = []
    idle_cpu: list[float] = []
    filled_cpu: list[float] = []  # every thread's CPU: the work, without the waiting
    waiting_cpu: list[float] = []
    async with app.run_test(size=(120, 35)) as pilot:

        def seated() -> bool:
            screen = app.workspace()
            return bool(screen and screen.bench is not None and screen.bench.drafts.ready)

        await _until(seated, 30)
        frames: list[float] = []  # when each frame was painted (headless: not written out)
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                frames.append(time.perf_counter())
            display(screen, renderable)

        app._display = timed_display
        bench = app.workspace().bench
        part = bench.parcel
        await pilot.press("f2")
        await pilot.pause(0.2)
        for number in numbers:
            bench.call_pane.query_one("#call-tracking_no").focus()
            bench.call_pane.load_call_fields({})
            await pilot.pause(0.05)
            for character in number[:-1]:
                await pilot.press(character)
            await pilot.pause(0.3)  # the earlier number's lookup is over
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(number[-1])
            await _until(lambda n=number: (t := part.tracking) is not None and t.tracking_no == n)
            shown = time.perf_counter()  # the box's widgets are updated; the next frame shows it
            await _until(lambda s=shown: bool(frames) and frames[-1] > s)
            painted.append(next(f for f in frames if f > shown) - start)
            await pilot.pause()  # until idle
            filled.append(time.perf_counter() - start)
            filled_cpu.append(time.process_time() - start_cpu)

        async def frame(cpu: list[float]) -> float:
            start, start_cpu = time.perf_counter(), time.thread_time()
            bench.header.tick()
            await pilot.pause()
            cpu.append(time.thread_time() - start_cpu)  # the UI thread's own work
            return time.perf_counter() - start

        for _ in range(60):
            idle.append(await frame(idle_cpu))
        with slow_kuaidi100(SLOW_SECONDS) as slow_url:
            policy = console.policy.tracking
            settled = open_tracking(console)
            part.lookup = type(settled)(
                engine=engine,
                provider=Kuaidi100Provider(
                    url=slow_url,
                    customer="BENCH",
                    key="bench-key",
                    com="bench",
                    timeout=policy.timeout_seconds,
                    clock=console.clock,
                ),
                policy=policy,
                own_pattern=settled.own_pattern,
                carriers=settled.carriers,
                clock=console.clock,
            )
            for index in range(4):
                number = f"SF13199900000{index:02d}"
                part.wanted = ""
                bench.call_pane.load_call_fields({"tracking_no": number})
                await _until(lambda: bool([w for w in app.workers if w.group == "parcel"]))
                while [w for w in app.workers if w.group == "parcel" and w.is_running]:
                    waiting.append(await frame(waiting_cpu))
    engine.dispose()
    return {
        "numbers_typed": len(filled),
        **_ms(painted, "box_painted_after_last_digit"),
        **_ms(filled, "box_filled_after_last_digit"),
        **_ms(filled_cpu, "box_filled_cpu"),
        "frame_idle_ms_median": round(statistics.median(idle) * 1000, 2),
        "frame_idle_ms_p95": round(_p95(idle) * 1000, 2),
        "frame_while_slow_provider_ms_median": round(statistics.median(waiting) * 1000, 2),
        "frame_while_slow_provider_ms_p95": round(_p95(waiting) * 1000, 2),
        "frames_while_slow_provider": len(waiting),
        "frame_cpu_idle_ms_median": round(statistics.median(idle_cpu) * 1000, 2),
        "frame_cpu_while_slow_provider_ms_median": round(statistics.median(waiting_cpu) * 1000, 2),
    }


def _hit_figures(url: str, numbers: list[str]) -> dict:
    from cs_console.config.policy_file import default_policy
    from cs_console.services.context import ServiceContext
    from cs_console.services.tracking.setup import open_tracking
    from cs_console.storage.engine import make_engine

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    remembered, stored = [], []
    lookup = open_tracking(console)
    for number in numbers:  # answered before (the box), then again
        lookup.track(number)
    for _ in range(3):
        for number in numbers:
            start = time.perf_counter()
            lookup.track(number)
            remembered.append(time.perf_counter() - start)
    for number in numbers:  # another console: its first ask finds the database's copy
        other = open_tracking(console)
        start = time.perf_counter()
        other.track(number)
        stored.append(time.perf_counter() - start)
    engine.dispose()
    return {**_ms(remembered, "cache_hit_memory"), **_ms(stored, "cache_hit_database")}


def parcel_figures(url: str, agent: str, password: str, runs: int = 40) -> dict:
    """Every figure above, on the demo database at ``url``."""
    from sqlmodel import select

    from cs_console.storage.engine import make_engine, read_session
    from cs_console.storage.tables import Parcel

    engine = make_engine(url)
    with read_session(engine) as session:
        numbers = list(session.exec(select(Parcel.tracking_no).limit(runs)))
    engine.dispose()
    figures = asyncio.run(_workspace_figures(url, numbers, agent, password))
    return {**figures, **_hit_figures(url, numbers)}
