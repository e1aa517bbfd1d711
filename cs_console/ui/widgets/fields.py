"""A one-line field that never lets terminal escapes in: pasted text is cleaned as it arrives.

Typed keys cannot carry an escape sequence, but a paste (or a restored draft) can; OSC 52
in a pasted name would otherwise be stored and later reach a terminal (PITFALLS.md).
The app may switch the cursor blink off (snapshot tests) through ``App.cursor_blink``.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input

from cs_console.domain.text import clean_line


def blink(widget: Widget) -> bool:
    """Whether text cursors blink (the app may switch it off for snapshots)."""
    return bool(getattr(widget.app, "cursor_blink", True))


class CleanInput(Input):
    """A one-line field: pasted or restored text is flattened and cleaned."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("select_on_focus", False)
        super().__init__(clean_line(value), **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.cursor_blink = blink(self)

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(clean_line(text))

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(clean_line(text), start, end)

    def set_text(self, value: str) -> None:
        """Put a stored value in the field (cleaned), cursor at its end."""
        self.value = clean_line(value)
        self.cursor_position = len(self.value)
