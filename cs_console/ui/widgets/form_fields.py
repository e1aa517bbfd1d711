"""Multi-line text and tick boxes for the forms (loaded after the first paint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Checkbox, TextArea

from cs_console.domain.text import clean_text
from cs_console.ui.widgets.fields import AREA_CAP, blink

if TYPE_CHECKING:
    from textual.widgets.text_area import Edit, EditResult

SCREEN_KEYS = frozenset({"select_line", "select_all"})  # TextArea's F6 and F7


class CleanTextArea(TextArea):
    """A multi-line field: pasted or restored text is cleaned, tab moves to the next field;
    it holds at most ``AREA_CAP`` characters (what goes past it is not let in)."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(clean_text(text)[:AREA_CAP], **kwargs)  # type: ignore[arg-type]

    def edit(self, edit: Edit) -> EditResult:
        # Every change (a key, a paste, a replace) is an Edit: cut what would go past the cap.
        replaced = len(self.get_text_range(edit.from_location, edit.to_location))
        room = max(AREA_CAP - len(self.text) + replaced, 0)
        if len(edit.text) > room:
            edit.text = edit.text[:room]
        return super().edit(edit)

    def on_mount(self) -> None:
        self.cursor_blink = blink(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # F6 and F7 are the screen's (find, lists): TextArea's own F6 (select the line) and
        # F7 (select all) would swallow them while the agent types a description.
        if action in SCREEN_KEYS:
            return False
        return super().check_action(action, parameters)

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # the base class would insert the raw text
        if self.read_only:
            return
        result = self.replace(clean_text(event.text), *self.selection)
        self.move_cursor(result.end_location)

    def set_text(self, value: str) -> None:
        """Put a stored value in the field (cleaned)."""
        self.load_text(clean_text(value)[:AREA_CAP])


class TickBox(Checkbox):
    """A check box that shows its state by a symbol (✓ or blank), not by colour alone."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "✓" if self.value else " "
