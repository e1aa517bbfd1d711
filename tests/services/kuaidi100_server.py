"""A real HTTP server on 127.0.0.1 that speaks kuaidi100's documented real-time query API.

It checks the form (customer, param, sign = upper-case MD5 of param + key + customer),
answers the numbers it knows with ``{"message", "state", "status", "ischeck", "com", "nu",
"data": [...]}`` newest first, the others with ``{"result": false, "returnCode": "500",
"message"}``, and a bad signature with returnCode 503. ``mode`` makes it slow (before the
headers, or trickling the body a byte at a time), or answer HTML or truncated JSON; every
request is counted.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

CUSTOMER = "TESTCUSTOMER01"
KEY = "test-key-123"
COM = "shundaexpress"
NO_RESULT = {"result": False, "returnCode": "500", "message": "查询无结果，请隔段时间再查"}


def event(ftime: str, context: str, status: str = "在途", area: str = "") -> dict[str, str]:
    return {"time": ftime, "ftime": ftime, "context": context, "areaName": area, "status": status}


def answer(number: str, state: int, events: list[dict[str, str]]) -> dict[str, Any]:
    """A found number's answer, as kuaidi100 writes it (state as a string)."""
    return {
        "message": "ok",
        "state": str(state),
        "status": "200",
        "ischeck": "1" if state == 3 else "0",
        "com": COM,
        "nu": number,
        "data": events,
    }


@dataclass
class Kuaidi100Server:
    url: str = ""
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    mode: str = "ok"  # "ok", "slow", "trickle", "html", "truncated"
    slow_seconds: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hits(self) -> int:
        return len(self.requests)

    def reply(self, form: dict[str, str]) -> tuple[int, str, bytes]:
        """(status, content type, body) for one POSTed form."""
        param = form.get("param", "")
        expected = hashlib.md5((param + KEY + CUSTOMER).encode()).hexdigest().upper()
        if form.get("customer") != CUSTOMER or form.get("sign") != expected:
            refusal = {"result": False, "returnCode": "503", "message": "验证签名失败"}
            return 200, "application/json", json.dumps(refusal).encode()
        number = json.loads(param)["num"]
        if self.mode == "html":
            return 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        body = json.dumps(self.known.get(number, NO_RESULT), ensure_ascii=False).encode()
        if self.mode == "truncated":
            return 200, "application/json", body[: len(body) // 2]
        return 200, "application/json;charset=UTF-8", body


def _handler(server: Kuaidi100Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", 0))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))
            server.requests.append(form)
            if server.mode == "slow":
                time.sleep(server.slow_seconds)
            status, kind, body = server.reply(form)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.mode == "trickle":
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.25)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(name="kuaidi100")
def kuaidi100_fixture() -> Iterator[Kuaidi100Server]:
    """The server, listening on a free port of 127.0.0.1 for one test."""
    state = Kuaidi100Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/poll/query.do"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def unused_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a provider that is down)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/poll/query.do"
