"""The policy file is validated by its schema: every problem names the file, the key (as
written in the file) and what is wrong, in the console's language."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cs_console.domain.policy import PolicyError, parse_policy
from cs_console.i18n import current_language, set_language

POLICY = Path(__file__).parents[2] / "cs_console" / "data" / "policy.toml"
DATA = tomllib.loads(POLICY.read_text(encoding="utf-8"))

Change = Callable[[dict[str, Any]], object]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def problem_with(change: Change) -> str:
    data = copy.deepcopy(DATA)
    change(data)
    with pytest.raises(PolicyError) as raised:
        parse_policy(data, "policy.toml")
    return str(raised.value)


def test_the_packaged_policy_reads_as_typed_values() -> None:
    policy = parse_policy(copy.deepcopy(DATA))
    assert policy.call.answer_phone_seconds == 9
    assert policy.call.record_complete == timedelta(minutes=30)
    assert policy.severity.major_damage_value_fen == 50_000
    assert policy.clocks.verify_major == timedelta(hours=6)
    assert policy.clocks.amber_fraction == 0.2
    assert [c.min_days for c in policy.compensation.delay_coupons] == [1, 2, 3, 5]
    assert policy.compensation.delay_coupons[0].amount_fen == 500
    assert policy.callbacks.undo_window == timedelta(seconds=30)
    assert policy.security.password_max_age == timedelta(days=15)
    assert policy.limits.max_amount_fen == 100_000_000
    assert policy.overview.chart_hours == 24


def test_the_policy_is_frozen() -> None:
    policy = parse_policy(copy.deepcopy(DATA))
    with pytest.raises(AttributeError):
        policy.clocks.amber_fraction = 0.5  # type: ignore[misc]


def test_coupons_are_sorted_by_days() -> None:
    data = copy.deepcopy(DATA)
    data["compensation"]["delay_coupons"].reverse()
    coupons = parse_policy(data).compensation.delay_coupons
    assert [c.min_days for c in coupons] == [1, 2, 3, 5]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["clocks"].update(amber_fraction=2),
            "[clocks.amber_fraction] must be between 0 and 1, got 2",
        ),
        (
            lambda d: d["clocks"].update(red_fraction=0.5),
            "[clocks.red_fraction] must not exceed amber_fraction",
        ),
        (
            lambda d: d["call"].update(answer_rings="3"),
            "[call.answer_rings] must be a whole number, got '3'",
        ),
        (
            lambda d: d["call"].update(answer_rings=3.0),
            "[call.answer_rings] must be a whole number, got 3.0",
        ),
        (
            lambda d: d["severity"].update(loss_is_major=1),
            "[severity.loss_is_major] must be true or false, got 1",
        ),
        (
            lambda d: d["targets"].update(satisfaction=True),
            "[targets.satisfaction] must be a number, got True",
        ),
        (lambda d: d.pop("retention"), "[retention] section is missing"),
        (
            lambda d: d["retention"].pop("customer_data_days"),
            "[retention.customer_data_days] is missing",
        ),
        (
            lambda d: d["callbacks"].update(undo_seconds=0),
            "[callbacks.undo_seconds] must be between 1 and 3600, got 0",
        ),
        (
            lambda d: d["security"].update(password_max_age_days=1.5),
            "[security.password_max_age_days] must be a whole number, got 1.5",
        ),
        (
            lambda d: d["limits"].update(max_amount=-1),
            "[limits.max_amount] must be between 0 and 1000000000, got -1",
        ),
        (
            lambda d: d["scoring"].update(rated_weight=0.5),
            "[scoring.rated_weight] weights must add up to 1",
        ),
        (
            lambda d: d["compensation"].update(delay_coupons=[]),
            "[compensation.delay_coupons] must be a non-empty list of {min_days, amount}",
        ),
        (
            lambda d: d["compensation"]["delay_coupons"][1].update(min_days=1),
            "[compensation.delay_coupons] two rows have the same min_days",
        ),
        (
            lambda d: d["compensation"]["delay_coupons"][1].update(amount=1),
            "[compensation.delay_coupons] amounts must not fall as the delay grows",
        ),
        (
            lambda d: d["compensation"]["delay_coupons"][1].pop("amount"),
            "[compensation.delay_coupons[1].amount] is missing",
        ),
        (
            lambda d: d["compensation"]["delay_coupons"][1].update(amount="x"),
            "[compensation.delay_coupons[1].amount] must be a number, got 'x'",
        ),
        (lambda d: d["call"].update(colour="red"), "[call.colour] is not a known key"),
        (lambda d: d.update(colours={}), "[colours] is not a known key"),
        (lambda d: d.update(call=3), "[call] must be a table of keys"),
    ],
)
def test_a_bad_value_names_the_file_the_key_and_the_problem(change: Change, message: str) -> None:
    assert problem_with(change) == f"policy.toml: {message}"


def test_the_problem_is_told_in_chinese_too() -> None:
    set_language("zh-CN")
    assert problem_with(lambda d: d["clocks"].update(amber_fraction=2)) == (
        "policy.toml: [clocks.amber_fraction] 必须在 0 到 1 之间，现为 2"
    )
    assert problem_with(lambda d: d.pop("retention")) == "policy.toml: [retention] 缺少这一节"


def test_the_error_keeps_file_key_and_problem_apart() -> None:
    data = copy.deepcopy(DATA)
    data["clocks"]["amber_fraction"] = 2
    with pytest.raises(PolicyError) as raised:
        parse_policy(data, "/etc/cs/policy.toml")
    error = raised.value
    assert (error.source, error.key) == ("/etc/cs/policy.toml", "clocks.amber_fraction")
    assert error.problem == "must be between 0 and 1, got 2"
