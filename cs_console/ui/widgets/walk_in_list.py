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
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from cs_console.config.language import t
from cs_console.config.policy_file import default_policy
from cs_console.domain.clocks import STATE_SYMBOLS, clock_state, format_remaining
from cs_console.domain.enums import Category, ClockKind, Severity
from cs_console.domain.policy import ClockPolicy
from cs_console.domain.text import clean_line
from cs_console.ui.widgets.cursor_lines import (
    CursorLines,
    LanguageLabels,
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


class WalkInList(CursorLines["WalkIn"], can_focus=True):
    """Walk-ins held by outlets: state, reference, severity, type, outlet, clock, time left,
    customer (masked)."""

    DEFAULT_CSS = """
    WalkInList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        & > .walk-in-list--amber { color: $text-warning; text-style: bold; }
        & > .walk-in-list--red { color: $text-error; text-style: bold; }
        & > .walk-in-list--breached { color: $text-error; text-style: bold reverse; }
        & > .walk-in-list--ok { color: $text-success; }
        & > .walk-in-list--done { color: $text-muted; }
        & > .walk-in-list--muted { color: $text-muted; }
        & > .walk-in-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .walk-in-list--cursor { background: $block-cursor-background; }
    }
    """

    STYLE_PREFIX = "walk-in-list"
    STYLE_NAMES = ("ok", "amber", "red", "breached", "done", "muted", "cursor")
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "overview.key.open", id="walk-ins-open"),
        Binding("a", "assign", "overview.key.assign", id="walk-ins-assign"),
        *cursor_bindings("walk-ins"),
    ]

    class Opened(Message):
        """Open the complaint ``complaint_id``."""

        def __init__(self, complaint_id: int) -> None:
            super().__init__()
            self.complaint_id = complaint_id

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
        self._more = 0  # waiting but not listed

    def set_rows(self, rows: tuple[WalkIn, ...], total: int) -> None:
        """Show ``rows`` of ``total`` waiting (a last line says how many more there are);
        the cursor stays on its walk-in when it is still listed."""
        current = self.current
        self.rows = list(rows)
        self._more = max(total - len(self.rows), 0)
        self.cursor = 0
        self._reference_width = max((cell_len(r.reference) for r in self.rows), default=16)
        outlets = (cell_len(clean_line(r.outlet)) for r in self.rows)
        self._outlet_width = min(max(outlets, default=4), OUTLET_WIDTH)
        if current is not None:
            for index, row in enumerate(self.rows):
                if row.id == current.id:
                    self.cursor = index
                    break
        self._set_line_count(len(self.rows) + (1 if self._more else 0))
        self.refresh_bindings()

    @property
    def current(self) -> WalkIn | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._frame_styles()
        if not self.rows:
            if index == 0:
                return self._text_line(" " + _Labels.current().empty, width, styles, "muted")
            return Strip.blank(width, styles["base"])
        if index == len(self.rows) and self._more:
            more = " " + t("overview.walk_ins_more", more=self._more)
            return self._text_line(more, width, styles, "muted")
        if index >= len(self.rows):
            return Strip.blank(width, styles["base"])
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

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

    def _lines_below_cursor(self) -> int:
        return 1 if self._more and self.cursor == len(self.rows) - 1 else 0

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

    def on_click(self, event: events.Click) -> None:
        index = self._clicked_line(event)
        if index is not None and index < len(self.rows):
            self._move(index)
            self.refresh_bindings()
            if event.chain >= 2:
                self.action_open()
