"""Severity classification per docs/domain.md, with the real policy."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.classification import Classification, SeverityReason, classify
from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import Category, Severity

POLICY = default_policy().severity
RANK = {Severity.GENERAL: 0, Severity.MAJOR: 1}

facts_strategy = st.builds(
    ComplaintFacts,
    category=st.sampled_from(Category),
    days_late=st.integers(0, 365),
    declared_value_fen=st.integers(0, 10**8),
    insured=st.booleans(),
    insured_amount_fen=st.integers(0, 10**8),
    shipping_fee_fen=st.integers(0, 10**6),
    item_damaged=st.booleans(),
    repairable=st.booleans(),
    repeat_of=st.none() | st.just("C-2026-0001"),
)


def damaged(value_fen: int, *, item_damaged: bool = True) -> ComplaintFacts:
    return ComplaintFacts(Category.DAMAGE, declared_value_fen=value_fen, item_damaged=item_damaged)


@given(facts_strategy, st.integers(0, 365))
def test_severity_never_decreases_as_days_late_grow(facts: ComplaintFacts, more: int) -> None:
    later = dataclasses.replace(facts, days_late=facts.days_late + more)
    assert RANK[classify(later, POLICY).severity] >= RANK[classify(facts, POLICY).severity]


@given(st.integers(0, 365))
def test_delay_is_major_iff_three_days_or_more(days: int) -> None:
    result = classify(ComplaintFacts(Category.DELAY, days_late=days), POLICY)
    assert (result.severity is Severity.MAJOR) == (days >= 3)
    assert (SeverityReason.DELAY_DAYS in result.reasons) == (days >= 3)


def test_delay_boundaries() -> None:
    assert classify(ComplaintFacts(Category.DELAY, days_late=2), POLICY) == Classification(
        Severity.GENERAL, (SeverityReason.GENERAL,)
    )
    assert classify(ComplaintFacts(Category.DELAY, days_late=3), POLICY) == Classification(
        Severity.MAJOR, (SeverityReason.DELAY_DAYS,)
    )


def test_damaged_item_worth_exactly_500_yuan_is_major() -> None:
    result = classify(damaged(50000), POLICY)
    assert result == Classification(Severity.MAJOR, (SeverityReason.DAMAGE_VALUE,))


def test_damaged_item_worth_499_99_is_general() -> None:
    assert classify(damaged(49999), POLICY).severity is Severity.GENERAL


def test_damaged_packaging_of_a_valuable_item_is_general() -> None:
    assert classify(damaged(10**7, item_damaged=False), POLICY).severity is Severity.GENERAL


def test_loss_is_major_and_attitude_general() -> None:
    assert classify(ComplaintFacts(Category.LOSS), POLICY).reasons == (SeverityReason.LOSS,)
    attitude = classify(ComplaintFacts(Category.ATTITUDE), POLICY)
    assert attitude == Classification(Severity.GENERAL, (SeverityReason.GENERAL,))


@pytest.mark.parametrize("category", list(Category))
def test_an_unresolved_earlier_complaint_makes_any_category_major(category: Category) -> None:
    result = classify(ComplaintFacts(category, repeat_of="C-1"), POLICY)
    assert result.severity is Severity.MAJOR
    assert result.reasons[-1] is SeverityReason.REPEAT


def test_all_reasons_are_listed_in_order() -> None:
    facts = ComplaintFacts(Category.DELAY, days_late=9, repeat_of="C-1")
    assert classify(facts, POLICY).reasons == (SeverityReason.DELAY_DAYS, SeverityReason.REPEAT)


def test_the_policy_can_switch_rules_off() -> None:
    lenient = dataclasses.replace(POLICY, loss_is_major=False, repeat_unresolved_is_major=False)
    assert classify(ComplaintFacts(Category.LOSS, repeat_of="C-1"), lenient).severity is (
        Severity.GENERAL
    )


@given(facts_strategy)
def test_general_iff_only_reason_is_general(facts: ComplaintFacts) -> None:
    result = classify(facts, POLICY)
    assert result.reasons
    assert (result.severity is Severity.GENERAL) == (result.reasons == (SeverityReason.GENERAL,))
