"""Asking before ctrl+q closes the console in the middle of a call.

A caller is on the line: quitting by a slip of the fingers would leave them talking to
nobody. Only ``q`` quits (what is typed is kept as a draft, as for any quit); Enter and
Escape stay, so the easy keys never say yes by accident.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings


class QuitDuringCallScreen(ModalScreen[bool]):
    """Dismisses True to quit, False to stay on the call."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_anyway", "ui.key.quit", id="quit-during-call"),
        Binding("escape", "stay", "ui.key.stay", id="quit-stay"),
        Binding("enter", "stay", "ui.key.stay", show=False, id="quit-stay-enter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-dialog", classes="dialog"):
            yield Static(Text(t("ui.quit_call.title")), classes="dialog-title")
            yield Static(Text(t("ui.quit_call.body")), id="quit-body")
            yield Static(Text(t("ui.quit_call.hint")), classes="dialog-hint")

    def action_quit_anyway(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
