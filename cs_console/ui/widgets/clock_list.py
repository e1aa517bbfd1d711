"""My clocks (我的时限): one line per open complaint with its most urgent clock, live.

A Line-API widget: each visible line is computed from the stored due time and the clock
when it is painted, so the once-a-second tick repaints only the lines on screen and costs
the same for 10 rows as for 10,000 (a DataTable repaints every cell, see PITFALLS.md).
Customer text reaches the screen as plain segments, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
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
from cs_console.config.policy_file import default_policy
from cs_console.domain.clocks import STATE_SYMBOLS, clock_state, format_remaining, remaining
from cs_console.domain.enums import ClockKind, ClockState, Severity
from cs_console.domain.policy import ClockPolicy
from cs_console.domain.text import clean_line
from cs_console.ui.widgets.binding_text import translate_bindings

if TYPE_CHECKING:
    from cs_console.services.worklists import ClockRow

REMAINING_WIDTH = 9  # "-01:03:10"
CUSTOMER_MIN = 4


def utc_now() -> datetime:
    return datetime.now(UTC)


def rjust_cells(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal cells (CJK counts two)."""
    return " " * max(width - cell_len(text), 0) + text


def component_styles(widget: ScrollView, prefix: str, names: tuple[str, ...]) -> dict[str, Style]:
    """Each component's colour and text style, and the cursor's background only.

    Full component styles carry the widget background too, which would hide the cursor's
    background; partial ones cannot blend translucent theme colours ($text-muted). So take
    the full (blended) style and keep only the part each one is for.
    """
    styles: dict[str, Style] = {}
    for name in names:
        full = widget.get_component_rich_style(f"{prefix}--{name}")
        if name == "cursor":
            styles[name] = Style(bgcolor=full.bgcolor)
        else:
            styles[name] = Style(
                color=full.color,
                bold=full.bold,
                dim=full.dim,
                italic=full.italic,
                underline=full.underline,
                reverse=full.reverse,
            )
    return styles


def short_reference(reference: str, tiny: bool = False) -> str:
    """ "C-20261122-0042" as "1122-0042" (or "0042" when ``tiny``) for narrow panes."""
    parts = reference.split("-")
    if len(parts) != 3 or len(parts[1]) != 8:
        return reference
    return parts[2] if tiny else f"{parts[1][4:]}-{parts[2]}"


class _Labels:
    """Translated labels and their column widths, built once per language."""

    _cache: ClassVar[dict[str, _Labels]] = {}

    def __init__(self) -> None:
        self.severity = {s.value: t(f"lists.severity.{s.value}") for s in Severity}
        self.kind = {k: t(f"lists.clock.{k.value}") for k in ClockKind}
        self.done = t("lists.clocks.done")
        self.empty = t("lists.clocks.empty")
        self.severity_width = max(cell_len(v) for v in self.severity.values())

    @classmethod
    def current(cls) -> _Labels:
        lang = current_language()
        if lang not in cls._cache:
            cls._cache[lang] = cls()
        return cls._cache[lang]


class ClockList(ScrollView, can_focus=True):
    """Open complaints with their most urgent clock: symbol, reference, severity, kind,
    time left and the masked customer. Enter opens the complaint under the cursor."""

    DEFAULT_CSS = """
    ClockList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        & > .clock-list--ok { color: $text-success; }
        & > .clock-list--amber { color: $text-warning; text-style: bold; }
        & > .clock-list--red { color: $text-error; text-style: bold; }
        & > .clock-list--breached { color: $text-error; text-style: bold reverse; }
        & > .clock-list--done { color: $text-muted; }
        & > .clock-list--muted { color: $text-muted; }
        & > .clock-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .clock-list--cursor { background: $block-cursor-background; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "clock-list--ok",
        "clock-list--amber",
        "clock-list--red",
        "clock-list--breached",
        "clock-list--done",
        "clock-list--muted",
        "clock-list--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "lists.clocks.open", id="clock-list-open"),
        Binding("up", "cursor_up", show=False, id="clock-list-up"),
        Binding("down", "cursor_down", show=False, id="clock-list-down"),
        Binding("home", "cursor_first", show=False, id="clock-list-first"),
        Binding("end", "cursor_last", show=False, id="clock-list-last"),
        Binding("pageup", "page_up", show=False, id="clock-list-page-up"),
        Binding("pagedown", "page_down", show=False, id="clock-list-page-down"),
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
        translate_bindings(self)
        self.clock: Callable[[], datetime] = utc_now
        self.zone: ZoneInfo = ZoneInfo("Asia/Shanghai")
        self.policy: ClockPolicy = default_policy().clocks
        self.rows: list[ClockRow] = []
        self.cursor = 0
        self._now = utc_now()
        self._styles: dict[str, Style] = {}
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
        self.virtual_size = Size(0, max(len(self.rows), 1))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current_complaint_id(self) -> int | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].complaint_id
        return None

    def on_mount(self) -> None:
        self.set_interval(1, self._tick)

    def _tick(self) -> None:
        # Repaint the visible lines only; each one reads the clock when it is painted.
        if self.rows:
            self.refresh()

    # -- painting -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # One clock reading and one style lookup per frame, not per line.
        self._now = self.clock()
        base = self.rich_style
        self._styles = component_styles(
            self, "clock-list", ("ok", "amber", "red", "breached", "done", "muted", "cursor")
        )
        self._styles["base"] = base
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._styles or {"base": self.rich_style}
        base = styles["base"]
        if not self.rows:
            if index == 0:
                text = set_cell_size(_Labels.current().empty, width)
                return Strip([Segment(text, base + styles.get("muted", Style()))], width)
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

    def _render_row(self, row: ClockRow, is_cursor: bool, width: int, styles: dict) -> Strip:
        labels = _Labels.current()
        clock = row.clocks[0]
        state = clock_state(clock, self._now, self.policy)
        plain = styles["base"]
        if is_cursor:
            plain = plain + styles.get("cursor", Style())
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
        if width > used + 1:
            # Customer text is data: cleaned, and a plain segment (never parsed as markup).
            customer = set_cell_size(" " + clean_line(row.customer), width - used)
            segments.append(Segment(customer, plain))
        elif width > used:
            segments.append(Segment(" " * (width - used), plain))
        return Strip(segments).crop_extend(0, width, plain)

    # -- keys -----------------------------------------------------------------------------

    def _move(self, cursor: int) -> None:
        if not self.rows:
            return
        cursor = max(0, min(cursor, len(self.rows) - 1))
        if cursor != self.cursor:
            self.cursor = cursor
            self._scroll_to_cursor()
            self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.rows else None  # shown greyed out on an empty list
        return True

    def action_open(self) -> None:
        complaint_id = self.current_complaint_id
        if complaint_id is not None:
            self.post_message(self.Opened(complaint_id, self))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.rows:
            return
        index = offset.y + self.scroll_offset.y
        if index < len(self.rows):
            self._move(index)
            if event.chain >= 2:
                self.action_open()
