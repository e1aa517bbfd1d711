"""What a callback's outcome needs besides its key: the few words and numbers asked for.

``ReachedDialog``: one line of what was said (optional, but offered) and, for a follow-up,
the customer's satisfaction 1-5 before it is closed. ``WrongNumberDialog``: the right number
(the callback goes on with it) or the reason to close it (its clock stops). Both are
``ModalScreen``s returning their answer (None when cancelled with Esc); Enter moves to the
next field and saves from the last one, ctrl+s saves from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from cs_console.domain.text import clean_line
from cs_console.domain.validation import normalize_phone
from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.fields import CleanInput

NOTE_CHARS = 200  # one line of what was said
SCORES = "12345"


@dataclass(frozen=True)
class Reached:
    note: str
    satisfaction: int | None


@dataclass(frozen=True)
class WrongNumber:
    phone: str  # the right number, or ""
    reason: str  # why the callback is closed (when no number)


class _OutcomeDialog(ModalScreen["Reached | WrongNumber | None"]):
    """A small form about one callback: its title names who and what."""

    CSS_PATH = "../styles/callback_dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "lists.dialog.save", id="callback-dialog-save"),
        Binding("escape", "cancel", "lists.dialog.cancel", id="callback-dialog-cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title
        translate_bindings(self)

    def on_mount(self) -> None:
        # The title names the customer (masked): literal text, never markup.
        self.query_one(".callback-dialog").border_title = Content(self._title)
        self.query(Input).first().focus()

    def _error(self, field: str, text: str | None) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(Text(text or ""))
        error.set_class(bool(text), "-shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = list(self.query(Input))
        if event.input is fields[-1] or self._complete_at(event.input):
            self.action_save()
        else:
            self.focus_next()

    def _complete_at(self, _field: Input) -> bool:
        return False

    def action_save(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReachedDialog(_OutcomeDialog):
    """Reached: what was said, and the score of a follow-up."""

    def __init__(self, title: str, *, needs_score: bool) -> None:
        super().__init__(title)
        self.needs_score = needs_score

    def compose(self) -> ComposeResult:
        with Vertical(classes="callback-dialog"):
            if self.needs_score:
                yield Label(Text(t("lists.dialog.satisfaction")))
                yield CleanInput(id="score", max_length=1, restrict=f"[{SCORES}]?")
                yield Static(id="score-error", classes="field-error", markup=False)
            yield Label(Text(t("lists.dialog.note")))
            yield CleanInput(id="note", max_length=NOTE_CHARS)
            yield Static(id="note-error", classes="field-error", markup=False)
            yield Static(Text(t("lists.dialog.hint")), classes="dialog-hint")
        yield Footer()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "score" and event.value:
            self._error("score", None)
            self.query_one("#note", Input).focus()  # one key: the score, then the words

    def _complete_at(self, field: Input) -> bool:
        return field.id == "score" and not field.value  # no score: say it is needed

    def action_save(self) -> None:
        score = None
        if self.needs_score:
            typed = self.query_one("#score", Input).value
            if typed not in tuple(SCORES):
                self._error("score", t("error.satisfaction_required"))
                self.query_one("#score", Input).focus()
                return
            score = int(typed)
        note = clean_line(self.query_one("#note", Input).value).strip()
        self.dismiss(Reached(note, score))


class WrongNumberDialog(_OutcomeDialog):
    """Wrong number: the right one, or why the callback is closed."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="callback-dialog"):
            yield Label(Text(t("lists.dialog.right_number")))
            yield CleanInput(id="phone", max_length=20)
            yield Static(id="phone-error", classes="field-error", markup=False)
            yield Label(Text(t("lists.dialog.close_reason")))
            yield CleanInput(id="reason", max_length=NOTE_CHARS)
            yield Static(id="reason-error", classes="field-error", markup=False)
            yield Static(Text(t("lists.dialog.wrong_hint")), classes="dialog-hint")
        yield Footer()

    def _complete_at(self, field: Input) -> bool:
        return field.id == "phone" and bool(field.value.strip())  # a number: that is all

    def action_save(self) -> None:
        phone = self.query_one("#phone", Input).value.strip()
        reason = clean_line(self.query_one("#reason", Input).value).strip()
        self._error("phone", None)
        self._error("reason", None)
        if phone and normalize_phone(phone) is None:
            self._error("phone", t("error.phone_invalid"))
            self.query_one("#phone", Input).focus()
            return
        if not phone and not reason:
            self._error("reason", t("error.number_or_reason"))
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(WrongNumber(phone, "" if phone else reason))
