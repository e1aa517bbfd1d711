"""Approval limits (审批权限): who may approve how much, for claims and for compensation.

One mechanism for both: a sum waits for approval when it is above what the proposer may
approve, or above what the policy computes for the case (the complaint's suggestion, the
claim's payable amount), which also needs a reason; it is approved by someone else whose
limit covers it. Limits come from the policy's ``[approval_limits]``. Pure: no I/O.
"""

from __future__ import annotations

from cs_console.domain.enums import Role
from cs_console.domain.policy import ApprovalLimits

# The roles that approve, lowest limit first; the others (outlet, admin) approve nothing.
APPROVERS = (Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR)


def approval_limit(role: Role, limits: ApprovalLimits) -> int:
    """The largest sum (fen) someone of ``role`` may approve; 0 for outlets and IT."""
    return {
        Role.AGENT: limits.agent_fen,
        Role.SPECIALIST: limits.specialist_fen,
        Role.SUPERVISOR: limits.supervisor_fen,
    }.get(role, 0)


def covers(role: Role, amount_fen: int | None, limits: ApprovalLimits) -> bool:
    """Whether someone of ``role`` may approve ``amount_fen`` (no sum: any approver may)."""
    if role not in APPROVERS:
        return False
    return amount_fen is None or amount_fen <= approval_limit(role, limits)


def lowest_approver(amount_fen: int | None, limits: ApprovalLimits) -> Role | None:
    """The lowest role whose limit covers ``amount_fen``; None when no limit does."""
    return next((role for role in APPROVERS if covers(role, amount_fen, limits)), None)


def above_ceiling(amount_fen: int | None, ceiling_fen: int | None) -> bool:
    """Whether a sum is above what the policy computes for the case (``ceiling_fen``; None
    when it computes no sum, so any sum is above it). No sum is never above."""
    if amount_fen is None:
        return False
    return amount_fen > (ceiling_fen or 0)


def needs_approval(
    amount_fen: int | None,
    ceiling_fen: int | None,
    proposer: Role,
    limits: ApprovalLimits,
) -> bool:
    """Whether a proposed sum must wait for someone else's approval: it is above the
    policy's figure for the case, or above the proposer's own limit."""
    if amount_fen is None:
        return False
    return above_ceiling(amount_fen, ceiling_fen) or not covers(proposer, amount_fen, limits)


def may_approve(
    approver_id: int,
    approver: Role,
    proposer_id: int | None,
    amount_fen: int | None,
    limits: ApprovalLimits,
) -> str | None:
    """Why ``approver`` may not approve this proposal (``own_proposal``, ``over_limit``),
    or None when they may."""
    if proposer_id == approver_id:
        return "own_proposal"
    if not covers(approver, amount_fen, limits):
        return "over_limit"
    return None
