"""The service policy as typed, validated values.

The policy arrives as the parsed contents of ``data/policy.toml`` (a dict); ``parse_policy``
checks every key and returns frozen dataclasses, or raises ``PolicyError`` naming the file,
the key and what is wrong. Money is converted to fen (integer hundredths of a yuan).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any


class PolicyError(ValueError):
    """A policy value is missing or out of range; the message names file, key and problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: [{key}] {problem}")
        self.source, self.key, self.problem = source, key, problem


@dataclass(frozen=True)
class CallPolicy:
    answer_rings: int
    answer_online_seconds: int
    ring_seconds: int
    record_complete: timedelta
    reply_promise: timedelta

    @property
    def answer_phone_seconds(self) -> int:
        return self.answer_rings * self.ring_seconds


@dataclass(frozen=True)
class SeverityPolicy:
    major_delay_days: int
    major_damage_value_fen: int
    loss_is_major: bool
    repeat_unresolved_is_major: bool


@dataclass(frozen=True)
class ClockPolicy:
    verify_general: timedelta
    verify_major: timedelta
    resolve_general: timedelta
    resolve_major: timedelta
    followup: timedelta
    second_followup: timedelta
    amber_fraction: float
    red_fraction: float


@dataclass(frozen=True)
class DelayCoupon:
    min_days: int
    amount_fen: int


@dataclass(frozen=True)
class CompensationPolicy:
    delay_coupons: tuple[DelayCoupon, ...]  # sorted by min_days
    damage_min_fee_multiple: int
    uninsured_loss_cap_fen: int


@dataclass(frozen=True)
class CallbackPolicy:
    retry_after: timedelta
    max_attempts: int
    satisfied_from: int  # follow-up satisfaction (1-5) below this reopens the complaint
    outage_callback: timedelta
    disaster_callback: timedelta
    undo_window: timedelta  # an attempt's outcome can be taken back this long after


@dataclass(frozen=True)
class IncidentPolicy:
    mass_complaint_threshold: int
    mass_complaint_window: timedelta
    plan_within: timedelta
    close_within: timedelta


@dataclass(frozen=True)
class SecurityPolicy:
    password_max_age: timedelta
    max_failed_logins: int
    lockout: timedelta
    session: timedelta
    min_password_length: int
    # A recorded reason (a reveal, compensation above the suggestion) has at least this many
    # words, or this many CJK characters (domain/reasons.py).
    reason_min_words: int
    reason_min_cjk_chars: int
    min_password_score: int


@dataclass(frozen=True)
class RetentionPolicy:
    customer_data: timedelta
    service_records: timedelta


@dataclass(frozen=True)
class Targets:
    answered_in_time: float
    first_contact_resolution: float
    satisfaction: float
    responded_within: timedelta
    responded_in_time: float
    closed_within: timedelta
    closed_in_time: float


@dataclass(frozen=True)
class ScoringPolicy:
    measured_weight: float
    rated_weight: float
    excellent_from: int
    pass_from: int
    breach_deduction: int
    late_escalation_deduction: int
    attitude_retraining_count: int
    response_speed_weight: float
    first_contact_weight: float
    satisfaction_weight: float
    attitude_weight: float
    compliance_weight: float


@dataclass(frozen=True)
class OverviewPolicy:
    call_stale: timedelta  # an open contact older than this is not "on a call"
    chart_hours: int


@dataclass(frozen=True)
class Limits:
    max_days_late: int
    max_amount_fen: int
    max_description_chars: int
    max_field_chars: int


@dataclass(frozen=True)
class Policy:
    call: CallPolicy
    severity: SeverityPolicy
    clocks: ClockPolicy
    compensation: CompensationPolicy
    callbacks: CallbackPolicy
    incidents: IncidentPolicy
    security: SecurityPolicy
    retention: RetentionPolicy
    targets: Targets
    scoring: ScoringPolicy
    limits: Limits
    overview: OverviewPolicy


class _Section:
    """Reads typed values out of one table of the policy file, naming the key on error."""

    def __init__(self, data: dict[str, Any], name: str, source: str) -> None:
        self.source, self.name = source, name
        table = data.get(name)
        if not isinstance(table, dict):
            raise PolicyError(source, name, "section is missing")
        self.table = table

    def _raw(self, key: str) -> Any:
        if key not in self.table:
            raise PolicyError(self.source, f"{self.name}.{key}", "is missing")
        return self.table[key]

    def _fail(self, key: str, problem: str) -> PolicyError:
        return PolicyError(self.source, f"{self.name}.{key}", problem)

    def integer(self, key: str, low: int = 0, high: int = 10**9) -> int:
        value = self._raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise self._fail(key, f"must be between {low} and {high}, got {value}")
        return value

    def number(self, key: str, low: float, high: float) -> float:
        value = self._raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(key, f"must be a number, got {value!r}")
        if not low <= value <= high:
            raise self._fail(key, f"must be between {low} and {high}, got {value}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self._raw(key)
        if not isinstance(value, bool):
            raise self._fail(key, f"must be true or false, got {value!r}")
        return value

    def hours(self, key: str) -> timedelta:
        return timedelta(hours=self.number(key, 0.01, 24 * 365))

    def minutes(self, key: str) -> timedelta:
        return timedelta(minutes=self.number(key, 0.1, 60 * 24 * 365))

    def days(self, key: str) -> timedelta:
        return timedelta(days=self.integer(key, 1, 365 * 50))

    def fen(self, key: str) -> int:
        return round(self.number(key, 0, 10**9) * 100)


def _delay_coupons(section: _Section) -> tuple[DelayCoupon, ...]:
    rows = section._raw("delay_coupons")
    if not isinstance(rows, list) or not rows:
        raise section._fail("delay_coupons", "must be a non-empty list of {min_days, amount}")
    coupons = []
    for index, row in enumerate(rows):
        key = f"delay_coupons[{index}]"
        if not isinstance(row, dict) or set(row) != {"min_days", "amount"}:
            raise section._fail(key, "must have exactly min_days and amount")
        inner = _Section({key: row}, key, section.source)
        inner.name = f"{section.name}.{key}"
        coupons.append(DelayCoupon(inner.integer("min_days", 1, 3650), inner.fen("amount")))
    coupons.sort(key=lambda c: c.min_days)
    if len({c.min_days for c in coupons}) != len(coupons):
        raise section._fail("delay_coupons", "two rows have the same min_days")
    if any(a.amount_fen > b.amount_fen for a, b in zip(coupons, coupons[1:], strict=False)):
        raise section._fail("delay_coupons", "amounts must not fall as the delay grows")
    return tuple(coupons)


def parse_policy(data: dict[str, Any], source: str = "policy.toml") -> Policy:
    """Validate the parsed policy file and return it as typed values.

    Raises ``PolicyError`` for the first missing or out-of-range key, naming ``source``.
    """
    call, sev, clk, comp, cb, inc, sec, ret, tgt, sc, lim, ov = (
        _Section(data, name, source)
        for name in (
            "call",
            "severity",
            "clocks",
            "compensation",
            "callbacks",
            "incidents",
            "security",
            "retention",
            "targets",
            "scoring",
            "limits",
            "overview",
        )
    )
    clocks = ClockPolicy(
        verify_general=clk.hours("verify_general_hours"),
        verify_major=clk.hours("verify_major_hours"),
        resolve_general=clk.hours("resolve_general_hours"),
        resolve_major=clk.hours("resolve_major_hours"),
        followup=clk.hours("followup_hours"),
        second_followup=clk.hours("second_followup_hours"),
        amber_fraction=clk.number("amber_fraction", 0, 1),
        red_fraction=clk.number("red_fraction", 0, 1),
    )
    if clocks.red_fraction > clocks.amber_fraction:
        raise PolicyError(source, "clocks.red_fraction", "must not exceed amber_fraction")
    scoring = ScoringPolicy(
        measured_weight=sc.number("measured_weight", 0, 1),
        rated_weight=sc.number("rated_weight", 0, 1),
        excellent_from=sc.integer("excellent_from", 0, 100),
        pass_from=sc.integer("pass_from", 0, 100),
        breach_deduction=sc.integer("breach_deduction", 0, 100),
        late_escalation_deduction=sc.integer("late_escalation_deduction", 0, 100),
        attitude_retraining_count=sc.integer("attitude_retraining_count", 1, 1000),
        response_speed_weight=sc.number("response_speed_weight", 0, 1),
        first_contact_weight=sc.number("first_contact_weight", 0, 1),
        satisfaction_weight=sc.number("satisfaction_weight", 0, 1),
        attitude_weight=sc.number("attitude_weight", 0, 1),
        compliance_weight=sc.number("compliance_weight", 0, 1),
    )
    weight_sums = (
        ("rated_weight", scoring.measured_weight + scoring.rated_weight),
        (
            "satisfaction_weight",
            scoring.response_speed_weight
            + scoring.first_contact_weight
            + scoring.satisfaction_weight,
        ),
        ("compliance_weight", scoring.attitude_weight + scoring.compliance_weight),
    )
    for key, total in weight_sums:
        if abs(total - 1) > 1e-9:
            raise PolicyError(source, f"scoring.{key}", "weights must add up to 1")
    return Policy(
        call=CallPolicy(
            answer_rings=call.integer("answer_rings", 1, 50),
            answer_online_seconds=call.integer("answer_online_seconds", 1, 3600),
            ring_seconds=call.integer("ring_seconds", 1, 60),
            record_complete=call.minutes("record_complete_minutes"),
            reply_promise=call.hours("reply_promise_hours"),
        ),
        severity=SeverityPolicy(
            major_delay_days=sev.integer("major_delay_days", 1, 3650),
            major_damage_value_fen=sev.fen("major_damage_value"),
            loss_is_major=sev.flag("loss_is_major"),
            repeat_unresolved_is_major=sev.flag("repeat_unresolved_is_major"),
        ),
        clocks=clocks,
        compensation=CompensationPolicy(
            delay_coupons=_delay_coupons(comp),
            damage_min_fee_multiple=comp.integer("damage_min_fee_multiple", 0, 1000),
            uninsured_loss_cap_fen=comp.fen("uninsured_loss_cap"),
        ),
        callbacks=CallbackPolicy(
            retry_after=cb.minutes("retry_after_minutes"),
            max_attempts=cb.integer("max_attempts", 1, 100),
            satisfied_from=cb.integer("satisfied_from", 1, 5),
            outage_callback=cb.hours("outage_callback_hours"),
            disaster_callback=cb.hours("disaster_callback_hours"),
            undo_window=timedelta(seconds=cb.integer("undo_seconds", 1, 3600)),
        ),
        incidents=IncidentPolicy(
            mass_complaint_threshold=inc.integer("mass_complaint_threshold", 1, 10**6),
            mass_complaint_window=inc.minutes("mass_complaint_window_minutes"),
            plan_within=inc.hours("plan_within_hours"),
            close_within=inc.hours("close_within_hours"),
        ),
        security=SecurityPolicy(
            password_max_age=sec.days("password_max_age_days"),
            max_failed_logins=sec.integer("max_failed_logins", 1, 100),
            lockout=sec.minutes("lockout_minutes"),
            session=sec.hours("session_hours"),
            min_password_length=sec.integer("min_password_length", 4, 128),
            reason_min_words=sec.integer("reason_min_words", 1, 20),
            reason_min_cjk_chars=sec.integer("reason_min_cjk_chars", 1, 40),
            min_password_score=sec.integer("min_password_score", 0, 4),
        ),
        retention=RetentionPolicy(
            customer_data=ret.days("customer_data_days"),
            service_records=ret.days("service_records_days"),
        ),
        targets=Targets(
            answered_in_time=tgt.number("answered_in_time", 0, 1),
            first_contact_resolution=tgt.number("first_contact_resolution", 0, 1),
            satisfaction=tgt.number("satisfaction", 1, 5),
            responded_within=tgt.hours("responded_within_hours"),
            responded_in_time=tgt.number("responded_in_time", 0, 1),
            closed_within=tgt.hours("closed_within_hours"),
            closed_in_time=tgt.number("closed_in_time", 0, 1),
        ),
        scoring=scoring,
        limits=Limits(
            max_days_late=lim.integer("max_days_late", 1, 100000),
            max_amount_fen=lim.fen("max_amount"),
            max_description_chars=lim.integer("max_description_chars", 10, 10**6),
            max_field_chars=lim.integer("max_field_chars", 10, 10**4),
        ),
        overview=OverviewPolicy(
            call_stale=ov.hours("call_stale_hours"),
            chart_hours=ov.integer("chart_hours", 1, 24 * 7),
        ),
    )


@dataclass(frozen=True)
class TrackingPolicy:
    cache_for: timedelta  # one number is asked of the provider at most this often
    timeout_seconds: float  # a provider that has not answered by then has failed


def parse_tracking_policy(data: dict[str, Any], source: str = "policy.toml") -> TrackingPolicy:
    """The ``[tracking]`` section of the parsed policy file, validated like the others."""
    section = _Section(data, "tracking", source)
    return TrackingPolicy(
        cache_for=section.minutes("cache_minutes"),
        timeout_seconds=section.number("timeout_seconds", 0.1, 60),
    )
