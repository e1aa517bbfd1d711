"""The callback queue (回拨/回访队列): pending callbacks in due order, with live countdowns.

Same technique as the clock list: a Line-API widget whose lines are computed from the due
time and the clock when painted. The widget records nothing itself: it asks which outcome
an attempt had (r reached, n no answer, w wrong number; a reached follow-up also asks for
satisfaction 1-5 on a prompt line under the callback) and posts ``AttemptChosen``; the
parent calls the service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cs_console.config.language import current_language, t
from cs_console.domain.clocks import format_remaining
from cs_console.domain.enums import AttemptOutcome, CallbackKind
from cs_console.domain.text import clean_line
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.clock_list import component_styles, rjust_cells, utc_now

if TYPE_CHECKING:
    from cs_console.services.worklists import QueueRow

FOLLOWUP_KINDS = (CallbackKind.FOLLOWUP.value, CallbackKind.SECOND_FOLLOWUP.value)
COUNTDOWN_WIDTH = 9  # "-01:03:10"


class _Labels:
    """Translated labels and their column widths, built once per language."""

    _cache: ClassVar[dict[str, _Labels]] = {}

    def __init__(self) -> None:
        self.kind = {k.value: t(f"lists.callback.{k.value}") for k in CallbackKind}
        self.kind_width = max(cell_len(v) for v in self.kind.values())
        self.attempts_width = cell_len(t("lists.queue.attempts", n=9))
        self.empty = t("lists.queue.empty")
        self.prompt = t("lists.queue.satisfaction_prompt")

    @classmethod
    def current(cls) -> _Labels:
        lang = current_language()
        if lang not in cls._cache:
            cls._cache[lang] = cls()
        return cls._cache[lang]


class CallbackQueue(ScrollView, can_focus=True):
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

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "callback-queue--overdue",
        "callback-queue--muted",
        "callback-queue--prompt",
        "callback-queue--cursor",
    }

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
        Binding("up", "cursor_up", show=False, id="callback-up"),
        Binding("down", "cursor_down", show=False, id="callback-down"),
        Binding("home", "cursor_first", show=False, id="callback-first"),
        Binding("end", "cursor_last", show=False, id="callback-last"),
        Binding("pageup", "page_up", show=False, id="callback-page-up"),
        Binding("pagedown", "page_down", show=False, id="callback-page-down"),
    ]

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

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        translate_bindings(self)
        self.clock: Callable[[], datetime] = utc_now
        self.zone: ZoneInfo = ZoneInfo("Asia/Shanghai")
        self.rows: list[QueueRow] = []
        self.cursor = 0
        self.asking: int | None = None  # the callback awaiting a satisfaction score
        self._now = utc_now()
        self._styles: dict[str, Style] = {}

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

    def _resize(self) -> None:
        lines = len(self.rows) + (1 if self.asking is not None else 0)
        self.virtual_size = Size(0, max(lines, 1))
        self._scroll_to_cursor()
        self.refresh()

    def on_mount(self) -> None:
        self.set_interval(1, self._tick)

    def _tick(self) -> None:
        if self.rows:
            self.refresh()

    # -- painting -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # One clock reading and one style lookup per frame, not per line.
        self._now = self.clock()
        base = self.rich_style
        self._styles = component_styles(
            self, "callback-queue", ("overdue", "muted", "prompt", "cursor")
        )
        self._styles["base"] = base
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._styles or {"base": self.rich_style}
        base = styles["base"]
        labels = _Labels.current()
        if not self.rows:
            if index == 0:
                text = set_cell_size(labels.empty, width)
                return Strip([Segment(text, base + styles.get("muted", Style()))], width)
            return Strip.blank(width, base)
        if self.asking is not None:
            if index == self.cursor + 1:
                text = set_cell_size("  " + labels.prompt, width)
                return Strip([Segment(text, base + styles.get("prompt", Style()))], width)
            if index > self.cursor + 1:
                index -= 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

    def _render_row(self, row: QueueRow, is_cursor: bool, width: int, styles: dict) -> Strip:
        labels = _Labels.current()
        plain = styles["base"]
        if is_cursor:
            plain = plain + styles.get("cursor", Style())
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
        if not self.rows:
            return
        if self.asking is not None:
            self.action_cancel_prompt()  # moving away abandons the question
        cursor = max(0, min(cursor, len(self.rows) - 1))
        if cursor != self.cursor:
            self.cursor = cursor
            self._scroll_to_cursor()
            self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        bottom = self.cursor + (1 if self.asking is not None else 0)  # keep the prompt in view
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and bottom >= top + height:
            self.scroll_to(y=bottom - height + 1, animate=False)

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_first(self) -> None:
        self._move(0)

    def action_cursor_last(self) -> None:
        self._move(len(self.rows) - 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - self._page())

    def action_page_down(self) -> None:
        self._move(self.cursor + self._page())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.rows:
            return
        index = offset.y + self.scroll_offset.y
        if self.asking is not None and index > self.cursor:
            index -= 1
        if index < len(self.rows):
            self._move(index)
