"""Asking whose name was typed when the phone is on file under another name.

A phone on file as 张* with 李四 typed is either another person on the same number (the
complaint keeps 李四 as its contact name; the customer stays 张*) or a correction (the
customer becomes 李四; the old name is kept in the history). A ``ModalScreen`` returning
the ``NameChoice`` (None on Escape: back to the form, nothing saved).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.domain.enums import NameChoice
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings


class NameChoiceDialog(ModalScreen[NameChoice | None]):
    """ "1" another person on this number, "2" a correction, Escape back to the form."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "other_person", "names.key.other_person", id="name-other-person"),
        Binding("2", "correction", "names.key.correction", id="name-correction"),
        Binding("escape", "back", "names.key.back", id="name-back"),
    ]

    def __init__(self, on_file_masked: str, typed: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.on_file_masked, self.typed = on_file_masked, typed

    def compose(self) -> ComposeResult:
        # The names are data: they go in as plain Text, never through markup.
        question = t(
            "names.dialog.question",
            on_file=clean_line(self.on_file_masked),
            typed=clean_line(self.typed).strip(),
        )
        with Vertical(id="name-dialog", classes="dialog"):
            yield Static(Text(t("names.dialog.title")), classes="dialog-title")
            yield Static(Text(question), id="name-question", classes="dialog-text")
            yield Static(Text(t("names.dialog.other_person")), id="name-choice-other")
            yield Static(Text(t("names.dialog.correction")), id="name-choice-correction")
            yield Static(Text(t("names.dialog.back")), classes="dialog-hint")

    def action_other_person(self) -> None:
        self.dismiss(NameChoice.OTHER_PERSON)

    def action_correction(self) -> None:
        self.dismiss(NameChoice.CORRECTION)

    def action_back(self) -> None:
        self.dismiss(None)
