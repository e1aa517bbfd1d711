"""The live preview under the form: severity and why, the clocks, the compensation.

Computed on the UI thread from the domain only (no database): what the complaint would be
if it were saved now. The repeat rule uses the caller history looked up in the call pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cs_console.domain.classification import SeverityReason, classify
from cs_console.domain.clocks import initial_clocks
from cs_console.domain.compensation import Suggestion, suggest_compensation
from cs_console.domain.complaint_entry import ComplaintForm, facts_from_form
from cs_console.domain.enums import CompensationKind, Severity
from cs_console.domain.policy import Policy
from cs_console.i18n import due_time, money, t


def hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)


@dataclass(frozen=True)
class Preview:
    severity: Severity | None  # None while no category is chosen
    headline: str
    clocks: str
    compensation: str


def _reason(reason: SeverityReason, policy: Policy, repeat_of: str | None) -> str:
    if reason is SeverityReason.DELAY_DAYS:
        return t("ui.reason.delay_days", count=policy.severity.major_delay_days)
    if reason is SeverityReason.DAMAGE_VALUE:
        return t("ui.reason.damage_value", value=money(policy.severity.major_damage_value_fen))
    if reason is SeverityReason.REPEAT:
        return t("ui.reason.repeat", reference=repeat_of or "")
    return t(f"ui.reason.{reason.value}")


def severity_reason(
    reasons: tuple[SeverityReason, ...], policy: Policy, repeat_of: str | None
) -> str:
    """The reasons a complaint is major, joined: "延误 ≥ 3 天 · 重复投诉 (C-… 未解决)"."""
    return " · ".join(
        _reason(r, policy, repeat_of) for r in reasons if r is not SeverityReason.GENERAL
    )


def compensation_text(suggestion: Suggestion) -> str:
    kind, amount = suggestion.kind, suggestion.amount_fen
    text = t(f"ui.compensation.{kind.value}", amount=money(amount or 0))
    if kind is CompensationKind.DECLARED_VALUE and suggestion.minimum_fen:
        text += t("ui.compensation.at_least", amount=money(suggestion.minimum_fen))
    if kind is CompensationKind.DECLARED_VALUE and suggestion.maximum_fen:
        text += t("ui.compensation.at_most", amount=money(suggestion.maximum_fen))
    return t("ui.preview.compensation", suggestion=text)


def describe_preview(
    form: ComplaintForm,
    policy: Policy,
    now: datetime,
    zone: ZoneInfo,
    repeat_of: str | None = None,
) -> Preview:
    """What the form would give if saved at ``now``: severity, clocks, compensation."""
    facts = facts_from_form(form, policy.limits, repeat_of)
    if facts is None:
        return Preview(None, t("ui.preview.choose_category"), "", "")
    classification = classify(facts, policy.severity)
    severity = classification.severity
    verify, resolve = initial_clocks(now, severity, policy.clocks)
    headline = t(f"ui.severity.{severity.value}")
    if severity is Severity.MAJOR:
        reasons = severity_reason(classification.reasons, policy, repeat_of)
        headline = " · ".join((headline, reasons, t("ui.preview.hand_over")))
    clocks = "\n".join(
        t(
            f"ui.preview.{clock.kind.value}",
            due=due_time(clock.due, now, zone),
            hours=hours(clock.due - clock.start),
        )
        for clock in (verify, resolve)
    )
    suggestion = suggest_compensation(facts, policy.compensation)
    return Preview(severity, headline, clocks, compensation_text(suggestion))


class SeverityPreview(Vertical):
    """Three lines under the form; the severity line is coloured and marked by severity."""

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-severity", markup=False)
        yield Static("", id="preview-clocks", markup=False)
        yield Static("", id="preview-compensation", markup=False)

    def show(self, preview: Preview) -> None:
        severity = self.query_one("#preview-severity", Static)
        mark = {Severity.MAJOR: "▲ ", Severity.GENERAL: "● "}.get(preview.severity, "")  # type: ignore[arg-type]
        severity.update(Text(mark + preview.headline))
        for name in ("major", "general"):
            severity.set_class(
                preview.severity is not None and preview.severity.value == name, f"-{name}"
            )
        self.query_one("#preview-clocks", Static).update(Text(preview.clocks))
        self.query_one("#preview-compensation", Static).update(Text(preview.compensation))
