"""Overdue work orders (逾期工单) in the supervisor's overview: every outlet's orders past
their due time and unanswered, longest overdue first, with the outlet and the time over,
live. Enter opens the complaint the order is about. The overview lists the longest overdue
only; a last line says how many more there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.strip import Strip

from cs_console.domain.clocks import STATE_SYMBOLS, format_remaining
from cs_console.domain.enums import ClockState
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.widgets.capped_lines import CappedLines
from cs_console.ui.widgets.clock_list import REMAINING_WIDTH
from cs_console.ui.widgets.cursor_lines import (
    CLOCK_STATE_NAMES,
    clock_lines_css,
    component_classes,
    cursor_bindings,
    rjust_cells,
)
from cs_console.ui.widgets.order_inbox import OrderLabels

if TYPE_CHECKING:
    from cs_console.services.overview import OrderRow

OUTLET_WIDTH = 20  # longer outlet names are cut


class OverdueOrderList(CappedLines["OrderRow"], can_focus=True):
    """Overdue orders: ✕, complaint, kind, outlet, time over, what was asked."""

    DEFAULT_CSS = clock_lines_css("OverdueOrderList", "overdue-orders")

    STYLE_PREFIX = "overdue-orders"
    STYLE_NAMES = CLOCK_STATE_NAMES
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "overview.key.open", id="overdue-orders-open"),
        *cursor_bindings("overdue-orders"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._outlet_width = 4

    def _measure(self, rows: list[OrderRow]) -> None:
        outlets = (cell_len(clean_line(r.outlet)) for r in rows)
        self._outlet_width = min(max(outlets, default=4), OUTLET_WIDTH)

    def _row_key(self, row: OrderRow) -> int:
        return row.id

    def _empty_text(self) -> str:
        return t("overview.no_overdue_orders")

    def _more_text(self, more: int) -> str:
        return t("overview.overdue_orders_more", more=more)

    def _render_row(
        self, row: OrderRow, is_cursor: bool, width: int, styles: dict[str, Style]
    ) -> Strip:
        labels = OrderLabels.current()
        plain = self._row_style(is_cursor, styles)
        marked = plain + styles.get(ClockState.BREACHED.value, Style())
        kind = set_cell_size(labels.kind.get(row.kind, row.kind), labels.kind_width)
        # The outlet's name and the agent's words are data: plain segments, never markup.
        outlet = set_cell_size(clean_line(row.outlet), self._outlet_width)
        left = rjust_cells(format_remaining(row.due_at - self._now), REMAINING_WIDTH)
        segments = [
            Segment(STATE_SYMBOLS[ClockState.BREACHED], marked),
            Segment(f" {row.complaint_reference} {kind} {outlet} ", plain),
            Segment(left, marked),
            Segment(" " + clean_line(row.instructions), plain),
        ]
        return Strip(segments).crop_extend(0, width, plain)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.current is not None else None
        return True

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.complaint_id))
