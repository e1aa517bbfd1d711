"""Retrying unreached callbacks."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.policy_file import default_policy
from cs_console.domain.callbacks import next_attempt_due, retry_not_due

POLICY = default_policy().callbacks
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("attempts", [0, 1, 2])
def test_unreached_callback_is_due_again_after_the_retry_interval(attempts: int) -> None:
    assert next_attempt_due(NOW, attempts, POLICY) == NOW + timedelta(minutes=30)


@pytest.mark.parametrize("attempts", [3, 4, 100])
def test_callback_is_given_up_after_max_attempts(attempts: int) -> None:
    assert next_attempt_due(NOW, attempts, POLICY) is None


@given(st.integers(0, 1000))
def test_given_up_iff_max_attempts_reached(attempts: int) -> None:
    due = next_attempt_due(NOW, attempts, POLICY)
    assert (due is None) == (attempts >= POLICY.max_attempts)
    assert due is None or due > NOW


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError):
        next_attempt_due(datetime(2026, 3, 1, 9, 0), 1, POLICY)
    with pytest.raises(ValueError):
        next_attempt_due(NOW, -1, POLICY)


@given(st.integers(0, 10), st.integers(-120, 120))
def test_no_answer_is_new_only_once_the_retry_is_due(attempts: int, minutes: int) -> None:
    now = datetime(2026, 11, 22, 6, tzinfo=UTC)
    due = now + timedelta(minutes=minutes)
    # a first attempt is always worth recording; a retry only once it is due
    assert retry_not_due(attempts, due, now) is (attempts > 0 and minutes > 0)
