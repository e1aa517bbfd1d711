"""Text fields that never let terminal escapes in: pasted text is cleaned as it arrives.

Typed keys cannot carry an escape sequence, but a paste (or a restored draft) can; OSC 52
in a pasted name would otherwise be stored and later reach a terminal (PITFALLS.md).
The app may switch the cursor blink off (snapshot tests) through ``App.cursor_blink``.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Checkbox, Input, TextArea

from cs_console.domain.text import clean_line, clean_text


def _blink(widget: Input | TextArea) -> bool:
    return bool(getattr(widget.app, "cursor_blink", True))


class CleanInput(Input):
    """A one-line field: pasted or restored text is flattened and cleaned."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("select_on_focus", False)
        super().__init__(clean_line(value), **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.cursor_blink = _blink(self)

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(clean_line(text))

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(clean_line(text), start, end)

    def set_text(self, value: str) -> None:
        """Put a stored value in the field (cleaned), cursor at its end."""
        self.value = clean_line(value)
        self.cursor_position = len(self.value)


class CleanTextArea(TextArea):
    """A multi-line field: pasted or restored text is cleaned, tab moves to the next field."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(clean_text(text), **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.cursor_blink = _blink(self)

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # the base class would insert the raw text
        if self.read_only:
            return
        result = self.replace(clean_text(event.text), *self.selection)
        self.move_cursor(result.end_location)

    def set_text(self, value: str) -> None:
        """Put a stored value in the field (cleaned)."""
        self.load_text(clean_text(value))


class TickBox(Checkbox):
    """A check box that shows its state by a symbol (✓ or blank), not by colour alone."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "✓" if self.value else " "
