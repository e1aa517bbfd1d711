"""The service policy as typed, validated values.

The policy arrives as the parsed contents of ``data/policy.toml`` (a dict); ``parse_policy``
validates it against the dataclasses below (pydantic reads each field's ``Check``: its
type, its range and the key it is written as) and returns them, or raises ``PolicyError``
naming the file, the key and what is wrong. Money is converted to fen (integer hundredths
of a yuan); durations to ``timedelta``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from cs_console.domain.schema import (
    FLAG,
    Check,
    FileKeyError,
    Problem,
    duration,
    first_problem,
    number,
    validator,
    whole,
    yuan,
)

if TYPE_CHECKING:
    from collections.abc import Callable


class PolicyError(FileKeyError):
    """A policy value is missing or out of range; the message names file, key and problem."""


Hours = Annotated[timedelta, duration("hours", 0.01, 24 * 365)]
Minutes = Annotated[timedelta, duration("minutes", 0.1, 60 * 24 * 365)]
Days = Annotated[timedelta, duration("days", 1, 365 * 50)]
Fen = Annotated[int, yuan()]
Fraction = Annotated[float, number(0, 1)]
Weight = Fraction
Points = Annotated[int, whole(0, 100)]


@dataclass(frozen=True)
class CallPolicy:
    answer_rings: Annotated[int, whole(1, 50)]
    answer_online_seconds: Annotated[int, whole(1, 3600)]
    ring_seconds: Annotated[int, whole(1, 60)]
    record_complete: Minutes
    reply_promise: Hours

    @property
    def answer_phone_seconds(self) -> int:
        return self.answer_rings * self.ring_seconds


@dataclass(frozen=True)
class SeverityPolicy:
    major_delay_days: Annotated[int, whole(1, 3650)]
    major_damage_value_fen: Fen
    loss_is_major: Annotated[bool, FLAG]
    repeat_unresolved_is_major: Annotated[bool, FLAG]


@dataclass(frozen=True)
class ClockPolicy:
    verify_general: Hours
    verify_major: Hours
    resolve_general: Hours
    resolve_major: Hours
    followup: Hours
    second_followup: Hours
    amber_fraction: Fraction
    red_fraction: Fraction

    def __post_init__(self) -> None:
        if self.red_fraction > self.amber_fraction:
            raise Problem("red_over_amber", "red_fraction")


@dataclass(frozen=True)
class DelayCoupon:
    min_days: Annotated[int, whole(1, 3650)]
    amount_fen: Fen


def _delay_coupons(rows: object, validate: Callable[[object], Any]) -> tuple[DelayCoupon, ...]:
    """A non-empty list of {min_days, amount} rows, sorted by min_days, amounts rising."""
    if not isinstance(rows, list) or not rows:
        raise Problem("coupons")
    coupons = sorted(validate(rows), key=lambda c: c.min_days)
    if len({c.min_days for c in coupons}) != len(coupons):
        raise Problem("coupon_days_twice")
    if any(a.amount_fen > b.amount_fen for a, b in zip(coupons, coupons[1:], strict=False)):
        raise Problem("coupon_amounts_fall")
    return tuple(coupons)


@dataclass(frozen=True)
class CompensationPolicy:
    # sorted by min_days
    delay_coupons: Annotated[tuple[DelayCoupon, ...], Check(_delay_coupons, wrap=True)]
    damage_min_fee_multiple: Annotated[int, whole(0, 1000)]
    uninsured_loss_cap_fen: Fen


@dataclass(frozen=True)
class CallbackPolicy:
    retry_after: Minutes
    max_attempts: Annotated[int, whole(1, 100)]
    # follow-up satisfaction (1-5) below this reopens the complaint
    satisfied_from: Annotated[int, whole(1, 5)]
    outage_callback: Hours
    disaster_callback: Hours
    # an attempt's outcome can be taken back this long after
    undo_window: Annotated[timedelta, duration("seconds", 1, 3600, key="undo_seconds")]


@dataclass(frozen=True)
class IncidentPolicy:
    mass_complaint_threshold: Annotated[int, whole(1, 10**6)]
    mass_complaint_window: Minutes
    plan_within: Hours
    close_within: Hours


@dataclass(frozen=True)
class SecurityPolicy:
    password_max_age: Days
    max_failed_logins: Annotated[int, whole(1, 100)]
    lockout: Minutes
    session: Hours
    min_password_length: Annotated[int, whole(4, 128)]
    # A recorded reason (a reveal, compensation above the suggestion) has at least this many
    # words, or this many CJK characters (domain/reasons.py).
    reason_min_words: Annotated[int, whole(1, 20)]
    reason_min_cjk_chars: Annotated[int, whole(1, 40)]
    min_password_score: Annotated[int, whole(0, 4)]
    # How long a sign-in on this machine lets the same person sign in again while the
    # server is unreachable (0 days: never).
    offline_window: Annotated[timedelta, duration("days", 0, 60)]


@dataclass(frozen=True)
class RetentionPolicy:
    customer_data: Days
    service_records: Days
    # Idempotency keys of applied writes are kept this long; a journal entry older than this
    # is refused at replay (its key may be gone: it could be applied twice).
    applied_writes: Days


@dataclass(frozen=True)
class Targets:
    answered_in_time: Fraction
    first_contact_resolution: Fraction
    satisfaction: Annotated[float, number(1, 5)]
    responded_within: Hours
    responded_in_time: Fraction
    closed_within: Hours
    closed_in_time: Fraction


@dataclass(frozen=True)
class ScoringPolicy:
    measured_weight: Weight
    rated_weight: Weight
    excellent_from: Points
    pass_from: Points
    breach_deduction: Points
    late_escalation_deduction: Points
    attitude_retraining_count: Annotated[int, whole(1, 1000)]
    response_speed_weight: Weight
    first_contact_weight: Weight
    satisfaction_weight: Weight
    attitude_weight: Weight
    compliance_weight: Weight

    def __post_init__(self) -> None:
        weight_sums = (
            ("rated_weight", self.measured_weight + self.rated_weight),
            (
                "satisfaction_weight",
                self.response_speed_weight + self.first_contact_weight + self.satisfaction_weight,
            ),
            ("compliance_weight", self.attitude_weight + self.compliance_weight),
        )
        for key, total in weight_sums:
            if abs(total - 1) > 1e-9:
                raise Problem("weights", key)


@dataclass(frozen=True)
class OverviewPolicy:
    call_stale: Hours  # an open contact older than this is not "on a call"
    chart_hours: Annotated[int, whole(1, 24 * 7)]


@dataclass(frozen=True)
class Limits:
    max_days_late: Annotated[int, whole(1, 100000)]
    max_amount_fen: Fen
    max_description_chars: Annotated[int, whole(10, 10**6)]
    max_field_chars: Annotated[int, whole(10, 10**4)]


def _dates(value: object) -> frozenset[date]:
    """A list of dates, written as TOML dates (2027-02-11) or ISO strings ("2027-02-11")."""
    if not isinstance(value, list):
        raise Problem("dates", value=repr(value))
    found = set()
    for item in value:
        if isinstance(item, str):
            try:
                item = date.fromisoformat(item)
            except ValueError:
                raise Problem("dates", value=repr(item)) from None
        if not isinstance(item, date) or isinstance(item, datetime):
            raise Problem("dates", value=repr(item))
        found.add(item)
    return frozenset(found)


Dates = Annotated[frozenset[date], Check(_dates)]


@dataclass(frozen=True)
class CalendarPolicy:
    """Corrections to China's official working-day calendar (domain/working_days.py)."""

    extra_holidays: Dates
    extra_working_days: Dates

    def __post_init__(self) -> None:
        if both := self.extra_holidays & self.extra_working_days:
            raise Problem("date_twice", "extra_working_days", value=min(both).isoformat())


@dataclass(frozen=True)
class WorkOrderPolicy:
    """How long an outlet has to answer each kind of work order (domain/work_orders.py)."""

    verify: Hours
    urge: Hours
    intercept: Hours
    readdress: Hours
    redeliver: Hours
    # A verify order is due this long before the complaint's own verify clock runs out.
    verify_margin: Minutes
    # An intercept or address change answered: the customer is called back within this.
    result_callback: Hours


@dataclass(frozen=True)
class ApprovalLimits:
    """The most each role may approve (domain/approvals.py): a larger sum waits for someone
    whose limit covers it. Outlets and IT approve nothing."""

    agent_fen: Fen
    specialist_fen: Fen
    supervisor_fen: Fen

    def __post_init__(self) -> None:
        if self.agent_fen > self.specialist_fen:
            raise Problem("limits_fall", "specialist")
        if self.specialist_fen > self.supervisor_fen:
            raise Problem("limits_fall", "supervisor")


EVIDENCE_ITEMS = ("proof_of_value", "photos", "insurance_record", "identity")


def _evidence_list(value: object) -> tuple[str, ...]:
    """A non-empty list of evidence items (``EVIDENCE_ITEMS``), each named once."""
    if not isinstance(value, list) or not value:
        raise Problem("evidence_list")
    for item in value:
        if item not in EVIDENCE_ITEMS:
            raise Problem("evidence_item", value=repr(item), known=", ".join(EVIDENCE_ITEMS))
    if len(set(value)) != len(value):
        raise Problem("evidence_twice")
    return tuple(value)


EvidenceList = Annotated[tuple[str, ...], Check(_evidence_list)]


@dataclass(frozen=True)
class ClaimEvidencePolicy:
    """The evidence asked for each kind of claim (the insurance record only when insured)."""

    loss: EvidenceList
    damage: EvidenceList
    partial_loss: EvidenceList


WorkingDays = Annotated[int, whole(0, 60)]


@dataclass(frozen=True)
class ClaimPolicy:
    """Claims (理赔, domain/claims.py): their clocks in working days and their evidence."""

    decision_working_days: WorkingDays  # evidence requested -> decision
    payout_working_days: WorkingDays  # decision -> payout
    evidence: ClaimEvidencePolicy


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
    calendar: CalendarPolicy
    work_orders: WorkOrderPolicy
    tracking: TrackingPolicy
    approval_limits: ApprovalLimits
    claims: ClaimPolicy


@cache
def _validate_policy() -> Callable[[dict[str, Any]], Policy]:
    return validator(Policy)


def parse_policy(data: dict[str, Any], source: str = "policy.toml") -> Policy:
    """Validate the parsed policy file and return it as typed values.

    Raises ``PolicyError`` for the first missing, unknown or out-of-range key, naming
    ``source``. The first call imports pydantic and builds the validator (~0.1 s).
    """
    from pydantic import ValidationError

    try:
        return _validate_policy()(data)
    except ValidationError as exc:
        raise first_problem(exc, source, PolicyError) from None


@dataclass(frozen=True)
class TrackingPolicy:
    # one number is asked of the provider at most this often (kuaidi100 locks it otherwise)
    cache_for: Annotated[timedelta, duration("minutes", 0.1, 24 * 60, key="cache_minutes")]
    # a provider that has not answered by then has failed; the call goes on
    timeout_seconds: Annotated[float, number(0.1, 60)]
    # the delivery time promised, from the pick-up: "days late" and the parcel box's "late"
    promise: Annotated[timedelta, duration("days", 1, 30, key="promised_days")]
