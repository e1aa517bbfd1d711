"""The two small forms of the complaint screen: a resolution round and a hand-over.

Each is a ``ModalScreen`` returning what was typed (or None when cancelled); the complaint
screen calls the service. Amounts are checked here with the same parser the services use,
so a wrong amount is explained under the field before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from cs_console.domain.enums import CompensationKind
from cs_console.domain.policy import Policy
from cs_console.i18n import money, money_input, t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput

if TYPE_CHECKING:  # the compensation rules import the phone-number metadata: not to paint
    from cs_console.domain.compensation import Suggestion

NO_SUM_KINDS = (CompensationKind.APOLOGY.value, CompensationKind.REPAIR.value)


@dataclass(frozen=True)
class Resolution:
    kind: CompensationKind
    amount_fen: int | None
    accepted: bool
    note: str
    reason: str = ""  # why more than the policy suggests (then a supervisor approves)


class ResolutionDialog(ModalScreen[Resolution | None]):
    """A negotiation round: the remedy offered, and whether the customer accepted it."""

    CSS_PATH = "../styles/complaint_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "detail.form.save", id="resolution-save"),
        Binding("escape", "cancel", "detail.form.cancel", id="resolution-cancel"),
    ]

    def __init__(
        self,
        kind: str,
        amount_fen: int | None,
        policy: Policy,
        suggestion: Suggestion,
        typed: Resolution | None = None,
    ) -> None:
        """``suggestion``: what the policy suggests (above it, a reason and an approval);
        ``typed``: what the person entered before a refused save, shown again as it was."""
        super().__init__()
        translate_bindings(self)
        self.kind, self.amount_fen = kind, amount_fen
        self.policy, self.suggestion = policy, suggestion
        # No default: the agent asks and chooses (a default "yes" agreed by accident).
        self.accepted: bool | None = None
        self.note = self.reason = ""
        if typed is not None:
            self.kind, self.amount_fen = typed.kind.value, typed.amount_fen
            self.accepted, self.note, self.reason = typed.accepted, typed.note, typed.reason

    def compose(self) -> ComposeResult:
        kinds = [(t(f"detail.compensation.{k.value}"), k.value) for k in CompensationKind]
        with Vertical(id="resolution-form", classes="complaint-form"):
            yield Label(t("detail.form.kind"))
            yield Select(
                kinds, value=self.kind, allow_blank=False, compact=True, id="resolution-kind"
            )
            yield Label(t("detail.form.amount"))
            yield CleanInput(
                money_input(self.amount_fen), id="resolution-amount", select_on_focus=True
            )
            yield Static(id="resolution-amount-error", classes="field-error")
            yield Label(t("detail.form.accepted"))
            yes_no = [(t("detail.yes"), "yes"), (t("detail.no"), "no")]
            chosen = {True: "yes", False: "no", None: Select.NULL}[self.accepted]
            yield Select(
                yes_no,
                prompt=t("detail.form.choose_accepted"),
                value=chosen,
                compact=True,
                id="resolution-accepted",
            )
            yield Static(id="resolution-accepted-error", classes="field-error")
            yield Label(t("detail.form.note"))
            yield CleanInput(self.note, id="resolution-note", select_on_focus=True)
            yield Label(t("detail.form.over_reason"))
            yield CleanInput(self.reason, id="resolution-reason", select_on_focus=True)
            yield Static(id="resolution-reason-error", classes="field-error")
            suggested = t(f"detail.compensation.{self.suggestion.kind.value}")
            if self.suggestion.amount_fen is not None:
                suggested += f" {money(self.suggestion.amount_fen)}"
            hint = t("detail.form.over_hint", suggestion=suggested)
            yield Static(Text(hint), classes="form-note", id="resolution-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#resolution-form").border_title = t("detail.form.resolution_title")
        self.query_one("#resolution-amount", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves on; saving is the dialog's own key (ctrl+s), never a stray Enter.
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        # Imported here: the phone-number metadata behind validation is not needed to paint.
        from cs_console.domain.compensation import needs_approval
        from cs_console.domain.reasons import reason_problem
        from cs_console.domain.validation import parse_money_fen

        kind = str(self.query_one("#resolution-kind", Select).value)
        text = self.query_one("#resolution-amount", Input).value
        error = self.query_one("#resolution-amount-error", Static)
        amount: int | None = None
        if text.strip() or kind not in NO_SUM_KINDS:
            amount, problem = parse_money_fen(text, self.policy.limits)
            if problem is not None:
                show_error(error, t(f"error.{problem.value}"))
                self.query_one("#resolution-amount", Input).focus()
                return
        show_error(error, "")
        choice = self.query_one("#resolution-accepted", Select)
        missing = choice.value is Select.NULL
        show_error(
            self.query_one("#resolution-accepted-error", Static),
            t("detail.form.accepted_required") if missing else "",
        )
        if missing:
            choice.focus()
            return
        accepted = choice.value == "yes"
        note = self.query_one("#resolution-note", Input).value.strip()
        reason = self.query_one("#resolution-reason", Input).value.strip()
        # Above the suggestion: a reason of a few real words (the service checks it again).
        vague = None
        if needs_approval(amount, self.suggestion):
            vague = reason_problem(reason, self.policy.security)
        error = self.query_one("#resolution-reason-error", Static)
        show_error(error, t(f"error.{vague.value}") if vague is not None else "")
        if vague is not None:
            self.query_one("#resolution-reason", Input).focus()
            return
        self.dismiss(Resolution(CompensationKind(kind), amount, accepted, note, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HandOverDialog(ModalScreen[tuple[str, str] | None]):
    """Whom to give the complaint to, and why (首问负责制: both are recorded)."""

    CSS_PATH = "../styles/complaint_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "detail.form.save", id="hand-over-save"),
        Binding("escape", "cancel", "detail.form.cancel", id="hand-over-cancel"),
    ]

    def __init__(
        self, choices: list[tuple[str, str]], typed: tuple[str, str] | None = None
    ) -> None:
        """``typed``: (user name, reason) entered before a refused save, shown again."""
        super().__init__()
        translate_bindings(self)
        self.choices = choices
        self.typed_to, self.typed_reason = typed if typed is not None else ("", "")

    def compose(self) -> ComposeResult:
        options = [(Text(label), username) for label, username in self.choices]
        with Vertical(id="hand-over-form", classes="complaint-form"):
            yield Label(t("detail.form.to"))
            known = any(username == self.typed_to for _, username in self.choices)
            yield Select(
                options,
                prompt=t("detail.form.choose"),
                value=self.typed_to if known else Select.NULL,
                compact=True,
                id="hand-over-to",
            )
            yield Static(id="hand-over-to-error", classes="field-error")
            yield Label(t("detail.form.reason"))
            yield CleanInput(self.typed_reason, id="hand-over-reason", select_on_focus=True)
            yield Static(id="hand-over-reason-error", classes="field-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#hand-over-form").border_title = t("detail.form.hand_over_title")
        self.query_one("#hand-over-to", Select).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        to = self.query_one("#hand-over-to", Select)
        reason = self.query_one("#hand-over-reason", Input).value.strip()
        missing_to = to.value is Select.NULL
        required = t("error.required")
        show_error(self.query_one("#hand-over-to-error", Static), required if missing_to else "")
        show_error(self.query_one("#hand-over-reason-error", Static), "" if reason else required)
        if missing_to:
            to.focus()
        elif not reason:
            self.query_one("#hand-over-reason", Input).focus()
        else:
            self.dismiss((str(to.value), reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
