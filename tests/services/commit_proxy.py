"""A TCP proxy in front of PostgreSQL that loses a COMMIT's answer, for the journal's tests.

``CommitProxy(host, port)`` listens on 127.0.0.1 and forwards every byte both ways. Once
``arm()``-ed, it reads the client's messages (PostgreSQL's frontend protocol: untyped
start-up messages, then a type byte and a length each) and, at the first simple query
('Q') or parse ('P') whose statement is COMMIT, forwards it, waits for the server's answer
and drops it with the client's connection: the transaction is committed, the client never
hears so. The proxy then disarms itself (one drop per ``arm``).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterator

# Start-up requests answered by one byte and followed by another untyped message.
_SSL_OR_GSS = (80877103, 80877104)


def _statement(kind: bytes, body: bytes) -> str:
    """The SQL a 'Q' (query text) or 'P' (statement name, then text) message carries."""
    if kind == b"P":
        body = body.split(b"\0", 1)[1] if b"\0" in body else b""
    return body.split(b"\0", 1)[0].decode(errors="replace").strip().rstrip(";").strip()


class _Frontend:
    """Splits the client's stream into whole messages: (type, body, raw bytes); type b""
    for the untyped start-up messages."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._started = False

    def feed(self, data: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
        self._buffer += data
        while message := self._next():
            yield message

    def _next(self) -> tuple[bytes, bytes, bytes] | None:
        typed = 1 if self._started else 0
        if len(self._buffer) < typed + 4:
            return None
        (size,) = struct.unpack("!I", self._buffer[typed : typed + 4])
        if len(self._buffer) < typed + size:
            return None
        raw = bytes(self._buffer[: typed + size])
        del self._buffer[: typed + size]
        if not typed:
            code = struct.unpack("!I", raw[4:8])[0] if size >= 8 else 0
            self._started = code not in _SSL_OR_GSS
            return b"", raw[4:], raw
        return raw[:1], raw[5:], raw


class CommitProxy:
    """Forwards 127.0.0.1:``port`` to the server; ``arm()`` loses the next COMMIT's answer."""

    def __init__(self, server_host: str, server_port: int) -> None:
        self.server = (server_host, server_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._armed = threading.Event()
        self.dropped = 0  # connections dropped after forwarding a COMMIT
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self) -> None:
        self._armed.set()

    def close(self) -> None:
        self._closing = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.server)
            cut = threading.Event()
            threading.Thread(
                target=self._to_server, args=(client, upstream, cut), daemon=True
            ).start()
            threading.Thread(
                target=self._to_client, args=(upstream, client, cut), daemon=True
            ).start()

    def _to_server(
        self, client: socket.socket, upstream: socket.socket, cut: threading.Event
    ) -> None:
        frontend = _Frontend()
        while data := _recv(client):
            for kind, body, raw in frontend.feed(data):
                commit = kind in (b"Q", b"P") and _statement(kind, body).upper() == "COMMIT"
                if commit and self._armed.is_set():
                    self._armed.clear()
                    cut.set()  # the server's next answer is swallowed, the client dropped
                    upstream.sendall(raw)
                    return
                upstream.sendall(raw)
        _close(upstream)

    def _to_client(
        self, upstream: socket.socket, client: socket.socket, cut: threading.Event
    ) -> None:
        while data := _recv(upstream):
            if cut.is_set():  # COMMIT's answer: committed, never told
                self.dropped += 1
                break
            client.sendall(data)
        _close(client)
        _close(upstream)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
