"""Complaint facts for the demo, classified and compensated by the domain's own rules.

A few thousand fact templates are drawn once and passed through ``classify`` and
``suggest_compensation``; every generated complaint copies one, so the demo's severities
and compensation obey the policy in force without per-row classification.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace

from cs_console.demo.pools import DESCRIPTIONS, REQUESTS
from cs_console.domain.classification import classify
from cs_console.domain.compensation import suggest_compensation
from cs_console.domain.complaint_entry import ComplaintFacts
from cs_console.domain.enums import Category, Severity
from cs_console.domain.policy import Policy

CATEGORY_SHARES = {
    Category.DELAY: 45,
    Category.DAMAGE: 20,
    Category.LOSS: 10,
    Category.ATTITUDE: 15,
    Category.OTHER: 10,
}
_DAYS_LATE = ((1, 34), (2, 25), (3, 15), (4, 9), (5, 6), (6, 4), (7, 4), (10, 3))
_VALUES_YUAN = (30, 50, 80, 120, 150, 200, 260, 300, 399, 450, 500, 599, 800, 1200, 2000, 3500)


@dataclass(frozen=True)
class FactTemplate:
    """One set of complaint facts with its classification, suggestion and wording."""

    facts: ComplaintFacts
    category: str
    severity: str
    reasons: str
    compensation_kind: str
    compensation_fen: int | None
    description: str
    request: str
    registered_detail: str  # the "registered" event's JSON


def template_for(
    facts: ComplaintFacts, policy: Policy, description: str, request: str
) -> FactTemplate:
    """Classify and compensate ``facts`` exactly as register_complaint does."""
    classification = classify(facts, policy.severity)
    suggestion = suggest_compensation(facts, policy.compensation)
    reasons = ",".join(reason.value for reason in classification.reasons)
    detail = {
        "severity": classification.severity.value,
        "reasons": reasons,
        "repeat_of": facts.repeat_of,
    }
    return FactTemplate(
        facts,
        facts.category.value,
        classification.severity.value,
        reasons,
        suggestion.kind.value,
        suggestion.amount_fen,
        description,
        request,
        json.dumps(detail, ensure_ascii=False),
    )


def as_repeat(template: FactTemplate, reference: str, policy: Policy) -> FactTemplate:
    """The same facts raised again while complaint ``reference`` is still unresolved."""
    facts = replace(template.facts, repeat_of=reference)
    return template_for(facts, policy, template.description, template.request)


def _facts(rng: random.Random, category: Category) -> ComplaintFacts:
    fee = rng.randrange(8, 30) * 100
    value = rng.choice(_VALUES_YUAN) * 100
    if category is Category.DELAY:
        days = rng.choices([d for d, _ in _DAYS_LATE], [w for _, w in _DAYS_LATE])[0]
        return ComplaintFacts(category, days_late=days, shipping_fee_fen=fee)
    if category is Category.LOSS:
        insured = rng.random() < 0.3
        return ComplaintFacts(
            category,
            declared_value_fen=value,
            insured=insured,
            insured_amount_fen=value if insured else 0,
            shipping_fee_fen=fee,
        )
    if category is Category.DAMAGE:
        damaged = rng.random() < 0.65
        return ComplaintFacts(
            category,
            declared_value_fen=value,
            shipping_fee_fen=fee,
            item_damaged=damaged,
            repairable=damaged and rng.random() < 0.35,
        )
    return ComplaintFacts(category, shipping_fee_fen=fee)


def fact_templates(rng: random.Random, policy: Policy, size: int = 3000) -> list[FactTemplate]:
    """``size`` templates, categories in their usual shares, each category at least once."""
    categories = list(CATEGORY_SHARES)
    drawn = categories + rng.choices(
        categories, weights=list(CATEGORY_SHARES.values()), k=max(0, size - len(categories))
    )
    templates = []
    for category in drawn:
        facts = _facts(rng, category)
        description = rng.choice(DESCRIPTIONS[category.value]).format(days=facts.days_late)
        request = rng.choice(REQUESTS[category.value])
        templates.append(template_for(facts, policy, description, request))
    return templates


def by_severity(templates: list[FactTemplate]) -> dict[str, list[FactTemplate]]:
    """The templates grouped by severity; a policy may leave one group empty."""
    groups: dict[str, list[FactTemplate]] = {s.value: [] for s in Severity}
    for template in templates:
        groups[template.severity].append(template)
    return groups
