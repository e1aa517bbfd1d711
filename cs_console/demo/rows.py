"""Rows of the demo database, generated in chunks as positional tuples.

Times are whole UTC epoch seconds until the last moment, when ``ts`` turns them into what
the datetime columns store. Every complaint's timeline is drawn against its clocks (from
``initial_clocks``, ``followup_clock`` and ``second_followup_clock``): most old complaints
are closed, mostly within their clocks; the open ones are placed so that every clock state
(ok, amber, red, breached) occurs for every clock and both severities.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import gcd
from zoneinfo import ZoneInfo

from cs_console.demo.facts import by_severity, fact_templates
from cs_console.demo.pools import (
    CARRIERS,
    MOBILE_PREFIXES,
    address_pool,
    name_pool,
    outlet_pool,
    route_pool,
)
from cs_console.domain.clocks import followup_clock, initial_clocks, second_followup_clock
from cs_console.domain.enums import Severity
from cs_console.domain.policy import Policy
from cs_console.storage.customers import ADDRESS, ID_NUMBER, NAME, PHONE
from cs_console.storage.sealing import DataKey

HOUR, DAY = 3600, 86_400
HISTORY_DAYS = 90  # complaints spread over the last 90 days
FULL_HISTORY_DAYS = 7  # closed complaints this recent keep every event and callback
CLOSED_UNTIL = 6 * HOUR  # the newest closed complaint was registered this long ago

# The columns each generated tuple fills, in order; every NOT NULL column is among them, as
# the rows bypass the ORM and its defaults (a test compares them with the tables).
USER_COLUMNS = (
    "id", "username", "display_name", "agent_no", "role", "team", "outlet", "password_hash",
    "password_changed_at", "must_change_password", "failed_logins", "locked_until", "active",
    "created_at", "wrapped_data_key",
)  # fmt: skip
# last_contact_at is left empty: the purge first sets it from the records it finds
# (storage.retention.keep_last_contacts), as for customers stored before the column existed.
CUSTOMER_COLUMNS = (
    "id",
    "phone_key",
    "name",
    "phone",
    "address",
    "created_at",
    "id_number",
    "last_contact_at",
)
PARCEL_COLUMNS = (
    "id", "tracking_no", "customer_id", "route", "hub", "outlet", "batch", "created_at",
)  # fmt: skip
HUB_COLUMNS = ("parcel_id", "hub", "position")  # parcel_hubs, from domain.tracking.route_hubs
CONTACT_COLUMNS = (
    "id", "agent_id", "customer_id", "parcel_id", "channel", "contact_type", "started_at",
    "answered_at", "ended_at", "notes", "outcome", "tracking_state",
)  # fmt: skip
COMPLAINT_COLUMNS = (
    "id", "reference", "contact_id", "customer_id", "parcel_id", "category", "severity",
    "severity_reasons", "severity_override", "status", "channel", "outlet", "description",
    "request", "days_late", "declared_value_fen", "insured", "insured_amount_fen",
    "shipping_fee_fen", "item_damaged", "repairable", "repeat_of", "owner_id", "registered_at",
    "verify_due", "verified_at", "resolve_due", "resolved_at", "followup_due",
    "followup_done_at", "second_followup_due", "closed_at", "compensation_kind",
    "compensation_fen", "responsibility", "satisfaction", "version", "import_key",
    "responsible_agent_id", "approval_status", "approval_reason", "proposed_kind",
    "proposed_fen", "proposed_by", "contact_name", "import_batch_id",
)  # fmt: skip
# The demo's resolutions stay within the policy: nothing waits for a supervisor's approval.
NO_APPROVAL = ("", "", "", None, None)
CALLBACK_COLUMNS = (
    "id", "customer_id", "complaint_id", "contact_id", "kind", "status", "owner_id", "due_at",
    "attempts", "note", "created_at", "done_at", "incident_id", "phone",
)  # fmt: skip
ATTEMPT_COLUMNS = (
    "id", "callback_id", "actor_id", "at", "outcome", "satisfaction", "note", "undone_at", "prior",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "at", "actor_id", "complaint_id", "callback_id", "contact_id", "kind", "detail",
)  # fmt: skip

# Open complaints: (clock running, its state); the first rounds cover each pair with both
# severities, later ones follow these weights.
SCENARIOS = (
    (("verify", "ok"), 10), (("verify", "amber"), 3), (("verify", "red"), 2),
    (("verify", "breached"), 4), (("resolve", "ok"), 14), (("resolve", "amber"), 4),
    (("resolve", "red"), 2), (("resolve", "breached"), 5), (("followup", "ok"), 10),
    (("followup", "amber"), 3), (("followup", "red"), 1), (("followup", "breached"), 4),
    (("second", "ok"), 2), (("second", "amber"), 1), (("second", "red"), 1),
    (("second", "breached"), 1), (("stale", "breached"), 3),
)  # fmt: skip
_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 4, 8, 11, 13, 12, 9, 10, 12, 12, 11, 10, 8, 7, 6, 4, 3, 2)
RESPONSIBLE = {
    "delay": (("courier", 40), ("outlet", 30), ("system", 10), ("force_majeure", 10), ("", 10)),
    "loss": (("courier", 50), ("outlet", 40), ("", 10)),
    "damage": (("courier", 55), ("outlet", 35), ("", 10)),
    "attitude": (("courier", 55), ("agent", 30), ("outlet", 15)),
    "other": (("outlet", 40), ("system", 20), ("agent", 10), ("", 30)),
}
CONTACT_TYPES = (("tracking", 50), ("shipping", 25), ("claim", 8), ("suggestion", 5), ("other", 12))
CONTACT_OUTCOMES = {
    "tracking": "已告知物流进度",
    "shipping": "已确认寄件信息与运费",
    "claim": "已登记理赔咨询",
    "suggestion": "已记录建议",
    "other": "已解答",
}


@dataclass
class Batch:
    """Rows for one chunk, in the order they must be inserted (foreign keys)."""

    parcels: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)
    complaints: list[tuple] = field(default_factory=list)
    callbacks: list[tuple] = field(default_factory=list)
    attempts: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)


HANDOVER_REASON = "重大投诉，升级至投诉处理专员"
WALK_IN_HANDOVER_REASON = "网点登记的投诉，转客服坐席跟进"


@dataclass
class Staff:
    """Database ids of the demo people, by role."""

    agents: list[int]
    specialists: list[int]
    outlet_users: list[tuple[int, str]]  # (id, outlet)

    def handover_reason(self, registrar: int) -> str:
        """Why a complaint left the person who registered it: an outlet hands its walk-ins
        to the call desk, an agent a major complaint to a specialist."""
        if any(user == registrar for user, _ in self.outlet_users):
            return WALK_IN_HANDOVER_REASON
        return HANDOVER_REASON


# Region codes valid for every birth date the demo draws (python-stdnum's cn.ric agrees).
_ID_REGIONS = ("110101", "110105", "110108", "310101", "310104")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(rng: random.Random) -> str:
    """A well-formed 18-digit resident ID number (GB 11643 check digit) of an adult."""
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
    body = f"{rng.choice(_ID_REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def open_count(complaints: int) -> int:
    """How many complaints stay open: a fifth of a small demo, a few thousand of a big one."""
    return min(complaints // 5, 2500 + complaints // 1000)


class DemoRows:
    """Generates every demo row; ids continue from ``next_ids`` (table name -> first id)."""

    def __init__(
        self,
        *,
        rng: random.Random,
        policy: Policy,
        zone: ZoneInfo,
        now: datetime,
        complaints: int,
        staff: Staff,
        next_ids: dict[str, int],
        ts: Callable[[int], object],
        counters: dict[str, int],
        data_key: DataKey,
        taken_phones: set[str] | None = None,  # phone keys already stored
        taken_tracking: set[str] | None = None,
    ) -> None:
        self.data_key = data_key
        self.rng, self.policy, self.zone, self.staff, self.ts = rng, policy, zone, staff, ts
        self.now = int(now.timestamp())
        self.complaints = complaints
        self.open = open_count(complaints)
        self.closed = complaints - self.open
        self.customer_count = max(1, round(complaints * 0.7))
        self.ids = dict(next_ids)
        self.customer_base = self.take("customers", self.customer_count)
        self.counters = counters
        self.taken_phones = taken_phones or set()
        self.taken_tracking = taken_tracking or set()
        self.templates = fact_templates(rng, policy)
        self.by_severity = by_severity(self.templates)
        self.names, self.addresses = name_pool(rng), address_pool(rng)
        self.outlets, self.routes = outlet_pool(), route_pool()
        # A parcel's route ends in the city of the outlet that delivers it.
        self._routes_to = {
            outlet: [r for r in self.routes if outlet.startswith(r.partition("-")[2])]
            for outlet in self.outlets
        }
        clocks = policy.clocks
        self.lengths = {}
        for severity in Severity:
            verify, resolve = initial_clocks(now, severity, clocks)
            self.lengths[severity.value] = (
                int((verify.due - verify.start).total_seconds()),
                int((resolve.due - resolve.start).total_seconds()),
            )
        followup = followup_clock(now, clocks)
        second = second_followup_clock(now, clocks)
        self.followup = int((followup.due - followup.start).total_seconds())
        self.second = int((second.due - second.start).total_seconds())
        self.retry = int(policy.callbacks.retry_after.total_seconds())
        self.satisfied_from = policy.callbacks.satisfied_from
        self._days: dict[int, str] = {}
        self.complaint_index = 0
        # Complaint i belongs to customer (a*i + b) mod C: one customer's complaints lie
        # C/N of the 90 days apart, so none is raised while an earlier one is unresolved.
        multiplier = rng.randrange(1, 10**6) * 2 + 1
        while gcd(multiplier, self.customer_count) != 1:
            multiplier += 2
        self._mix = (multiplier, rng.randrange(self.customer_count))
        self._tracking = {
            prefix: rng.randrange(10 ** (digits - 1), 10**digits // 2)
            for prefix, digits, _share in CARRIERS
        }

    # helpers -------------------------------------------------------------------------------

    def route_to(self, outlet: str) -> str:
        """A route ending where ``outlet`` is (any route for an outlet of no known city)."""
        return self.rng.choice(self._routes_to.get(outlet) or self.routes)

    def take(self, table: str, count: int = 1) -> int:
        first = self.ids[table]
        self.ids[table] = first + count
        return first

    def local_day(self, seconds: int) -> str:
        """YYYYMMDD in the site's zone (cached per quarter hour: zones move on those)."""
        bucket = seconds // 900
        day = self._days.get(bucket)
        if day is None:
            moment = datetime.fromtimestamp(bucket * 900, self.zone)
            day = self._days[bucket] = moment.strftime("%Y%m%d")
        return day

    def reference(self, registered: int) -> str:
        day = self.local_day(registered)
        number = self.counters.get(day, 0) + 1
        self.counters[day] = number
        return f"C-{day}-{number:04d}"

    def customer_of(self, index: int) -> int:
        a, b = self._mix
        return self.customer_base + (a * index + b) % self.customer_count

    def tracking_numbers(self, count: int) -> list[str]:
        """Increasing numbers per carrier (as carriers issue them), never one already used."""
        carriers = self.rng.choices(CARRIERS, weights=[c[2] for c in CARRIERS], k=count)
        gaps = self.rng.choices(range(1, 10), k=count)
        counters, taken, numbers = self._tracking, self.taken_tracking, []
        for (prefix, digits, _share), gap in zip(carriers, gaps, strict=True):
            while True:
                counters[prefix] += gap
                number = f"{prefix}{counters[prefix]:0{digits}d}"
                if number not in taken:
                    break
            numbers.append(number)
        return numbers

    # customers ---------------------------------------------------------------------------

    def customers(self, chunk: int) -> Iterator[list[tuple]]:
        """Every customer, in phone-number order (cheap for the unique index), sealed with
        the data key: one AES-GCM encryption per field and one HMAC each."""
        rng, ts, taken, key = self.rng, self.ts, self.taken_phones, self.data_key.lookup_hash
        seal = self.data_key.seal
        total = self.customer_count
        next_id = self.customer_base
        shares = [total // len(MOBILE_PREFIXES)] * len(MOBILE_PREFIXES)
        for i in range(total - sum(shares)):
            shares[i] += 1
        rows: list[tuple] = []
        for prefix, count in zip(MOBILE_PREFIXES, shares, strict=True):
            if not count:
                continue
            gap = max(1, min(2000, 10**8 // (count * 2)))
            number = rng.randrange(0, max(1, 10**8 - count * gap * 2))
            names = rng.choices(self.names, k=count)
            addresses = rng.choices(self.addresses, k=count)
            for k in range(count):
                number += 1 + int(rng.random() * gap)
                phone = f"+86{prefix}{number:08d}"
                while key(phone) in taken:
                    number += 1
                    phone = f"+86{prefix}{number:08d}"
                created = self.now - int((HISTORY_DAYS + 30 + rng.random() * 600) * DAY)
                # About half the customers sent a parcel under real-name registration.
                id_number = resident_id(rng) if rng.random() < 0.5 else ""
                rows.append(
                    (
                        next_id,
                        key(phone),
                        seal(names[k], NAME),
                        seal(phone, PHONE),
                        seal(addresses[k], ADDRESS),
                        ts(created),
                        seal(id_number, ID_NUMBER),
                        None,
                    )
                )
                next_id += 1
                if len(rows) >= chunk:
                    yield rows
                    rows = []
        if rows:
            yield rows

    # registration times ----------------------------------------------------------------

    def closed_times(self, chunk: int) -> Iterator[list[int]]:
        """Registration times of the closed complaints, oldest first, in office-hour waves."""
        rng = self.rng
        start, end = self.now - HISTORY_DAYS * DAY, self.now - CLOSED_UNTIL
        first = datetime.fromtimestamp(start, self.zone).date()
        days = []
        day = first
        while True:
            midnight = int(datetime(day.year, day.month, day.day, tzinfo=self.zone).timestamp())
            if midnight >= end:
                break
            hours = [
                (midnight + h * HOUR, w)
                for h, w in enumerate(_HOUR_WEIGHTS)
                if start <= midnight + h * HOUR and midnight + (h + 1) * HOUR <= end
            ]
            busy = 1.15 if day.weekday() == 0 else 0.8 if day.weekday() >= 5 else 1.0
            if hours:
                days.append((hours, busy * sum(w for _, w in hours)))
            day += timedelta(days=1)
        total_weight = sum(weight for _, weight in days)
        exact = [self.closed * weight / total_weight for _, weight in days]
        counts = [int(x) for x in exact]
        by_remainder = sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in by_remainder[: self.closed - sum(counts)]:
            counts[i] += 1
        pending: list[int] = []
        for (hours, _weight), count in zip(days, counts, strict=True):
            starts = rng.choices([h for h, _ in hours], [w for _, w in hours], k=count)
            pending.extend(sorted(h + int(rng.random() * HOUR) for h in starts))
            if len(pending) >= chunk:
                yield pending
                pending = []
        if pending:
            yield pending
