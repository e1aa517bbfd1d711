"""Compensation suggestions per docs/domain.md, with the real policy."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.compensation import Suggestion, needs_approval, suggest_compensation
from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import Category, CompensationKind

POLICY = default_policy().compensation
APOLOGY = Suggestion(CompensationKind.APOLOGY, None)
money = st.integers(0, 10**8)


@pytest.mark.parametrize(
    ("days", "fen"), [(1, 500), (2, 1000), (3, 1500), (4, 1500), (5, 2000), (365, 2000)]
)
def test_delay_coupon_rises_with_the_delay(days: int, fen: int) -> None:
    facts = ComplaintFacts(Category.DELAY, days_late=days)
    assert suggest_compensation(facts, POLICY) == Suggestion(CompensationKind.COUPON, fen)


def test_no_delay_gets_an_apology() -> None:
    assert suggest_compensation(ComplaintFacts(Category.DELAY, days_late=0), POLICY) == APOLOGY


@given(st.integers(0, 364))
def test_coupons_never_fall_as_the_delay_grows(days: int) -> None:
    def amount(d: int) -> int:
        return (
            suggest_compensation(ComplaintFacts(Category.DELAY, days_late=d), POLICY).amount_fen
            or 0
        )

    assert amount(days + 1) >= amount(days)


def test_packaging_only_damage_gets_an_apology() -> None:
    facts = ComplaintFacts(Category.DAMAGE, declared_value_fen=90000, item_damaged=False)
    assert suggest_compensation(facts, POLICY) == APOLOGY


def test_repairable_damage_gets_the_repair() -> None:
    facts = ComplaintFacts(Category.DAMAGE, item_damaged=True, repairable=True)
    assert suggest_compensation(facts, POLICY) == Suggestion(CompensationKind.REPAIR, None)


def test_unrepairable_damage_pays_declared_value_or_three_fees() -> None:
    cheap = ComplaintFacts(
        Category.DAMAGE, declared_value_fen=10000, shipping_fee_fen=5000, item_damaged=True
    )
    assert suggest_compensation(cheap, POLICY) == Suggestion(
        CompensationKind.DECLARED_VALUE, 15000, minimum_fen=15000
    )
    dear = ComplaintFacts(
        Category.DAMAGE, declared_value_fen=80000, shipping_fee_fen=2000, item_damaged=True
    )
    assert suggest_compensation(dear, POLICY).amount_fen == 80000


@given(money, st.integers(0, 10**6))
def test_unrepairable_damage_is_never_offered_less_than_three_fees(value: int, fee: int) -> None:
    facts = ComplaintFacts(
        Category.DAMAGE, declared_value_fen=value, shipping_fee_fen=fee, item_damaged=True
    )
    suggestion = suggest_compensation(facts, POLICY)
    assert suggestion.kind is CompensationKind.DECLARED_VALUE
    assert suggestion.amount_fen is not None and suggestion.amount_fen >= 3 * fee
    assert suggestion.amount_fen >= value


def test_insured_loss_pays_the_insured_amount() -> None:
    facts = ComplaintFacts(
        Category.LOSS, declared_value_fen=300000, insured=True, insured_amount_fen=200000
    )
    assert suggest_compensation(facts, POLICY) == Suggestion(
        CompensationKind.INSURED_AMOUNT, 200000
    )


@given(money)
def test_uninsured_loss_is_never_more_than_500_yuan(value: int) -> None:
    suggestion = suggest_compensation(
        ComplaintFacts(Category.LOSS, declared_value_fen=value), POLICY
    )
    assert suggestion.kind is CompensationKind.DECLARED_VALUE
    assert suggestion.amount_fen == min(value, 50000)
    assert suggestion.maximum_fen == 50000


@pytest.mark.parametrize("category", [Category.ATTITUDE, Category.OTHER])
def test_attitude_and_other_get_an_apology(category: Category) -> None:
    assert suggest_compensation(ComplaintFacts(category, days_late=9), POLICY) == APOLOGY


# --- above the suggestion: a reason and a supervisor's approval ---------------------------


def _suggested(facts: ComplaintFacts) -> Suggestion:
    return suggest_compensation(facts, POLICY)


@pytest.mark.parametrize(
    ("facts", "within", "above"),
    [
        (ComplaintFacts(Category.DELAY, days_late=3), 1500, 999_900),  # coupon ¥15
        (ComplaintFacts(Category.DELAY, days_late=3), 1500, 1501),
        # Uninsured loss: the declared value, capped at ¥500.
        (ComplaintFacts(Category.LOSS, declared_value_fen=200_000), 50_000, 50_001),
        (ComplaintFacts(Category.LOSS, declared_value_fen=30_000), 30_000, 30_001),
        # Insured loss: the insured amount.
        (
            ComplaintFacts(Category.LOSS, insured=True, insured_amount_fen=80_000),
            80_000,
            80_001,
        ),
        # Unrepairable damage: the declared value (or three fees when that is more).
        (
            ComplaintFacts(Category.DAMAGE, declared_value_fen=12_000, item_damaged=True),
            12_000,
            12_001,
        ),
    ],
)
def test_a_sum_above_the_suggestion_needs_approval(
    facts: ComplaintFacts, within: int, above: int
) -> None:
    suggestion = _suggested(facts)
    assert not needs_approval(within, suggestion)
    assert not needs_approval(None, suggestion)
    assert needs_approval(above, suggestion)


@pytest.mark.parametrize(
    "facts",
    [
        ComplaintFacts(Category.ATTITUDE),
        ComplaintFacts(Category.DELAY, days_late=0),
        ComplaintFacts(Category.DAMAGE, item_damaged=True, repairable=True),
    ],
)
def test_any_sum_where_the_policy_suggests_none_needs_approval(facts: ComplaintFacts) -> None:
    suggestion = _suggested(facts)
    assert not needs_approval(None, suggestion) and not needs_approval(0, suggestion)
    assert needs_approval(1, suggestion)


@given(st.integers(0, 3650), money)
def test_approval_is_needed_exactly_above_the_suggested_sum(days: int, amount: int) -> None:
    suggestion = _suggested(ComplaintFacts(Category.DELAY, days_late=days))
    assert needs_approval(amount, suggestion) is (amount > (suggestion.amount_fen or 0))
