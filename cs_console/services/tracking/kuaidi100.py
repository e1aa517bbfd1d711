"""kuaidi100's real-time query API (实时快递查询), as documented.

POST form fields ``customer``, ``param`` (JSON ``{"com", "num", "phone", "resultv2": "4"}``)
and ``sign``, the upper-case hex MD5 of ``param + key + customer``. The answer is
``{"message", "state", "status", "ischeck", "com", "nu", "data": [{"time", "ftime",
"context", "areaName", "status"}]}``, newest event first; a number it does not know is
``{"result": false, "returnCode", "message"}``. Standard library only (http.client): one
POST per lookup, a deadline on the whole exchange, and anything but that JSON is a failure.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import time
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cs_console.domain.tracking import (
    Tracking,
    TrackingEvent,
    bracketed_places,
    build_tracking,
    clean_event_text,
)
from cs_console.services.tracking.provider import TrackingUnavailable, UnknownNumber

# kuaidi100's return codes: 500 "no result" is a number it does not know; a refused
# signature (503) or a disabled key (601) is our configuration, not the parcel.
NO_RESULT = "500"
BAD_KEY = frozenset({"503", "601"})
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # 10,000 events are about 2 MB
EVENT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The times in the answer are China's (the API has no zone field).
CHINA = ZoneInfo("Asia/Shanghai")


def sign(param: str, key: str, customer: str) -> str:
    """The request's signature: upper-case hex MD5 of param + key + customer."""
    return hashlib.md5((param + key + customer).encode("utf-8")).hexdigest().upper()


class Kuaidi100Provider:
    """The company's parcels at kuaidi100 (``com`` is the company's code there)."""

    name = "kuaidi100"

    def __init__(
        self,
        *,
        url: str,
        customer: str,
        key: str,
        com: str,
        timeout: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.url, self.customer, self.key, self.com = url, customer, key, com
        self.timeout, self.clock = timeout, clock

    def query(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        param = json.dumps(
            {"com": self.com, "num": tracking_no, "phone": phone_last4 or "", "resultv2": "4"},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        form = {
            "customer": self.customer,
            "param": param,
            "sign": sign(param, self.key, self.customer),
        }
        body = self._post(urllib.parse.urlencode(form).encode("utf-8"))
        return self._read(tracking_no, body)

    def _post(self, body: bytes) -> bytes:
        """The answer's bytes, all within ``timeout`` seconds of the start: every wait on
        the socket (connecting, the headers, each piece of the body) gets what is left."""
        deadline = time.monotonic() + self.timeout

        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            return remaining

        parts = urllib.parse.urlsplit(self.url)
        secure = parts.scheme == "https"
        kind = http.client.HTTPSConnection if secure else http.client.HTTPConnection
        connection = kind(parts.hostname or "", parts.port, timeout=self.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        try:
            connection.request("POST", path, body, headers)
            sock = connection.sock  # kept: the connection lets go of it once answered
            if sock is None:
                raise TrackingUnavailable("unreachable", "no connection")
            sock.settimeout(left())
            answer = connection.getresponse()
            if answer.status != 200:
                raise TrackingUnavailable("http_error", f"HTTP {answer.status}")
            chunks: list[bytes] = []
            size = 0
            while True:
                sock.settimeout(left())
                chunk = answer.read1(64 * 1024)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise TrackingUnavailable("garbled", "answer too large")
                chunks.append(chunk)
        except TimeoutError:
            raise TrackingUnavailable("timeout") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:  # refused, reset
            detail = clean_event_text(str(exc)) or type(exc).__name__
            raise TrackingUnavailable("unreachable", detail) from None
        finally:
            connection.close()

    def _read(self, tracking_no: str, body: bytes) -> Tracking:
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise TrackingUnavailable("garbled", "not JSON") from None
        if not isinstance(answer, dict):
            raise TrackingUnavailable("garbled", "not a JSON object")
        if answer.get("result") is False or "returnCode" in answer:
            code = str(answer.get("returnCode", ""))
            message = clean_event_text(str(answer.get("message", "")))[:200]
            if code in BAD_KEY:
                raise TrackingUnavailable("bad_key", f"{code} {message}".strip())
            if code == NO_RESULT:
                raise UnknownNumber(message, code)
            raise TrackingUnavailable("refused", f"{code} {message}".strip())
        rows = answer.get("data")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise TrackingUnavailable("garbled", "no list of events")
        try:
            state_code = int(answer["state"])
            events = tuple(_event(row) for row in rows)
        except (KeyError, TypeError, ValueError):
            raise TrackingUnavailable("garbled", "missing state or event fields") from None
        return build_tracking(
            tracking_no=tracking_no,
            state_code=state_code,
            events_newest_first=events,
            carrier="own",
            source=self.name,
            fetched_at=self.clock(),
        )


def _event(row: dict[str, Any]) -> TrackingEvent:
    """One event of the answer: ``ftime`` (else ``time``) in China time, ``context``, and
    ``areaName`` (else the first bracketed place) as its place."""
    when = row.get("ftime") or row["time"]
    at = datetime.strptime(str(when), EVENT_TIME_FORMAT).replace(tzinfo=CHINA)
    text = clean_event_text(str(row["context"]))
    places = bracketed_places(text)
    place = clean_event_text(str(row.get("areaName") or "")) or (places[0] if places else "")
    return TrackingEvent(at, text, place)
