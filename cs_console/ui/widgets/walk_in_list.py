"""Walk-ins waiting for an owner (待分派的网点投诉): open complaints an outlet registered and
still holds, oldest first, each with its most urgent clock, live.

A Line-API list like the at-risk list: each visible line computes its clock's state and
time left when painted. Enter opens the complaint; ``a`` asks to give it to someone at the
call desk (the overview's reassign dialog). The overview lists the oldest only; a last line
says how many more there are.
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
from cs_console.domain.clocks import STATE_SYMBOLS, clock_state, format_remaining
from cs_console.domain.enums import Category, ClockKind, Severity
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
    from cs_console.services.walk_ins import WalkIn

REMAINING_WIDTH = 10  # "-277:38:15"
OUTLET_WIDTH = 20  # longer outlet names are cut (the complaint screen shows them whole)


class _Labels(LanguageLabels):
    def __init__(self) -> None:
        self.severity = {s.value: t(f"lists.severity.{s.value}") for s in Severity}
        self.category = {c.value: t(f"detail.category.{c.value}") for c in Category}
        self.clock = {k.value: t(f"sla.clock.{k.value}") for k in ClockKind}
        self.empty = t("overview.no_walk_ins")
        self.severity_width = max(cell_len(v) for v in self.severity.values())
        self.category_width = max(cell_len(v) for v in self.category.values())
        self.clock_width = max(cell_len(v) for v in self.clock.values())


class WalkInList(CappedLines["WalkIn"], can_focus=True):
    """Walk-ins held by outlets: state, reference, severity, type, outlet, clock, time left,
    customer (masked)."""

    DEFAULT_CSS = clock_lines_css("WalkInList", "walk-in-list")

    STYLE_PREFIX = "walk-in-list"
    STYLE_NAMES = CLOCK_STATE_NAMES
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "overview.key.open", id="walk-ins-open"),
        Binding("a", "assign", "overview.key.assign", id="walk-ins-assign"),
        *cursor_bindings("walk-ins"),
    ]

    class AssignAsked(Message):
        """Give this walk-in to someone at the call desk."""

        def __init__(self, row: WalkIn) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.policy: ClockPolicy = default_policy().clocks
        self._reference_width = 16
        self._outlet_width = 4

    def _measure(self, rows: list[WalkIn]) -> None:
        self._reference_width = max((cell_len(r.reference) for r in rows), default=16)
        outlets = (cell_len(clean_line(r.outlet)) for r in rows)
        self._outlet_width = min(max(outlets, default=4), OUTLET_WIDTH)

    def _row_key(self, row: WalkIn) -> int:
        return row.id

    def _empty_text(self) -> str:
        return _Labels.current().empty

    def _more_text(self, more: int) -> str:
        return t("overview.walk_ins_more", more=more)

    def _render_row(self, row: WalkIn, is_cursor: bool, width: int, styles: dict) -> Strip:
        labels = _Labels.current()
        plain = self._row_style(is_cursor, styles)
        severity = set_cell_size(labels.severity.get(row.severity, ""), labels.severity_width)
        category = set_cell_size(labels.category.get(row.category, ""), labels.category_width)
        # An outlet's name and the customer's are data: shown as typed, never as markup.
        outlet = set_cell_size(clean_line(row.outlet), self._outlet_width)
        head = f" {set_cell_size(row.reference, self._reference_width)} {severity} {category} "
        segments = [Segment(" ", plain)]
        if row.clock is not None:
            state = clock_state(row.clock, self._now, self.policy)
            marked = plain + styles.get(state.value, Style())
            clock = set_cell_size(labels.clock[row.clock.kind.value], labels.clock_width)
            left = rjust_cells(format_remaining(row.clock.due - self._now), REMAINING_WIDTH)
            segments = [
                Segment(STATE_SYMBOLS[state], marked),
                Segment(head, plain),
                Segment(outlet + " ", plain),
                Segment(clock + " ", plain),
                Segment(left, marked),
            ]
        else:
            blank = " " * (labels.clock_width + 1 + REMAINING_WIDTH)
            segments += [Segment(head, plain), Segment(outlet + " " + blank, plain)]
        segments.append(Segment(" " + clean_line(row.customer), plain))
        return Strip(segments).crop_extend(0, width, plain)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "assign"):
            return True if self.current is not None else None
        return True

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.id))

    def action_assign(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.AssignAsked(row))
