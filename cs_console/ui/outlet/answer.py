"""The outlet clerk's answer to a work order: one key for what happened, then a line.

Made for someone who is not a trained agent: the order is shown as the call desk wrote it
(plain text, never markup), then three keys — d done, c cannot be done, f facts found —
and one line to type: the reason (cannot) or the facts (facts found) are required, a note
after done is not. Enter sends it (``answer_work_order`` in a thread worker); a refusal is
shown in the dialog. Escape steps back: from the line to the three keys, then out, with
nothing sent. Dismisses with True once the answer is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from cs_console.domain.text import clean_line, clean_text
from cs_console.domain.work_orders import OrderResult, answer_problems
from cs_console.i18n import day_time, t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.fields import FIELD_CAP, CleanInput

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.work_orders import WorkOrderView

ANSWER_CAP = FIELD_CAP  # one line (every field is capped: ui.widgets.fields); the column holds 4000


class OrderAnswerDialog(ModalScreen[bool]):
    """Answer one work order sent to this outlet."""

    CSS_PATH = "../styles/work_orders.tcss"
    AUTO_FOCUS = ""  # no field: the keys choose first

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "choose('done')", "orders.answer.key.done", id="order-answer-done"),
        Binding("c", "choose('cannot')", "orders.answer.key.cannot", id="order-answer-cannot"),
        Binding("f", "choose('facts')", "orders.answer.key.facts", id="order-answer-facts"),
        Binding("ctrl+s", "send", "orders.answer.key.send", id="order-answer-send"),
        Binding("escape", "back", "orders.answer.key.back", id="order-answer-back"),
    ]

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        console: ServiceContext,
        actor: Actor,
        order: WorkOrderView,
        result: OrderResult | None = None,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.order = console, actor, order
        self.result: OrderResult | None = None
        self._first = result
        self.sending = False

    def compose(self) -> ComposeResult:
        order = self.order
        with Vertical(id="order-answer", classes="order-form"):
            yield Static(
                Text(
                    t(
                        "orders.answer.about",
                        kind=t(f"orders.kind.{order.kind.value}"),
                        reference=order.complaint_reference,
                        due=day_time(order.due_at, self.console.zone),
                    )
                ),
                id="order-answer-about",
            )
            # What the call desk wrote: data, shown as plain text.
            yield Static(Text(clean_text(order.instructions)), classes="order-said")
            yield Static(
                Text(t("orders.answer.choose")), id="order-answer-choices", classes="order-choices"
            )
            yield Label("", id="order-answer-label")
            yield CleanInput(id="order-answer-text", max_length=ANSWER_CAP, disabled=True)
            yield Static("", id="order-answer-error", classes="field-error", markup=False)
            yield Static(
                Text(t("orders.answer.hint")), id="order-answer-hint", classes="order-hint"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#order-answer").border_title = t("orders.answer.title")
        if self._first is not None:
            self.action_choose(self._first.value)

    @property
    def field(self) -> CleanInput:
        return self.query_one("#order-answer-text", CleanInput)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":  # typed letters go into the line once a choice is made
            return self.result is None and not self.sending
        if action == "send":
            return True if self.result is not None and not self.sending else None
        return True

    def action_choose(self, result: str) -> None:
        self.result = OrderResult(result)
        label = self.query_one("#order-answer-label", Label)
        label.update(Text(t(f"orders.answer.label.{result}")))
        self.query_one("#order-answer-choices", Static).update(
            Text(t("orders.answer.chosen", result=t(f"orders.result.{result}")))
        )
        self.field.disabled = False
        self.field.focus()
        self._error("")
        self.refresh_bindings()

    def action_back(self) -> None:
        """Escape: from the line back to the three keys (what was typed stays), then out."""
        if self.sending:
            return
        if self.result is None:
            self.dismiss(False)
            return
        self.result = None
        self.field.disabled = True
        self.query_one("#order-answer-label", Label).update("")
        self.query_one("#order-answer-choices", Static).update(Text(t("orders.answer.choose")))
        self._error("")
        self.set_focus(None)
        self.refresh_bindings()

    def on_input_submitted(self) -> None:
        self.action_send()

    def on_input_changed(self) -> None:
        self._error("")  # typed again: what was said about the line is no longer true

    def action_send(self) -> None:
        if self.result is None or self.sending:
            return
        text = self.field.value.strip()
        if answer_problems(self.result, text):  # the reason, or the facts, are required
            self._error(t(f"orders.answer.required.{self.result.value}"))
            self.field.focus()
            return
        self.sending = True
        self.refresh_bindings()
        self._send(self.result, text)

    @work(thread=True, exclusive=True, group="order-answer")
    def _send(self, result: OrderResult, text: str) -> None:
        from cs_console.services.work_orders import answer_work_order
        from cs_console.ui.error_words import error_text

        try:
            answer_work_order(self.console, self.actor, self.order.id, result, text)
        except Exception as exc:
            self.post_message(self.Failed(error_text(exc)))
            return
        self.app.call_from_thread(self.dismiss, True)

    def on_order_answer_dialog_failed(self, message: Failed) -> None:
        self.sending = False
        self._error(message.text)
        self.refresh_bindings()

    def _error(self, text: str) -> None:
        error = self.query_one("#order-answer-error", Static)
        error.update(Text(clean_line(text)))
        error.set_class(bool(text), "-shown")
