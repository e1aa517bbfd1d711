"""The outlet's inbox of work orders (工单): one line per open order, most urgent first, with
a live countdown to its due time in the symbols of every clock (● ▲ ■ ✕).

A Line-API list (``CursorLines``): each visible line reads the clock when it is painted,
so the once-a-second tick repaints only what is on screen. The order's text was typed by
an agent from what a customer said: it is data, painted as plain segments, never markup.
Enter answers the order under the cursor; d, c and f answer it done, cannot, facts found.
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
from cs_console.domain.clocks import STATE_SYMBOLS, deadline_state, format_remaining
from cs_console.domain.enums import ClockState
from cs_console.domain.policy import ClockPolicy
from cs_console.domain.text import clean_line
from cs_console.domain.work_orders import OrderKind, OrderResult
from cs_console.i18n import t
from cs_console.ui.widgets.clock_list import REMAINING_WIDTH, short_reference
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
    from cs_console.services.work_orders import WorkOrderView


class OrderLabels(LanguageLabels):
    """The orders' kinds as the lists show them (the inbox, the overview's overdue orders)."""

    def __init__(self) -> None:
        self.kind = {k.value: t(f"orders.kind.{k.value}") for k in OrderKind}
        self.kind_width = max(cell_len(v) for v in self.kind.values())


class OrderInbox(CursorLines["WorkOrderView"], can_focus=True):
    """Open work orders of one outlet: symbol, kind, complaint, time left, what to do."""

    DEFAULT_CSS = clock_lines_css("OrderInbox", "order-inbox")

    STYLE_PREFIX = "order-inbox"
    STYLE_NAMES = CLOCK_STATE_NAMES
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer", "orders.inbox.key.answer", id="order-inbox-answer"),
        Binding("d", "answer('done')", "orders.inbox.key.done", id="order-inbox-done"),
        Binding("c", "answer('cannot')", "orders.inbox.key.cannot", id="order-inbox-cannot"),
        Binding("f", "answer('facts')", "orders.inbox.key.facts", id="order-inbox-facts"),
        *cursor_bindings("order-inbox"),
    ]

    class AnswerAsked(Message):
        """The clerk asked to answer an order (``result`` chosen already, or None)."""

        def __init__(self, order: WorkOrderView, result: OrderResult | None) -> None:
            super().__init__()
            self.order, self.result = order, result

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.policy: ClockPolicy = default_policy().clocks

    def set_rows(self, rows: list[WorkOrderView]) -> None:
        """Show ``rows`` (most urgent first); the cursor stays on its order."""
        current = self.current_order.id if self.current_order else None
        self.rows = list(rows)
        self.cursor = next((i for i, row in enumerate(self.rows) if row.id == current), 0)
        self._set_line_count(len(self.rows))

    @property
    def current_order(self) -> WorkOrderView | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- painting -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._frame_styles()
        if not self.rows:
            if index == 0:
                return self._text_line(t("orders.inbox.empty"), width, styles, "muted")
            return Strip.blank(width, styles["base"])
        if index >= len(self.rows):
            return Strip.blank(width, styles["base"])
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

    def _render_row(
        self, row: WorkOrderView, is_cursor: bool, width: int, styles: dict[str, Style]
    ) -> Strip:
        labels = OrderLabels.current()
        state = deadline_state(row.created_at, row.due_at, row.answered_at, self._now, self.policy)
        plain = self._row_style(is_cursor, styles)
        marked = plain + styles.get(state.value, Style())
        countdown = plain if state is ClockState.OK else marked
        left = format_remaining(row.due_at - self._now)
        fixed = 1 + 1 + labels.kind_width + 1 + 1 + REMAINING_WIDTH
        reference = row.complaint_reference
        if width < fixed + cell_len(reference) + 8:
            reference = short_reference(reference, tiny=width < fixed + 9 + 4)
        head = f" {set_cell_size(labels.kind[row.kind], labels.kind_width)} {reference} "
        segments = [
            Segment(STATE_SYMBOLS[state], marked),
            Segment(head, plain),
            Segment(rjust_cells(left, REMAINING_WIDTH), countdown),
        ]
        used = 1 + cell_len(head) + max(cell_len(left), REMAINING_WIDTH)
        if width > used + 1:
            # What the agent wrote: cleaned, and a plain segment (never parsed as markup).
            text = set_cell_size(" " + clean_line(row.instructions), width - used)
            segments.append(Segment(text, plain))
        return Strip(segments).crop_extend(0, width, plain)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return True if self.rows else None
        return True

    def action_answer(self, result: str = "") -> None:
        order = self.current_order
        if order is not None:
            self.post_message(self.AnswerAsked(order, OrderResult(result) if result else None))

    def on_click(self, event: events.Click) -> None:
        index = self._clicked_line(event)
        if index is not None and index < len(self.rows):
            self._move(index)
            if event.chain >= 2:
                self.action_answer()
