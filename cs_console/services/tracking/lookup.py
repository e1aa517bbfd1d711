"""What the console and the commands call to track a parcel: the number checked, another
carrier's number named, the shared cache asked, and only then the provider.

An answer (a tracking, or "unknown number") is kept in the database for the policy's
``[tracking] cache_minutes`` and served to every console and command on it meanwhile:
kuaidi100 locks a number asked more often than every 30 minutes per account. Failures
(timeout, unreachable, garbled) are not kept, so the next lookup tries again. A database
that cannot be read or written only costs the cache: the lookup still answers.

In front of the database, each lookup keeps what it read or stored in memory under the same
rule (an answer fetched within ``cache_minutes`` of now): the parcel box asks again for the
number on screen as the caller's history comes and goes, and a read of the database costs a
session and a query (about 1 ms, much more while the disk is busy); the memory costs a dict
look-up. Another console's newer answer is not looked for while the one in memory is valid:
both are answers the provider gave within the window.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from cs_console.domain.carriers import Carrier, other_carrier
from cs_console.domain.policy import TrackingPolicy
from cs_console.domain.tracking import Tracking, TrackingState
from cs_console.domain.validation import normalize_tracking_no
from cs_console.services.context import InvalidInput, ServiceError
from cs_console.services.tracking.codec import tracking_from_payload, tracking_payload
from cs_console.services.tracking.provider import (
    TrackingProvider,
    TrackingUnavailable,
    UnknownNumber,
)
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.tracking_cache import cached_answer, store_answer

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
_LAST4 = re.compile(r"[0-9]{4}")
MEMO_SIZE = 512  # numbers kept in memory per lookup (a console's calls of a day or so)


@dataclass
class _Memo:
    """Answers in memory, by number: (fetched_at, the cached JSON as a dict)."""

    answers: dict[str, tuple[datetime, dict]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, number: str, since: datetime) -> dict | None:
        with self.lock:
            found = self.answers.get(number)
        return found[1] if found is not None and found[0] >= since else None

    def put(self, number: str, fetched_at: datetime, answer: dict) -> None:
        with self.lock:
            self.answers.pop(number, None)
            self.answers[number] = (fetched_at, answer)
            while len(self.answers) > MEMO_SIZE:  # the oldest written goes first
                del self.answers[next(iter(self.answers))]


@dataclass(frozen=True)
class TrackingLookup:
    engine: Engine
    provider: TrackingProvider
    policy: TrackingPolicy
    own_pattern: re.Pattern[str]
    carriers: tuple[Carrier, ...]
    clock: Callable[[], datetime]
    memo: _Memo = field(default_factory=_Memo, compare=False, repr=False)

    def track(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        """The tracking of ``tracking_no`` as typed (spaces, hyphens, any case).

        Raises ``ServiceError("tracking_invalid")`` for what cannot be a tracking number,
        ``InvalidInput`` for a ``phone_last4`` that is not four digits, ``UnknownNumber``
        when the provider does not know it, ``TrackingUnavailable`` when it cannot answer.
        Another carrier's number is not asked of the provider: its tracking names the
        carrier (``carrier``), with no events.
        """
        number = normalize_tracking_no(tracking_no)
        if number is None:
            raise ServiceError("tracking_invalid")
        if phone_last4 and not _LAST4.fullmatch(phone_last4):
            raise InvalidInput({"phone_last4": "phone_last4_invalid"})
        now = self.clock()
        carrier = other_carrier(number, self.own_pattern, self.carriers)
        if carrier is not None:
            return _not_ours(number, carrier, now)
        cached = self._cached(number, now)
        if cached is not None:
            return _answer(cached)
        try:
            tracking = self.provider.query(number, phone_last4 or None)
        except UnknownNumber as unknown:
            self._keep(number, {"unknown": unknown.message, "code": unknown.code}, now)
            raise
        self._keep(number, {"tracking": tracking_payload(tracking)}, now)
        return tracking

    def track_many(
        self, numbers: Sequence[str]
    ) -> tuple[dict[str, Tracking], TrackingUnavailable | None]:
        """The trackings of many normalised numbers (an import's parcels), cheaply: the
        cache read in one session, the provider asked for the rest one by one, its answers
        kept in one transaction. Numbers the provider does not know and other carriers'
        are left out. The provider failing stops the asking: the answers so far, and why.
        """
        now = self.clock()
        ours = [
            n
            for n in dict.fromkeys(numbers)
            if other_carrier(n, self.own_pattern, self.carriers) is None
        ]
        found: dict[str, Tracking] = {}
        unknown: set[str] = set()  # answered "unknown number" within the cache's time
        try:
            with read_session(self.engine) as session:
                since = now - self.policy.cache_for
                for number in ours:
                    cached = cached_answer(
                        session=session, provider=self.provider.name, tracking_no=number,
                        since=since,
                    )  # fmt: skip
                    if cached is not None:
                        answer = json.loads(cached.payload)
                        if "tracking" in answer:
                            found[number] = tracking_from_payload(answer["tracking"])
                        else:
                            unknown.add(number)
        except SQLAlchemyError as exc:
            log.warning("tracking cache not read: %s", type(exc).__name__)
        kept: list[tuple[str, dict]] = []
        failed: TrackingUnavailable | None = None
        for number in ours:
            if number in found or number in unknown:
                continue
            try:
                tracking = self.provider.query(number)
            except UnknownNumber as not_known:
                kept.append((number, {"unknown": not_known.message, "code": not_known.code}))
                continue
            except TrackingUnavailable as failure:
                failed = failure
                break
            found[number] = tracking
            kept.append((number, {"tracking": tracking_payload(tracking)}))
        self._keep_all(kept, now)
        return found, failed

    def _keep_all(self, answers: list[tuple[str, dict]], now: datetime) -> None:
        if not answers:
            return
        try:
            with write_session(self.engine) as session:
                for number, answer in answers:
                    store_answer(
                        session=session,
                        provider=self.provider.name,
                        tracking_no=number,
                        payload=json.dumps(answer, ensure_ascii=False),
                        fetched_at=now,
                    )
        except SQLAlchemyError as exc:
            log.warning("tracking cache not written: %s", type(exc).__name__)

    def _cached(self, number: str, now: datetime) -> dict | None:
        since = now - self.policy.cache_for
        remembered = self.memo.get(number, since)
        if remembered is not None:
            return remembered
        try:
            with read_session(self.engine) as session:
                found = cached_answer(
                    session=session,
                    provider=self.provider.name,
                    tracking_no=number,
                    since=since,
                )
        except SQLAlchemyError as exc:
            log.warning("tracking cache not read: %s", type(exc).__name__)
            return None
        if found is None:
            return None
        answer = json.loads(found.payload)
        self.memo.put(number, found.fetched_at, answer)
        return answer

    def _keep(self, number: str, answer: dict, now: datetime) -> None:
        self.memo.put(number, now, answer)
        try:
            with write_session(self.engine) as session:
                store_answer(
                    session=session,
                    provider=self.provider.name,
                    tracking_no=number,
                    payload=json.dumps(answer, ensure_ascii=False),
                    fetched_at=now,
                )
        except SQLAlchemyError as exc:
            log.warning("tracking cache not written: %s", type(exc).__name__)


def _not_ours(number: str, carrier: Carrier, now: datetime) -> Tracking:
    """Another carrier's number: named, not tracked (state unknown, no events)."""
    return Tracking(
        tracking_no=number,
        state=TrackingState.UNKNOWN,
        state_code=-1,
        events=(),
        hubs=(),
        outlet="",
        route="",
        carrier=carrier.code,
        source="carriers",
        fetched_at=now,
    )


def _answer(cached: dict) -> Tracking:
    """The tracking a cached answer holds, or the provider's "unknown number" again."""
    if "unknown" in cached:
        raise UnknownNumber(cached["unknown"], cached.get("code", ""))
    return tracking_from_payload(cached["tracking"])
