"""Every key of the screen underneath, with what it does (F1 or ?)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings

KEY_WIDTH = 18


def key_label(key: str) -> str:
    """How a key is written for people: "f2" -> "F2", "question_mark" -> "?"."""
    names = {"question_mark": "?", "escape": "Esc", "enter": "Enter"}
    if key in names:
        return names[key]
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return key


class HelpScreen(ModalScreen[None]):
    """A list of (keys, what they do) rows; any of Escape, F1, ? closes it."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "ui.key.close", id="help-close"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        translate_bindings(self)
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        text = Text()
        for keys, description in self.rows:
            pad = max(KEY_WIDTH - Text(keys).cell_len, 1)
            text.append(keys, style="bold")
            text.append(" " * pad + description + "\n")
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Text(t("ui.help.title")), classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                yield Static(text, markup=False)
            yield Static(Text(t("ui.help.hint")), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
