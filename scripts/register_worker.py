"""One console registering complaints as fast as it can: the unit of the concurrency test
and of ``bench.py``'s concurrent figures.

    CS_CONSOLE_PASSWORD=… python scripts/register_worker.py URL USERNAME WORKER COUNT GO_FILE

Signs in (the password unwraps the data key the customers are sealed with), imports and
connects first, says so (GO_FILE.ready.WORKER), then waits until GO_FILE
exists, so that every worker starts registering at the same moment. Prints one JSON
object: the references it got, the errors it met (their messages), and the wall-clock
start and end of its registrations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cs_console.config.policy_file import default_policy
from cs_console.domain.complaint_entry import ComplaintForm
from cs_console.services.accounts import authenticate
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import make_engine


def form(worker: int, n: int) -> ComplaintForm:
    """A delay complaint by a customer of its own (no repeats between workers)."""
    return ComplaintForm(
        customer_name="张伟",
        phone=f"139{worker:03d}{n:05d}",
        tracking_no=f"YT{4400000000 + worker * 100_000 + n}",
        category="delay",
        days_late=str(1 + n % 5),
        description="包裹晚到，客户催件",
        request="尽快派送",
        shipping_fee="12",
    )


def main(url: str, username: str, worker: int, count: int, go_file: str) -> None:
    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    actor = authenticate(console, username, os.environ["CS_CONSOLE_PASSWORD"]).actor
    references: list[str] = []
    errors: list[str] = []
    go = Path(go_file)
    Path(f"{go_file}.ready.{worker}").touch()
    while not go.exists():
        time.sleep(0.005)
    started = time.time()
    for n in range(count):
        try:
            references.append(register_complaint(console, actor, form(worker, n)).reference)
        except Exception as exc:  # reported, never hidden: the test asserts there are none
            errors.append(f"{type(exc).__name__}: {exc}")
    ended = time.time()
    engine.dispose()
    print(json.dumps({"references": references, "errors": errors, "start": started, "end": ended}))


def run_workers(
    url: str, usernames: list[str], password: str, workers: int, count: int
) -> list[dict]:
    """Start ``workers`` processes (one console each, people taken in turn, all with this
    password), let them all register ``count`` complaints at the same moment, and return
    what each printed."""
    with tempfile.TemporaryDirectory() as folder:
        go = Path(folder) / "go"
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    url,
                    usernames[i % len(usernames)],
                    str(i),
                    str(count),
                    str(go),
                ],
                env={**os.environ, "CS_CONSOLE_PASSWORD": password},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(workers)
        ]
        deadline = time.monotonic() + 300
        while len(list(Path(folder).glob("go.ready.*"))) < workers:  # imported, connected
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.05)
        go.touch()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=600)
            if proc.returncode != 0:
                raise RuntimeError(f"worker failed ({proc.returncode}): {err.strip()[-2000:]}")
            results.append(json.loads(out))
    return results


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
