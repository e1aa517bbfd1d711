"""The callback queue (回拨/回访队列): who to call back, why, and by when, in due order.

A Line-API widget like the clock list, whose lines are computed from the due time and the
clock when painted. Each callback takes as many lines as its parts need at this width
(when: the due time, with the date when it is not today, the kind and the countdown; who:
the masked name and the number to dial; why: the complaint it follows, or what was
promised); a part is never cut, it goes to the next line whole.

The widget records nothing itself: it posts ``AttemptChosen`` (r reached, n no answer,
w wrong number), ``RevealAsked`` (p, the number in full for dialling) and ``UndoChosen``
(u, while the last outcome can still be taken back); the parent asks what else it needs
(a note, the score, the right number) and calls the services.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from cs_console.domain.clocks import format_remaining
from cs_console.domain.enums import AttemptOutcome, CallbackKind, Category
from cs_console.domain.text import clean_line
from cs_console.i18n import due_time, t
from cs_console.ui.widgets.cursor_lines import (
    CursorLines,
    LanguageLabels,
    component_classes,
    cursor_bindings,
    rjust_cells,
)

if TYPE_CHECKING:
    from cs_console.services.worklists import QueueRow

COUNTDOWN_WIDTH = 9  # "-01:03:10"
COUNTDOWN = "\0countdown"  # the part painted from the clock
INDENT = "  "  # a callback's second and further lines


class _Labels(LanguageLabels):
    """Translated labels and their column widths, built once per language."""

    def __init__(self) -> None:
        self.kind = {k.value: t(f"lists.callback.{k.value}") for k in CallbackKind}
        self.kind_width = max(cell_len(v) for v in self.kind.values())
        self.empty = t("lists.queue.empty")
        self.category = {c.value: t(f"ui.category.{c.value}") for c in Category}


def row_parts(
    row: QueueRow, revealed: str | None, now: datetime, zone: tzinfo, width: int
) -> list[str]:
    """The parts of a callback's lines, in order: when, countdown, who, tries, why."""
    labels = _Labels.current()
    when = due_time(row.due_at, now, zone)
    kind = labels.kind.get(row.kind, row.kind)
    padded = set_cell_size(kind, labels.kind_width)  # countdowns in a column, when there is room
    if cell_len(f"{when} {padded}") + 1 + COUNTDOWN_WIDTH <= width:
        kind = padded
    # Customer text is data: cleaned, and a plain segment (never parsed as markup).
    who = " ".join(part for part in (clean_line(row.customer), revealed or row.phone) if part)
    parts = [f"{when} {kind}", COUNTDOWN, who]
    if row.attempts:
        parts.append(t("lists.queue.attempts", n=row.attempts))
    if row.complaint_reference:
        category = labels.category.get(row.complaint_category or "", "")
        parts.append(f"{clean_line(row.complaint_reference)} {category}".rstrip())
    elif row.note.strip():
        parts.append(clean_line(row.note).strip())
    return parts


def shortened(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending in "..." when it had to be cut (plain
    dots: an ellipsis is drawn two cells wide by CJK terminals)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 3, 0)).rstrip() + "..."


def wrap_parts(parts: list[str], width: int) -> list[list[str]]:
    """``parts`` on lines of ``width`` cells, each part whole on one line; one wider than a
    line (a long note) gets a line of its own, shortened; lines after the first indented."""
    lines: list[list[str]] = [[]]
    used = 0
    for part in parts:
        if part != COUNTDOWN:
            part = shortened(part, width - cell_len(INDENT))
        size = COUNTDOWN_WIDTH if part == COUNTDOWN else cell_len(part)
        if lines[-1] and used + 1 + size > width:
            lines.append([])
            used = cell_len(INDENT)
        used += size + (1 if lines[-1] else 0)
        lines[-1].append(part)
    return lines


class CallbackQueue(CursorLines["QueueRow"], can_focus=True):
    """Pending callbacks: when, who (masked, or revealed for dialling) and why."""

    DEFAULT_CSS = """
    CallbackQueue {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        & > .callback-queue--overdue { color: $text-error; text-style: bold; }
        & > .callback-queue--muted { color: $text-muted; }
        & > .callback-queue--cursor { background: $block-cursor-blurred-background; }
        &:focus > .callback-queue--cursor { background: $block-cursor-background; }
    }
    """

    STYLE_PREFIX = "callback-queue"
    STYLE_NAMES = ("overdue", "muted", "cursor")
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes(STYLE_PREFIX, STYLE_NAMES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "attempt('reached')", "lists.queue.reached", id="callback-reached"),
        Binding("n", "attempt('no_answer')", "lists.queue.no_answer", id="callback-no-answer"),
        Binding(
            "w", "attempt('wrong_number')", "lists.queue.wrong_number", id="callback-wrong-number"
        ),
        Binding("p", "reveal", "lists.queue.reveal", id="callback-reveal"),
        Binding("u", "undo", "lists.queue.undo", id="callback-undo"),
        *cursor_bindings("callback"),
    ]

    class AttemptChosen(Message):
        """The person chose the outcome of a call attempt; the parent asks the rest."""

        def __init__(
            self, row: QueueRow, outcome: AttemptOutcome, queue: CallbackQueue | None = None
        ) -> None:
            super().__init__()
            self.row, self.outcome, self.queue = row, outcome, queue

        @property
        def callback_id(self) -> int:
            return self.row.callback_id

        @property
        def control(self) -> CallbackQueue | None:
            return self.queue

    class RevealAsked(Message):
        """The number of this callback, in full, to dial (asked with a reason, recorded)."""

        def __init__(self, row: QueueRow, queue: CallbackQueue) -> None:
            super().__init__()
            self.row, self.queue = row, queue

        @property
        def control(self) -> CallbackQueue:
            return self.queue

    class UndoChosen(Message):
        """Take back the last outcome recorded (``attempt_id``)."""

        def __init__(self, attempt_id: int, queue: CallbackQueue) -> None:
            super().__init__()
            self.attempt_id, self.queue = attempt_id, queue

        @property
        def control(self) -> CallbackQueue:
            return self.queue

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.revealed: dict[int, str] = {}  # callback id -> the number as dialled
        self.undoable: tuple[int, datetime] | None = None  # attempt id, until when
        self._undo_timer: Timer | None = None
        self._layout: list[tuple[int, list[str]]] = []  # per line: row index, its parts
        self._first_line: list[int] = []  # per row: its first line
        self._laid_out_width = 0

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: list[QueueRow]) -> None:
        """Show ``rows`` (in due order); the cursor stays on its callback."""
        current = self.current_row.callback_id if self.current_row else None
        self.rows = list(rows)
        self.cursor = 0
        ids = [row.callback_id for row in self.rows]
        if current in ids:
            self.cursor = ids.index(current)
        self.revealed = {k: v for k, v in self.revealed.items() if k in ids}
        self._lay_out()
        self.refresh_bindings()

    def show_revealed(self, callback_id: int, phone: str) -> None:
        """Show the number in full on its callback (until it leaves the queue)."""
        self.revealed[callback_id] = phone
        self._lay_out()

    def forget_revealed(self, callback_id: int) -> None:
        """Mask the callback's number again: it was shown for one call (and after a wrong
        number, the number shown is no longer the one to dial)."""
        if self.revealed.pop(callback_id, None) is not None:
            self._lay_out()

    def offer_undo(self, attempt_id: int, until: datetime) -> None:
        """Let ``u`` take back this attempt until ``until`` (the key greys out after)."""
        self.undoable = (attempt_id, until)
        if self._undo_timer is not None:
            self._undo_timer.stop()
        left = max((until - self.clock()).total_seconds(), 0.0)
        self._undo_timer = self.set_timer(left + 0.05, self.refresh_bindings)
        self.refresh_bindings()

    def withdraw_undo(self) -> None:
        self.undoable = None
        self.refresh_bindings()

    @property
    def current_row(self) -> QueueRow | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    # -- layout ---------------------------------------------------------------------------

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width or 40
        now = self.clock()
        self._layout, self._first_line = [], []
        for index, row in enumerate(self.rows):
            self._first_line.append(len(self._layout))
            parts = row_parts(row, self.revealed.get(row.callback_id), now, self.zone, width)
            self._layout.extend((index, line) for line in wrap_parts(parts, width))
        self._laid_out_width = width
        self._set_line_count(len(self._layout))

    def on_resize(self, _event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._laid_out_width:
            self._lay_out()

    def _cursor_lines(self) -> tuple[int, int]:
        if not self._first_line or self.cursor >= len(self._first_line):
            return self.cursor, self.cursor
        first = self._first_line[self.cursor]
        last = (
            self._first_line[self.cursor + 1] - 1
            if self.cursor + 1 < len(self._first_line)
            else len(self._layout) - 1
        )
        return first, last

    # -- painting -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._frame_styles()
        if not self.rows:
            if index == 0:
                return self._text_line(_Labels.current().empty, width, styles, "muted")
            return Strip.blank(width, styles["base"])
        if index >= len(self._layout):
            return Strip.blank(width, styles["base"])
        row_index, parts = self._layout[index]
        row = self.rows[row_index]
        plain = self._row_style(row_index == self.cursor, styles)
        left = row.due_at - self._now
        late = plain + styles.get("overdue", Style()) if left.total_seconds() < 0 else plain
        segments = [] if index == self._first_line[row_index] else [Segment(INDENT, plain)]
        for n, part in enumerate(parts):
            if n:
                segments.append(Segment(" ", plain))
            if part == COUNTDOWN:
                segments.append(Segment(rjust_cells(format_remaining(left), COUNTDOWN_WIDTH), late))
            else:
                segments.append(Segment(part, plain))
        return Strip(segments).crop_extend(0, width, plain)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("attempt", "reveal"):
            return True if self.rows else None
        if action == "undo":
            return self.undoable is not None and self.clock() <= self.undoable[1]
        return True

    def action_attempt(self, outcome: str) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.AttemptChosen(row, AttemptOutcome(outcome), self))

    def action_reveal(self) -> None:
        row = self.current_row
        if row is not None and row.callback_id not in self.revealed:
            self.post_message(self.RevealAsked(row, self))

    def action_undo(self) -> None:
        if self.undoable is not None and self.clock() <= self.undoable[1]:
            attempt_id, self.undoable = self.undoable[0], None
            self.refresh_bindings()
            self.post_message(self.UndoChosen(attempt_id, self))

    def on_click(self, event: events.Click) -> None:
        index = self._clicked_line(event)
        if index is not None and index < len(self._layout):
            self._move(self._layout[index][0])
