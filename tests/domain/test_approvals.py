"""Approval limits: who may approve how much, and when a sum waits for someone else."""

from __future__ import annotations

import pytest

from cs_console.config.policy_file import default_policy
from cs_console.domain.approvals import covers, lowest_approver, may_approve, needs_approval
from cs_console.domain.enums import Role
from cs_console.domain.policy import PolicyError, parse_policy

LIMITS = default_policy().approval_limits
AG, SP, SU, OU, AD = Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.OUTLET, Role.ADMIN


@pytest.mark.parametrize(
    ("amount", "lowest"),
    [(0, AG), (10_000, AG), (10_001, SP), (100_000, SP), (100_001, SU), (99_999_900, SU)],
)
def test_each_role_approves_up_to_its_limit(amount: int, lowest: Role) -> None:
    assert lowest_approver(amount, LIMITS) is lowest
    assert covers(SU, amount, LIMITS)
    assert not covers(OU, amount, LIMITS) and not covers(AD, amount, LIMITS)


def test_a_sum_waits_above_the_proposers_limit_or_above_the_policys_figure() -> None:
    assert not needs_approval(10_000, 50_000, AG, LIMITS)
    assert needs_approval(10_001, 50_000, AG, LIMITS)  # above the agent's limit
    assert not needs_approval(50_000, 50_000, SP, LIMITS)
    assert needs_approval(50_001, 50_000, SU, LIMITS)  # above the payable: anyone waits
    assert not needs_approval(None, None, AG, LIMITS)


def test_nobody_approves_their_own_proposal_or_above_their_limit() -> None:
    assert may_approve(7, SU, 7, 100, LIMITS) == "own_proposal"
    assert may_approve(7, SP, 8, 100_001, LIMITS) == "over_limit"
    assert may_approve(7, SU, 8, 100_001, LIMITS) is None


def test_limits_must_rise_with_the_role() -> None:
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("cs_console").joinpath("data/policy.toml").read_text("utf-8"))
    data["approval_limits"]["specialist"] = 50
    with pytest.raises(PolicyError) as bad:
        parse_policy(data)
    assert bad.value.key == "approval_limits.specialist"
