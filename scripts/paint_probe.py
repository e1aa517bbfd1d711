"""Start a command in a pseudo-terminal and time how long until a marker is painted.

Used by bench.py: the time is measured from just before the process starts to the moment
the marker text appears in what the program wrote to its terminal, so it includes the
interpreter, the imports and the first frame, as a person at the terminal would see it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time

ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"  # OSC
    rb"|\x1b[()][0-9A-Za-z]|\x1b[=>]"
)


def time_to_marker(
    argv: list[str],
    marker: str,
    *,
    env: dict[str, str] | None = None,
    columns: int = 120,
    rows: int = 35,
    timeout: float = 30.0,
    keys_after: bytes | None = None,
    second_marker: str | None = None,
) -> tuple[float, float | None]:
    """Seconds until ``marker`` is painted; with ``keys_after``, also seconds from sending
    those keys until ``second_marker`` is painted. Raises TimeoutError if never seen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    first: float | None = None
    second: float | None = None
    sent_at = 0.0
    wanted = marker.encode()
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.02)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                plain = ANSI.sub(b"", seen)
                if first is None and wanted in plain:
                    first = time.perf_counter() - start
                    if keys_after is None:
                        break
                    seen = b""
                    sent_at = time.perf_counter()
                    os.write(master, keys_after)
                elif first is not None and second_marker and second_marker.encode() in plain:
                    second = time.perf_counter() - sent_at
                    break
            if proc.poll() is not None and not ready:
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    if first is None:
        tail = ANSI.sub(b"", seen)[-600:].decode("utf-8", "replace")
        raise TimeoutError(f"{marker!r} never painted by {argv}; last output: {tail!r}")
    return first, second
