"""A Line-API list with a row cursor: the part the clock list and the callback queue share.

``CursorLines`` keeps the rows and the cursor, moves it (arrows, Home/End, pages), keeps it
in view, reads the clock and looks up the component styles once per frame, and repaints the
visible lines once a second. Each subclass paints its own lines and declares its own
bindings (``cursor_bindings`` gives the cursor keys with the subclass's ids), messages and
click handling (Textual calls ``on_click`` of every class in the MRO, so the base has none).
``LanguageLabels`` keeps each list's translated labels and widths, built once per language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar, Generic, Self, TypeVar
from zoneinfo import ZoneInfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cs_console.i18n import current_language
from cs_console.ui.widgets.binding_text import translate_bindings

RowT = TypeVar("RowT")


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


CLOCK_STATE_NAMES = ("ok", "amber", "red", "breached", "done", "muted", "cursor")


def clock_lines_css(widget: str, prefix: str) -> str:
    """The ``DEFAULT_CSS`` of a list of clocks: a colour and weight per state (the symbol
    says it too), muted text and the cursor."""
    return f"""
    {widget} {{
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        & > .{prefix}--ok {{ color: $text-success; }}
        & > .{prefix}--amber {{ color: $text-warning; text-style: bold; }}
        & > .{prefix}--red {{ color: $text-error; text-style: bold; }}
        & > .{prefix}--breached {{ color: $text-error; text-style: bold reverse; }}
        & > .{prefix}--done {{ color: $text-muted; }}
        & > .{prefix}--muted {{ color: $text-muted; }}
        & > .{prefix}--cursor {{ background: $block-cursor-blurred-background; }}
        &:focus > .{prefix}--cursor {{ background: $block-cursor-background; }}
    }}
    """


def component_classes(prefix: str, names: tuple[str, ...]) -> set[str]:
    """The component classes ``{prefix}--{name}`` (``COMPONENT_CLASSES``)."""
    return {f"{prefix}--{name}" for name in names}


def cursor_bindings(prefix: str) -> list[Binding]:
    """The hidden cursor keys, with binding ids ``{prefix}-up``, ``{prefix}-page-down`` …"""
    return [
        Binding("up", "cursor_up", show=False, id=f"{prefix}-up"),
        Binding("down", "cursor_down", show=False, id=f"{prefix}-down"),
        Binding("home", "cursor_first", show=False, id=f"{prefix}-first"),
        Binding("end", "cursor_last", show=False, id=f"{prefix}-last"),
        Binding("pageup", "page_up", show=False, id=f"{prefix}-page-up"),
        Binding("pagedown", "page_down", show=False, id=f"{prefix}-page-down"),
    ]


class LanguageLabels:
    """Translated labels and their column widths, built once per language.

    A subclass builds its labels in ``__init__``; ``current()`` gives those of the language
    in use, built the first time it is asked for.
    """

    _cache: ClassVar[dict[str, LanguageLabels]]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._cache = {}

    @classmethod
    def current(cls) -> Self:
        lang = current_language()
        labels = cls._cache.get(lang)
        if not isinstance(labels, cls):
            labels = cls._cache[lang] = cls()
        return labels


class CursorLines(ScrollView, Generic[RowT]):
    """Rows with a cursor, painted line by line from the clock read once per frame."""

    STYLE_PREFIX: ClassVar[str] = ""
    """The component classes' prefix (``clock-list`` for ``clock-list--cursor``)."""
    STYLE_NAMES: ClassVar[tuple[str, ...]] = ()
    """The components looked up once per frame into ``_styles`` (with ``base``); with the
    prefix, also the subclass's ``COMPONENT_CLASSES`` (``component_classes``)."""

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
        self.rows: list[RowT] = []
        self.cursor = 0
        self._now = utc_now()
        self._styles: dict[str, Style] = {}

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
        self._styles = component_styles(self, self.STYLE_PREFIX, self.STYLE_NAMES)
        self._styles["base"] = base
        return super().render_lines(crop)

    def _frame_styles(self) -> dict[str, Style]:
        return self._styles or {"base": self.rich_style}

    @staticmethod
    def _text_line(text: str, width: int, styles: dict[str, Style], name: str) -> Strip:
        """One line of ``text`` in the component style ``name``."""
        text = set_cell_size(text, width)
        return Strip([Segment(text, styles["base"] + styles.get(name, Style()))], width)

    @staticmethod
    def _row_style(is_cursor: bool, styles: dict[str, Style]) -> Style:
        """The plain style of a row: the base, with the cursor's background under it."""
        plain = styles["base"]
        if is_cursor:
            plain = plain + styles.get("cursor", Style())
        return plain

    # -- cursor ---------------------------------------------------------------------------

    def _lines_below_cursor(self) -> int:
        """Lines painted under the cursor's row that belong with it (kept in view)."""
        return 0

    def _move(self, cursor: int) -> None:
        if not self.rows:
            return
        cursor = max(0, min(cursor, len(self.rows) - 1))
        if cursor != self.cursor:
            self.cursor = cursor
            self._scroll_to_cursor()
            self.refresh()

    def _set_line_count(self, lines: int) -> None:
        """Make room for ``lines`` lines (one at least) and keep the cursor in view."""
        self.virtual_size = Size(0, max(lines, 1))
        self._scroll_to_cursor()
        self.refresh()

    def _cursor_lines(self) -> tuple[int, int]:
        """The first and the last line of the cursor's row (with what belongs with it);
        a subclass whose rows take several lines says which."""
        return self.cursor, self.cursor + self._lines_below_cursor()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        first, bottom = self._cursor_lines()
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif height and bottom >= top + height:
            self.scroll_to(y=bottom - height + 1, animate=False)

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _clicked_line(self, event: events.Click) -> int | None:
        """The line clicked, counted from the top of the list; None off the list or empty."""
        offset = event.get_content_offset(self)
        if offset is None or not self.rows:
            return None
        return offset.y + self.scroll_offset.y

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
