"""The overview's lists (at risk, walk-ins): the first rows of a longer list, a last line
saying how many more there are, Enter to open the row's complaint, a click to move there.

``CappedLines`` adds to ``CursorLines`` what both overview lists share: ``set_rows`` with
the total (the cursor stays on its row), the empty and "+N more" lines, and the click. A
subclass paints its rows (``_render_row``), says which row is which (``_row_key``), what
to say when empty or cut (``_empty_text``, ``_more_text``) and measures its columns
(``_measure``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip

from cs_console.ui.widgets.cursor_lines import CursorLines, RowT


class CappedLines(CursorLines[RowT]):
    """Rows of a list the overview cut, the count of the rest on a last line."""

    class Opened(Message):
        """Open the complaint ``complaint_id`` (Enter or a double click on its row)."""

        def __init__(self, complaint_id: int) -> None:
            super().__init__()
            self.complaint_id = complaint_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._more = 0  # in the list but not loaded

    def set_rows(self, rows: Sequence[RowT], total: int) -> None:
        """Show ``rows`` of ``total`` (a last line says how many more there are); the
        cursor stays on its row when it is still listed."""
        current = self.current
        self.rows = list(rows)
        self._more = max(total - len(self.rows), 0)
        self.cursor = 0
        self._measure(self.rows)
        if current is not None:
            keys = [self._row_key(row) for row in self.rows]
            if self._row_key(current) in keys:
                self.cursor = keys.index(self._row_key(current))
        self._set_line_count(len(self.rows) + (1 if self._more else 0))
        self.refresh_bindings()

    @property
    def current(self) -> RowT | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        styles = self._frame_styles()
        if not self.rows:
            if index == 0:
                return self._text_line(" " + self._empty_text(), width, styles, "muted")
            return Strip.blank(width, styles["base"])
        if index == len(self.rows) and self._more:
            return self._text_line(" " + self._more_text(self._more), width, styles, "muted")
        if index >= len(self.rows):
            return Strip.blank(width, styles["base"])
        return self._render_row(self.rows[index], index == self.cursor, width, styles)

    def _lines_below_cursor(self) -> int:
        return 1 if self._more and self.cursor == len(self.rows) - 1 else 0

    def on_click(self, event: events.Click) -> None:
        index = self._clicked_line(event)
        if index is not None and index < len(self.rows):
            self._move(index)
            self.refresh_bindings()
            if event.chain >= 2:
                self.action_open()

    # -- what a subclass says -------------------------------------------------------------

    def _measure(self, rows: list[RowT]) -> None:
        """Column widths for ``rows`` (called when they are set)."""

    def _row_key(self, row: RowT) -> Hashable:
        raise NotImplementedError

    def _empty_text(self) -> str:
        raise NotImplementedError

    def _more_text(self, more: int) -> str:
        raise NotImplementedError

    def _render_row(
        self, row: RowT, is_cursor: bool, width: int, styles: dict[str, Style]
    ) -> Strip:
        raise NotImplementedError

    def action_open(self) -> None:
        raise NotImplementedError
