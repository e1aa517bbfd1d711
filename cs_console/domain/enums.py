"""The vocabulary of the service policy, stored as short strings (see docs/pitfalls.md on enums)."""

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SPECIALIST = "specialist"
    SUPERVISOR = "supervisor"
    OUTLET = "outlet"
    ADMIN = "admin"


class Channel(StrEnum):
    PHONE = "phone"
    ONLINE = "online"
    WALK_IN = "walk_in"


class ContactType(StrEnum):
    TRACKING = "tracking"  # 查询
    SHIPPING = "shipping"  # 寄件
    COMPLAINT = "complaint"  # 投诉
    CLAIM = "claim"  # 理赔
    SUGGESTION = "suggestion"  # 建议
    OTHER = "other"  # 其他


class Category(StrEnum):
    DELAY = "delay"
    LOSS = "loss"
    DAMAGE = "damage"
    ATTITUDE = "attitude"
    OTHER = "other"


class Severity(StrEnum):
    GENERAL = "general"  # 一般投诉
    MAJOR = "major"  # 重大投诉


class ComplaintStatus(StrEnum):
    REGISTERED = "registered"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    RESOLVED = "resolved"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self is not ComplaintStatus.CLOSED


class ClockKind(StrEnum):
    VERIFY = "verify"  # 核实
    RESOLVE = "resolve"  # 处理
    FOLLOWUP = "followup"  # 回访
    SECOND_FOLLOWUP = "second_followup"  # 二次回访
    # A claim's clocks, in working days (domain/claims.py).
    CLAIM_DECISION = "claim_decision"  # 理赔决定
    CLAIM_PAYOUT = "claim_payout"  # 理赔支付


class ClockState(StrEnum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"
    BREACHED = "breached"
    DONE = "done"


class CompensationKind(StrEnum):
    COUPON = "coupon"  # delay: apology and a coupon
    REPAIR = "repair"  # repairable damage: the company pays the repair
    DECLARED_VALUE = "declared_value"  # damage or uninsured loss, with proof
    INSURED_AMOUNT = "insured_amount"  # insured loss
    APOLOGY = "apology"  # attitude and other: apology and explanation only


class CallbackKind(StrEnum):
    REPLY_PROMISE = "reply_promise"  # 1小时回复
    FOLLOWUP = "followup"  # 回访
    SECOND_FOLLOWUP = "second_followup"  # 二次回访
    # A claim's clocks, in working days (domain/claims.py).
    CLAIM_DECISION = "claim_decision"  # 理赔决定
    CLAIM_PAYOUT = "claim_payout"  # 理赔支付
    OUTAGE = "outage"  # after a system outage
    DISASTER = "disaster"  # after a natural disaster


class CallbackStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    GAVE_UP = "gave_up"


class AttemptOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"


class Responsibility(StrEnum):
    COURIER = "courier"
    OUTLET = "outlet"
    AGENT = "agent"
    SYSTEM = "system"
    FORCE_MAJEURE = "force_majeure"


class AuditAction(StrEnum):
    """What the audit trail (信息安全) records: access, disclosure and administration."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"  # too many wrong passwords
    REVEAL = "reveal"  # personal data shown in full
    EXPORT = "export"
    HAND_OVER = "hand_over"  # 首问负责制: a complaint given to another person
    PURGE = "purge"  # retention: what was destroyed (counts, never the data)
    ROLE_CHANGE = "role_change"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    PASSWORD_SET = "password_set"
    APPROVAL = "approval"  # a decision on compensation above the policy or a limit
    KEY_ROTATION = "key_rotation"  # the data key replaced: start, progress, finish


class Approval(StrEnum):
    """Where a resolution offering more than the policy suggests stands (a supervisor decides)."""

    NONE = ""  # nothing awaits a decision
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class NameChoice(StrEnum):
    """A name typed for a phone on file that holds another name: whose is it?"""

    OTHER_PERSON = "other_person"  # someone else on the same number: the complaint keeps it
    CORRECTION = "correction"  # the stored name was wrong: it is corrected, the old one kept
