"""My clocks (我的时限): one line per open complaint with its most urgent clock, live.

A Line-API widget: each visible line is computed from the stored due time and the clock
when it is painted, so the once-a-second tick repaints only the lines on screen and costs
the same for 10 rows as for 10,000 (a DataTable repaints every cell, see docs/pitfalls.md).
Customer text reaches the screen as plain segments, never as markup.
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

from cs_console.config.policy_file import default_policy
from cs_console.domain.clocks import STATE_SYMBOLS, clock_state, format_remaining, remaining
from cs_console.domain.enums import ClockKind, ClockState, Severity
from cs_console.domain.policy import ClockPolicy
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.widgets.cursor_lines import (
    CLOCK_STATE_NAMES,
    CursorLines,
    LanguageLabels,
    clock_lines_css,
    component_classes,
    cursor_bindings,
    rjust_cells,
)

if TYPE_CHECKING:
    from cs_console.services.worklists import ClockRow

REMAINING_WIDTH = 9  # "-01:03:10"
CUSTOMER_MIN = 4


def short_reference(reference: str, tiny: bool = False) -> str:
    """ "C-20261122-0042" as "1122-0042" (or "0042" when ``tiny``) for narrow panes."""
    parts = reference.split("-")
    if len(parts) != 3 or len(parts[1]) != 8:
        return reference
    return parts[2] if tiny else f"{parts[1][4:]}-{parts[2]}"


class _Labels(LanguageLabels):
    """Translated labels and their column widths, built once per language."""

    def __init__(self) -> None:
        self.severity = {s.value: t(f"lists.severity.{s.value}") for s in Severity}
        self.kind = {k: t(f"lists.clock_short.{k.value}") for k in ClockKind}
        self.done = t("lists.clocks.done")
        self.empty = t("lists.clocks.empty")
        self.replied, self.replied_short = t("orders.replied"), t("orders.replied_short")
        self.replied_width = cell_len(self.replied) + 1
        self.severity_width = max(cell_len(v) for v in self.severity.values())


class ClockList(CursorLines["ClockRow"], can_focus=True):
    """Open complaints with their most urgent clock: symbol, reference, severity, kind,
    time left and the masked customer. Enter opens the complaint under the cursor."""

    DEFAULT_CSS = clock_lines_css("ClockList", "clock-list")

    STYLE_PREFIX = "clock-list"
    STYLE_NAMES = CLOCK_STATE_NAMES
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "lists.clocks.open", id="clock-list-open"),
        *cursor_bindings("clock-list"),
    ]

    class Opened(Message):
        """The person asked to open a complaint (Enter, or a double click)."""

        def __init__(self, complaint_id: int, clock_list: ClockList | None = None) -> None:
            super().__init__()
            self.complaint_id = complaint_id
            self.clock_list = clock_list

        @property
        def control(self) -> ClockList | None:
            return self.clock_list

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.policy: ClockPolicy = default_policy().clocks
        self._kind_width = 0

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: list[ClockRow]) -> None:
        """Show ``rows`` (already sorted by urgency); the cursor stays on its complaint."""
        current = self.current_complaint_id
        self.rows = list(rows)
        self.cursor = 0
        # The kind column is as wide as the kinds shown (二次回访 is rare): narrow panes fit.
        labels = _Labels.current()
        kinds = {row.clocks[0].kind for row in self.rows if row.clocks}
        self._kind_width = max((cell_len(labels.kind[k]) for k in kinds), default=0)
        if current is not None:
            for index, row in enumerate(self.rows):
                if row.complaint_id == current:
                    self.cursor = index
                    break
        self._set_line_count(len(self.rows))

    @property
    def current_complaint_id(self) -> int | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].complaint_id
        return None

    # -- painting -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._frame_styles()
        base = styles["base"]
        if not self.rows:
            if index == 0:
                return self._text_line(_Labels.current().empty, width, styles, "muted")
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

    def _render_row(self, row: ClockRow, is_cursor: bool, width: int, styles: dict) -> Strip:
        labels = _Labels.current()
        clock = row.clocks[0]
        state = clock_state(clock, self._now, self.policy)
        plain = self._row_style(is_cursor, styles)
        marked = plain + styles.get(state.value, Style()) if state is not ClockState.OK else plain
        symbol_style = plain + styles.get(state.value, Style())
        if state is ClockState.DONE:
            left = labels.done
        else:
            left = format_remaining(remaining(clock, self._now))
        kind_width = self._kind_width
        fixed = 1 + 1 + labels.severity_width + 1 + kind_width + 1 + REMAINING_WIDTH
        if width >= fixed + 1 + cell_len(row.reference) + 1 + CUSTOMER_MIN:
            reference = row.reference
        elif width >= fixed + 1 + 9:
            reference = short_reference(row.reference)
        else:
            reference = short_reference(row.reference, tiny=True)
        severity = labels.severity.get(row.severity, row.severity)
        kind = labels.kind.get(clock.kind, str(clock.kind))
        head = (
            f" {reference} {set_cell_size(severity, labels.severity_width)}"
            f" {set_cell_size(kind, kind_width)} "
        )
        segments = [
            Segment(STATE_SYMBOLS[state], symbol_style),
            Segment(head, plain),
            Segment(rjust_cells(left, REMAINING_WIDTH), marked),
        ]
        used = 1 + cell_len(head) + max(cell_len(left), REMAINING_WIDTH)
        if row.outlet_replied and width > used + 1:  # the outlet answered a work order
            label = labels.replied if width - used > labels.replied_width else labels.replied_short
            replied = set_cell_size(f" {label}", min(width - used, cell_len(label) + 1))
            segments.append(Segment(replied, plain + styles.get("amber", Style())))
            used += cell_len(replied)
        if width > used + 1:
            # Customer text is data: cleaned, and a plain segment (never parsed as markup).
            customer = set_cell_size(" " + clean_line(row.customer), width - used)
            segments.append(Segment(customer, plain))
        elif width > used:
            segments.append(Segment(" " * (width - used), plain))
        return Strip(segments).crop_extend(0, width, plain)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.rows else None  # shown greyed out on an empty list
        return True

    def action_open(self) -> None:
        complaint_id = self.current_complaint_id
        if complaint_id is not None:
            self.post_message(self.Opened(complaint_id, self))

    def on_click(self, event: events.Click) -> None:
        index = self._clicked_line(event)
        if index is not None and index < len(self.rows):
            self._move(index)
            if event.chain >= 2:
                self.action_open()
