"""The callback queue (回拨/回访队列): pending callbacks in due order, with live countdowns.

Same technique as the clock list: a Line-API widget whose lines are computed from the due
time and the clock when painted. The widget records nothing itself: it asks which outcome
an attempt had (r reached, n no answer, w wrong number; a reached follow-up also asks for
satisfaction 1-5 on a prompt line under the callback) and posts ``AttemptChosen``; the
parent calls the service.
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
from cs_console.domain.clocks import format_remaining
from cs_console.domain.enums import AttemptOutcome, CallbackKind
from cs_console.domain.text import clean_line
from cs_console.ui.widgets.cursor_lines import (
    CursorLines,
    LanguageLabels,
    component_classes,
    cursor_bindings,
    rjust_cells,
)

if TYPE_CHECKING:
    from cs_console.services.worklists import QueueRow

FOLLOWUP_KINDS = (CallbackKind.FOLLOWUP.value, CallbackKind.SECOND_FOLLOWUP.value)
COUNTDOWN_WIDTH = 9  # "-01:03:10"


class _Labels(LanguageLabels):
    """Translated labels and their column widths, built once per language."""

    def __init__(self) -> None:
        self.kind = {k.value: t(f"lists.callback.{k.value}") for k in CallbackKind}
        self.kind_width = max(cell_len(v) for v in self.kind.values())
        self.attempts_width = cell_len(t("lists.queue.attempts", n=9))
        self.empty = t("lists.queue.empty")
        self.prompt = t("lists.queue.satisfaction_prompt")


class CallbackQueue(CursorLines["QueueRow"], can_focus=True):
    """Pending callbacks: due time, kind, customer, countdown, attempts, complaint."""

    DEFAULT_CSS = """
    CallbackQueue {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        & > .callback-queue--overdue { color: $text-error; text-style: bold; }
        & > .callback-queue--muted { color: $text-muted; }
        & > .callback-queue--prompt { color: $text-accent; text-style: bold; }
        & > .callback-queue--cursor { background: $block-cursor-blurred-background; }
        &:focus > .callback-queue--cursor { background: $block-cursor-background; }
    }
    """

    STYLE_PREFIX = "callback-queue"
    STYLE_NAMES = ("overdue", "muted", "prompt", "cursor")
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "attempt('reached')", "lists.queue.reached", id="callback-reached"),
        Binding("n", "attempt('no_answer')", "lists.queue.no_answer", id="callback-no-answer"),
        Binding(
            "w", "attempt('wrong_number')", "lists.queue.wrong_number", id="callback-wrong-number"
        ),
        Binding(
            "1",
            "satisfaction(1)",
            "lists.queue.satisfaction",
            key_display="1-5",
            id="callback-satisfaction-1",
        ),
        *(
            Binding(str(n), f"satisfaction({n})", show=False, id=f"callback-satisfaction-{n}")
            for n in range(2, 6)
        ),
        Binding("escape", "cancel_prompt", show=False, id="callback-cancel"),
        *cursor_bindings("callback"),
    ]

    asking: int | None = None  # the callback awaiting a satisfaction score

    class AttemptChosen(Message):
        """The person chose the outcome of a call attempt; the parent records it."""

        def __init__(
            self,
            callback_id: int,
            outcome: AttemptOutcome,
            satisfaction: int | None,
            queue: CallbackQueue | None = None,
        ) -> None:
            super().__init__()
            self.callback_id = callback_id
            self.outcome = outcome
            self.satisfaction = satisfaction
            self.queue = queue

        @property
        def control(self) -> CallbackQueue | None:
            return self.queue

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: list[QueueRow]) -> None:
        """Show ``rows`` (in due order); the cursor and any prompt stay on their callback."""
        current = self.current_row.callback_id if self.current_row else None
        self.rows = list(rows)
        self.cursor = 0
        ids = [row.callback_id for row in self.rows]
        if current in ids:
            self.cursor = ids.index(current)
        if self.asking not in ids:
            self.asking = None
        self._resize()
        self.refresh_bindings()

    @property
    def current_row(self) -> QueueRow | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def _lines_below_cursor(self) -> int:
        return 1 if self.asking is not None else 0  # keep the prompt in view

    def _resize(self) -> None:
        self._set_line_count(len(self.rows) + self._lines_below_cursor())

    # -- painting -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._frame_styles()
        base = styles["base"]
        labels = _Labels.current()
        if not self.rows:
            if index == 0:
                return self._text_line(labels.empty, width, styles, "muted")
            return Strip.blank(width, base)
        if self.asking is not None:
            if index == self.cursor + 1:
                return self._text_line("  " + labels.prompt, width, styles, "prompt")
            if index > self.cursor + 1:
                index -= 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

    def _render_row(self, row: QueueRow, is_cursor: bool, width: int, styles: dict) -> Strip:
        labels = _Labels.current()
        plain = self._row_style(is_cursor, styles)
        left = row.due_at - self._now
        overdue = left.total_seconds() < 0
        countdown_style = plain + styles.get("overdue", Style()) if overdue else plain
        due = row.due_at.astimezone(self.zone).strftime("%H:%M")
        kind = set_cell_size(labels.kind.get(row.kind, row.kind), labels.kind_width)
        customer_width = 8 if width >= 48 else 4
        # Customer text is data: cleaned, and a plain segment (never parsed as markup).
        customer = set_cell_size(clean_line(row.customer), customer_width)
        attempts = set_cell_size(t("lists.queue.attempts", n=row.attempts), labels.attempts_width)
        reference = clean_line(row.complaint_reference or "")
        segments = [
            Segment(f"{due} {kind} {customer} ", plain),
            Segment(rjust_cells(format_remaining(left), COUNTDOWN_WIDTH), countdown_style),
            Segment(f" {attempts} {reference}", plain),
        ]
        return Strip(segments).crop_extend(0, width, plain)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "attempt":
            return True if self.rows and self.asking is None else None
        if action == "satisfaction":
            # Greyed out until asked; a disabled binding lets the digit reach other bindings.
            return True if self.asking is not None else None
        if action == "cancel_prompt":
            return self.asking is not None  # Escape otherwise goes back as usual
        return True

    def action_attempt(self, outcome: str) -> None:
        row = self.current_row
        if row is None:
            return
        chosen = AttemptOutcome(outcome)
        if chosen is AttemptOutcome.REACHED and row.kind in FOLLOWUP_KINDS:
            self.asking = row.callback_id
            self._resize()
            self.refresh_bindings()
            return
        self.post_message(self.AttemptChosen(row.callback_id, chosen, None, self))

    def action_satisfaction(self, score: int) -> None:
        if self.asking is None:
            return
        callback_id, self.asking = self.asking, None
        self._resize()
        self.refresh_bindings()
        self.post_message(self.AttemptChosen(callback_id, AttemptOutcome.REACHED, score, self))

    def action_cancel_prompt(self) -> None:
        self.asking = None
        self._resize()
        self.refresh_bindings()

    def _move(self, cursor: int) -> None:
        if self.rows and self.asking is not None:
            self.action_cancel_prompt()  # moving away abandons the question
        super()._move(cursor)

    def on_click(self, event: events.Click) -> None:
        index = self._clicked_line(event)
        if index is None:
            return
        if self.asking is not None and index > self.cursor:
            index -= 1
        if index < len(self.rows):
            self._move(index)
