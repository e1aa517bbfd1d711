"""cs-console ring PHONE: a bad number, no console running, and delivery to a listener."""

from __future__ import annotations

import asyncio
import stat
import threading
from collections.abc import Iterator

import pytest

from cs_console.config.ring_socket import RingListener, socket_path
from cs_console.domain.validation import normalize_phone
from tests.cli.conftest import Run, assert_clean_failure, output_json


def test_a_bad_phone_is_refused_before_anything_is_sent(run: Run) -> None:
    result = run(["ring", "12345"])
    assert_clean_failure(result)
    assert "Not a phone number: 12345" in result.stderr


def test_no_console_running_is_said_clearly(run: Run) -> None:
    result = run(["ring", "138 1234 5678"])
    assert_clean_failure(result)
    assert "No console is running and signed in on this machine" in result.stderr


def test_a_dead_socket_left_by_a_crashed_console_is_no_console(run: Run) -> None:
    import socket

    path = socket_path("wangfang")
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(path))  # bound, never listening: what a killed console leaves
    result = run(["ring", "13812345678"])
    assert_clean_failure(result)
    assert "No console is running" in result.stderr


@pytest.fixture
def listening() -> Iterator[list[str]]:
    """wangfang's console listening in a thread; the rings it heard, in order."""
    heard: list[str] = []
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def on_ring(e164: str) -> str:
        heard.append(e164)
        return "opened" if len(heard) == 1 else "queued"

    listener = RingListener("wangfang", on_ring, normalize_phone)

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(listener.start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield heard
    loop.call_soon_threadsafe(listener.close)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    assert not listener.path.exists()


def test_the_running_console_gets_the_ring(run: Run, listening: list[str]) -> None:
    path = socket_path("wangfang")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    first = run(["ring", "+86 138-1234-5678"])
    assert first.exit_code == 0, first.stderr
    assert output_json(first) == {"user": "wangfang", "phone": "138****5678", "status": "opened"}
    assert "wangfang's console opened a new call from 138****5678" in first.stderr
    second = run(["ring", "--user", "wangfang", "13912345678"])
    assert second.exit_code == 0, second.stderr
    assert output_json(second)["status"] == "queued"
    assert "is on a call" in second.stderr
    assert listening == ["+8613812345678", "+8613912345678"]
    other = run(["ring", "--user", "lisi", "13912345678"])
    assert_clean_failure(other)
    assert "(lisi)" in other.stderr


def test_with_several_consoles_signed_in_the_person_must_be_named(
    run: Run, listening: list[str]
) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as second:  # lisi's console, on the same machine
        second.bind(str(socket_path("lisi")))
        second.listen()
        result = run(["ring", "13812345678"])
        assert_clean_failure(result)
        assert "Several consoles are signed in here (lisi, wangfang)" in result.stderr
        named = run(["ring", "--user", "wangfang", "13812345678"])
        assert named.exit_code == 0, named.stderr
    assert listening == ["+8613812345678"]


def test_the_console_checks_what_it_is_sent(listening: list[str]) -> None:
    import json
    import socket

    for payload in (b"not json\n", b'{"phone": "12345"}\n', b'{"phone": ["x"]}\n'):
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(5)
            client.connect(str(socket_path("wangfang")))
            client.sendall(payload)
            assert json.loads(client.makefile("rb").readline()) == {"status": "invalid"}
    assert listening == []
