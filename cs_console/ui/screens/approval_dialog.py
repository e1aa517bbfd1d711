"""A supervisor's decision on a resolution above the policy's suggestion.

A ``ModalScreen`` returning (approve, note), or None when cancelled. The decision has no
default and Enter never saves: approving is ctrl+s after choosing, as in every form of the
complaint screen. The proposal's reason is the agent's typing, shown as plain text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput


class ApprovalDialog(ModalScreen[tuple[bool, str] | None]):
    """Approve or reject the proposal described by ``proposal`` / ``suggested`` / ``reason``."""

    CSS_PATH = "../styles/complaint_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "detail.form.save", id="approval-save"),
        Binding("escape", "cancel", "detail.form.cancel", id="approval-cancel"),
    ]

    def __init__(self, proposal: str, suggested: str, reason: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.proposal, self.suggested, self.reason = proposal, suggested, reason

    def compose(self) -> ComposeResult:
        with Vertical(id="approval-form", classes="complaint-form"):
            yield Static(
                Text.assemble(
                    (t("detail.approval.proposal"), "bold"),
                    f"  {self.proposal}  {self.suggested}\n",
                    (t("detail.approval.reason"), "bold"),
                    f"  {clean_line(self.reason)}",
                ),
                id="approval-proposal",
            )
            yield Label(t("detail.approval.decision"))
            choices = [
                (t("detail.approval.approve"), "approve"),
                (t("detail.approval.reject"), "reject"),
            ]
            yield Select(
                choices, prompt=t("detail.approval.choose"), compact=True, id="approval-decision"
            )
            yield Static(id="approval-decision-error", classes="field-error")
            yield Label(t("detail.approval.note"))
            yield CleanInput(id="approval-note")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#approval-form").border_title = t("detail.approval.title")
        self.query_one("#approval-decision", Select).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter moves on; deciding is ctrl+s
        self.focus_next()

    def action_save(self) -> None:
        decision = self.query_one("#approval-decision", Select)
        missing = decision.value is Select.NULL
        error = self.query_one("#approval-decision-error", Static)
        show_error(error, t("detail.approval.decision_required") if missing else "")
        if missing:
            decision.focus()
            return
        note = self.query_one("#approval-note", Input).value.strip()
        self.dismiss((decision.value == "approve", note))

    def action_cancel(self) -> None:
        self.dismiss(None)
