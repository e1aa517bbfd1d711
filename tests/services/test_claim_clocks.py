"""A claim's clocks in working days, live like every clock: in "my clocks", in the
supervisor's clocks at risk (``cs-console sla``, the overview) as amber, red, breached."""

from __future__ import annotations

from datetime import timedelta

from cs_console.domain.claims import ClaimStatus
from cs_console.domain.enums import ClockKind, ClockState, Role
from cs_console.services.claim_decisions import decide_claim, propose_claim
from cs_console.services.context import ServiceContext
from cs_console.services.overview import overview, sla_clocks
from cs_console.services.worklists import my_clocks
from tests.conftest import FakeClock, add_person
from tests.services.claim_cases import claim_with_evidence


def _claim_rows(console: ServiceContext, boss) -> list:  # type: ignore[no-untyped-def]
    return [r for r in sla_clocks(console, boss) if r.kind == "claim"]


def test_the_decision_and_payout_clocks_turn_amber_then_breach(
    console: ServiceContext, clock: FakeClock
) -> None:
    agent = add_person(console, "wangfang", agent_no="1024")
    boss = add_person(console, "chenjun", Role.SUPERVISOR, agent_no="9001")
    claim = claim_with_evidence(console, agent)
    length = claim.decision_due - claim.opened_at
    assert length >= timedelta(days=3)  # three working days, more across a weekend

    assert _claim_rows(console, boss) == []  # plenty of time: not at risk
    mine = {c.kind for row in my_clocks(console, agent) for c in row.clocks}
    assert ClockKind.CLAIM_DECISION in mine

    clock.now = claim.decision_due - length * 0.1  # in the last 20 %
    [amber] = _claim_rows(console, boss)
    assert (amber.state, amber.clock, amber.id) == (
        ClockState.AMBER, ClockKind.CLAIM_DECISION.value, claim.id
    )  # fmt: skip
    assert amber.label == claim.complaint_reference and amber.owner == "wangfang"

    clock.now = claim.decision_due + timedelta(minutes=1)
    [breached] = _claim_rows(console, boss)
    assert breached.state is ClockState.BREACHED
    assert any(r.kind == "claim" for r in overview(console, boss).at_risk)

    propose_claim(console, agent, claim.id)
    decided = decide_claim(console, boss, claim.id, approve=True, reason="材料齐全同意赔付")
    assert decided.status is ClaimStatus.APPROVED and decided.payout_due is not None
    assert _claim_rows(console, boss) == []  # decided: the payout clock has just started
    clock.now = decided.payout_due + timedelta(seconds=1)
    [late] = _claim_rows(console, boss)
    assert (late.clock, late.state) == (ClockKind.CLAIM_PAYOUT.value, ClockState.BREACHED)
    mine = {c.kind for row in my_clocks(console, agent) for c in row.clocks}
    assert ClockKind.CLAIM_PAYOUT in mine and ClockKind.CLAIM_DECISION not in mine
