"""Breached and at-risk (超时与临近): complaint clocks and callbacks, with their owners, live.

A Line-API list (``CursorLines``): each visible line computes its state and time left from
the stored due time when painted, so the once-a-second tick repaints only what is on
screen. Enter opens the complaint under the cursor; ``a`` asks to reassign it. The overview
lists the most urgent only; a last line says how many more there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from cs_console.config.policy_file import default_policy
from cs_console.domain.clocks import STATE_SYMBOLS, Clock, clock_state, format_remaining
from cs_console.domain.enums import CallbackKind, ClockKind, ClockState, Severity
from cs_console.domain.policy import ClockPolicy
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.widgets.capped_lines import CappedLines
from cs_console.ui.widgets.cursor_lines import (
    CLOCK_STATE_NAMES,
    LanguageLabels,
    clock_lines_css,
    component_classes,
    cursor_bindings,
    rjust_cells,
)

if TYPE_CHECKING:
    from datetime import datetime

    from cs_console.services.overview import AtRisk

REMAINING_WIDTH = 10  # "-277:38:15"


class _Labels(LanguageLabels):
    def __init__(self) -> None:
        self.severity = {s.value: t(f"lists.severity.{s.value}") for s in Severity}
        self.severity[""] = ""
        kinds = [k.value for k in ClockKind] + [k.value for k in CallbackKind]
        self.clock = {k: t(f"sla.clock.{k}") for k in kinds}
        self.callback = t("overview.callback")
        self.claim = t("overview.claim")
        self.empty = t("overview.nothing_at_risk")
        self.severity_width = max(cell_len(v) for v in self.severity.values())
        self.clock_width = max(cell_len(v) for v in self.clock.values())


def what_of(row: AtRisk) -> str:
    """A complaint's reference, or "callback" (or "claim") and its complaint's reference."""
    if row.kind == "complaint":
        return row.label
    if row.kind == "claim":
        return f"{_Labels.current().claim} {row.label or row.id}".strip()
    return f"{_Labels.current().callback} {row.label}".strip()


def row_state(row: AtRisk, now: datetime, policy: ClockPolicy) -> ClockState:
    """The row's state now: a complaint clock by the policy, a callback breached once due."""
    if row.kind == "callback":
        return ClockState.BREACHED if row.due < now else ClockState.AMBER
    return clock_state(Clock(ClockKind(row.clock), row.start, row.due), now, policy)


class AtRiskList(CappedLines["AtRisk"], can_focus=True):
    """Amber, red and breached clocks and callbacks: state, what, clock, time left, owner."""

    DEFAULT_CSS = clock_lines_css("AtRiskList", "at-risk-list")

    STYLE_PREFIX = "at-risk-list"
    STYLE_NAMES = CLOCK_STATE_NAMES
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "overview.key.open", id="at-risk-open"),
        Binding("a", "reassign", "overview.key.reassign", id="at-risk-reassign"),
        *cursor_bindings("at-risk"),
    ]

    class ReassignAsked(Message):
        """Reassign the complaint or callback of this row."""

        def __init__(self, row: AtRisk) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.policy: ClockPolicy = default_policy().clocks
        self._what_width = 15

    def _measure(self, rows: list[AtRisk]) -> None:
        self._what_width = min(max((cell_len(what_of(r)) for r in rows), default=15), 26)

    def _row_key(self, row: AtRisk) -> tuple[str, int, str]:
        return (row.kind, row.id, row.clock)

    def _empty_text(self) -> str:
        return _Labels.current().empty

    def _more_text(self, more: int) -> str:
        return t("overview.at_risk_more", more=more)

    def _render_row(self, row: AtRisk, is_cursor: bool, width: int, styles: dict) -> Strip:
        labels = _Labels.current()
        state = row_state(row, self._now, self.policy)
        plain = self._row_style(is_cursor, styles)
        marked = plain + styles.get(state.value, Style())
        severity = set_cell_size(labels.severity[row.severity], labels.severity_width)
        clock = set_cell_size(labels.clock.get(row.clock, row.clock), labels.clock_width)
        head = f" {set_cell_size(what_of(row), self._what_width)} {severity} {clock} "
        left = rjust_cells(format_remaining(row.due - self._now), REMAINING_WIDTH)
        segments = [
            Segment(STATE_SYMBOLS[state], marked),
            Segment(head, plain),
            Segment(left, marked),
            Segment(" " + clean_line(row.owner), plain),  # a person's name is data
        ]
        return Strip(segments).crop_extend(0, width, plain)

    def _move(self, cursor: int) -> None:
        super()._move(cursor)
        self.refresh_bindings()  # Enter opens complaints, not callbacks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.current
        if action == "open":
            return True if row is not None and row.kind == "complaint" else None
        if action == "reassign":  # a claim stays with whoever opened it
            return True if row is not None and row.kind != "claim" else None
        return True

    def action_open(self) -> None:
        row = self.current
        if row is not None and row.kind == "complaint":
            self.post_message(self.Opened(row.id))

    def action_reassign(self) -> None:
        row = self.current
        if row is not None and row.kind != "claim":
            self.post_message(self.ReassignAsked(row))
