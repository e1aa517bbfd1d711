"""Asking why before a customer's full name and phone are shown (信息安全: reveals are recorded).

A ``ModalScreen`` returning the reason typed (None when cancelled); a reason that is not a
few real words (domain.reasons) is refused here, under the field, before anything is sent.
The complaint screen calls the service, which checks it again and records it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from cs_console.domain.policy import SecurityPolicy
from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.fields import CleanInput


class RevealDialog(ModalScreen[str | None]):
    """Why the full details are needed; dismisses with the reason."""

    CSS_PATH = "../styles/complaint_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "reveal", "detail.key.reveal", id="reveal-confirm"),
        Binding("escape", "cancel", "detail.form.cancel", id="reveal-cancel"),
    ]

    def __init__(self, policy: SecurityPolicy) -> None:
        super().__init__()
        translate_bindings(self)
        self.policy = policy

    def compose(self) -> ComposeResult:
        with Vertical(id="reveal-form", classes="complaint-form"):
            yield Static(Text(t("detail.reveal.why")), id="reveal-why")
            yield Label(Text(t("detail.reveal.reason")))
            yield CleanInput(id="reveal-reason")
            yield Static(id="reveal-reason-error", classes="field-error", markup=False)
            yield Static(Text(t("detail.reveal.hint")), id="reveal-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reveal-form").border_title = t("detail.reveal.title")
        self.query_one("#reveal-reason", CleanInput).focus()

    def on_input_submitted(self) -> None:
        self.action_reveal()

    def action_reveal(self) -> None:
        # Imported here: the phone-number metadata behind validation is not needed to paint.
        from cs_console.domain.reasons import reason_problem

        reason = self.query_one("#reveal-reason", CleanInput).value.strip()
        error = self.query_one("#reveal-reason-error", Static)
        problem = reason_problem(reason, self.policy)
        if problem is not None:
            error.update(Text(t(f"error.{problem.value}")))
            error.add_class("-shown")
            self.query_one("#reveal-reason", CleanInput).focus()
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
