"""Screen pop: ``cs-console ring PHONE`` tells the agent's running console a call came in.

Each signed-in console listens on a Unix domain socket in the owner-only runtime
directory (``paths.runtime_dir``), one per person: ``ring-<username>.sock``, mode 0600.
The message is one JSON line ``{"phone": "+86..."}``; the console answers one JSON line
``{"status": "opened" | "queued"}`` (queued: a call is in progress and is never replaced
without the agent's say). No textual, no sqlalchemy here: the CLI and the UI share it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
from collections.abc import Callable
from pathlib import Path

from cs_console.config.paths import runtime_dir

PREFIX, SUFFIX = "ring-", ".sock"
MAX_LINE = 1024  # a phone number and a little JSON: anything longer is not ours
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


class RingRefused(Exception):
    """The ring could not be delivered; ``code`` is an i18n key under ``cli.ring.``."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.details = code, details


def socket_path(username: str) -> Path:
    """Where the console signed in as ``username`` listens."""
    return runtime_dir() / f"{PREFIX}{_SAFE_NAME.sub('_', username)}{SUFFIX}"


def _exchange(path: Path, payload: dict, timeout: float) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(path))
        client.sendall(json.dumps(payload).encode() + b"\n")
        reply = client.makefile("rb").readline(MAX_LINE)
    return json.loads(reply or b"{}")


def _live(path: Path) -> bool:
    """Whether a console answers on ``path`` (a crashed console leaves a dead file)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def send_ring(phone_e164: str, username: str | None = None, timeout: float = 3.0) -> dict:
    """Deliver a ring to ``username``'s console, or to the only console signed in here.

    Returns the console's answer plus ``user``; raises ``RingRefused`` when no console
    listens (``no_console``), when several do and no user was named (``several``), or when
    the console did not answer in time (``no_answer``).
    """
    if username:
        candidates = [socket_path(username)]
    else:
        candidates = sorted(runtime_dir().glob(f"{PREFIX}*{SUFFIX}"))
    live = [path for path in candidates if path.exists() and _live(path)]
    if not live:
        raise RingRefused("no_console", user=f" ({username})" if username else "")
    if len(live) > 1:
        names = ", ".join(p.name.removeprefix(PREFIX).removesuffix(SUFFIX) for p in live)
        raise RingRefused("several", users=names)
    path = live[0]
    try:
        reply = _exchange(path, {"phone": phone_e164}, timeout)
    except (OSError, ValueError) as exc:
        raise RingRefused("no_answer", detail=type(exc).__name__) from None
    if reply.get("status") not in ("opened", "queued"):
        raise RingRefused("no_answer", detail=str(reply.get("status", "")))
    return {"user": path.name.removeprefix(PREFIX).removesuffix(SUFFIX), **reply}


class RingListener:
    """The console's end: an asyncio Unix server on the app's event loop.

    ``on_ring(phone_e164)`` runs on the event loop and returns "opened" or "queued"; the
    phone is validated by ``check_phone`` first (a malformed ring is answered "invalid").
    """

    def __init__(
        self,
        username: str,
        on_ring: Callable[[str], str],
        check_phone: Callable[[str], str | None],
    ) -> None:
        self.path = socket_path(username)
        self.on_ring, self.check_phone = on_ring, check_phone
        self._server: asyncio.AbstractServer | None = None
        self._inode: int | None = None

    async def start(self) -> None:
        """Listen; a file left by a crashed console is replaced, a live one taken over."""
        if self.path.exists() or self.path.is_symlink():
            self.path.unlink()
        self._server = await asyncio.start_unix_server(
            self._serve, path=str(self.path), limit=MAX_LINE
        )
        os.chmod(self.path, 0o600)  # in a 0700 directory: no one else could reach it anyway
        self._inode = self.path.stat().st_ino

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=5)
            if not line:
                return  # a liveness probe (send_ring looking for live consoles)
            try:
                phone = json.loads(line).get("phone", "")
            except (ValueError, AttributeError):
                phone = None
            e164 = self.check_phone(phone) if isinstance(phone, str) else None
            status = self.on_ring(e164) if e164 else "invalid"
            writer.write(json.dumps({"status": status}).encode() + b"\n")
            await writer.drain()
        except (OSError, ValueError, TimeoutError):
            pass  # the caller went away, sent too much, or too slowly: nothing to answer
        finally:
            writer.close()

    def close(self) -> None:
        """Stop listening; remove the file unless a newer console of this person owns it."""
        if self._server is not None:
            self._server.close()
            self._server = None
        try:
            if self._inode is not None and self.path.stat().st_ino == self._inode:
                self.path.unlink()
        except FileNotFoundError:
            pass
