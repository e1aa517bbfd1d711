"""The SAY NEXT line: what the agent reads aloud now, and the key that marks it said."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cs_console.i18n import t


class ScriptLine(Vertical):
    """A bordered box: which line it is (greeting, empathy …), the words, the ctrl+g hint."""

    def compose(self) -> ComposeResult:
        yield Static("", id="script-label", markup=False)
        yield Static("", id="script-text", markup=False)
        yield Static("", id="script-hint", markup=False)

    def on_mount(self) -> None:
        self.border_title = t("ui.call.say_next")

    def say(self, text: str, *, label: str = "", hint: str = "") -> None:
        """Show ``text`` (already filled; shown literally) under ``label``."""
        self._text = text
        self.query_one("#script-label", Static).update(Text(label))
        self.query_one("#script-text", Static).update(Text(text))
        self.query_one("#script-hint", Static).update(Text(hint))
        self.set_class(bool(hint), "-to-say")

    @property
    def text(self) -> str:
        return getattr(self, "_text", "")
