"""Sending a work order (工单) to an outlet from the call or a complaint, in two or three keys.

The dialog opens on the complaint's defaults (``order_start``): the outlet that delivers
the parcel (the complaint's outlet field) and what the customer said, as the order's text.
A digit chooses the kind (1 verify, 2 urge, 3 intercept, 4 change address, 5 deliver
again), Enter sends: the dialog's key, a digit and Enter. Tab goes into the outlet and the
text to change them; s says the parcel is signed for (the agent reads it off the parcel's
tracking), and the services refuse an intercept or a change of address then: the refusal
is shown here with its reason, nothing is sent. Escape leaves a field, then the dialog.
Dismisses with the order sent, or None.
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
from textual.widgets import Footer, Input, Label, Static

from cs_console.domain.text import clean_line
from cs_console.domain.work_orders import OrderKind
from cs_console.i18n import day_time, t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.fields import FIELD_CAP, CleanInput

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.work_orders import OrderStart, WorkOrderView

KINDS = tuple(OrderKind)  # 1..5, in the order of domain.work_orders
TEXT_CAP = FIELD_CAP  # one line (every field is capped: ui.widgets.fields); the column holds 4000
OUTLET_CAP = 50  # the outlet column's size


def _kind_key(number: int) -> Binding:
    kind = KINDS[number - 1]
    return Binding(
        str(number), f"kind('{kind.value}')", f"orders.kind.{kind.value}", id=f"send-order-{kind}"
    )


class SendOrderDialog(ModalScreen["WorkOrderView | None"]):
    """A work order about one complaint, to its outlet by default."""

    CSS_PATH = "../styles/work_orders.tcss"
    AUTO_FOCUS = ""  # no field: the keys choose first

    BINDINGS: ClassVar[list[BindingType]] = [
        *(_kind_key(n) for n in range(1, len(KINDS) + 1)),
        Binding(
            "enter,ctrl+s",
            "send",
            "orders.send.key.send",
            key_display="Enter",
            id="send-order-send",
        ),  # fmt: skip
        Binding("s", "signed", "orders.send.key.signed", id="send-order-signed"),
        Binding("escape", "back", "orders.send.key.back", id="send-order-back"),
    ]

    class Started(Message):
        def __init__(self, start: OrderStart) -> None:
            super().__init__()
            self.start = start

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, console: ServiceContext, actor: Actor, reference: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.reference = console, actor, reference
        self.kind: OrderKind | None = None
        self.signed = False
        self.busy = True  # until the defaults are loaded; while sending

    def compose(self) -> ComposeResult:
        with Vertical(id="send-order", classes="order-form"):
            yield Static(Text(t("orders.send.about", reference=self.reference)))
            yield Static("", id="send-order-kinds", classes="order-choices")
            yield Static("", id="send-order-signed")
            yield Label(Text(t("orders.send.outlet")))
            yield CleanInput(id="send-order-outlet", max_length=OUTLET_CAP)
            yield Label(Text(t("orders.send.text")))
            yield CleanInput(id="send-order-text", max_length=TEXT_CAP)
            yield Static("", id="send-order-error", classes="field-error", markup=False)
            yield Static(Text(t("orders.send.hint")), classes="order-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#send-order").border_title = t("orders.send.title")
        self._show_choices()
        self._load()

    @work(thread=True, exclusive=True, group="send-order")
    def _load(self) -> None:
        from cs_console.services.work_orders import order_start
        from cs_console.ui.error_words import error_text

        try:
            start = order_start(self.console, self.actor, self.reference)
        except Exception as exc:
            self.post_message(self.Failed(error_text(exc)))
            return
        self.post_message(self.Started(start))

    def on_send_order_dialog_started(self, message: Started) -> None:
        self.busy = False
        self.query_one("#send-order-outlet", CleanInput).value = clean_line(message.start.outlet)
        self.query_one("#send-order-text", CleanInput).value = clean_line(message.start.said)
        self.signed = self.signed or message.start.signed  # the tracking says so (s undoes it)
        self._show_choices()
        self.refresh_bindings()

    def on_send_order_dialog_failed(self, message: Failed) -> None:
        self.busy = False
        self._error(message.text)
        self.refresh_bindings()

    # -- keys -----------------------------------------------------------------------------

    def _typing(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("kind", "signed"):  # letters and digits typed in a field are text
            return not self._typing()
        if action == "send":
            return True if self.kind is not None and not self.busy else None
        return True

    def action_kind(self, kind: str) -> None:
        self.kind = OrderKind(kind)
        self._error("")
        self._show_choices()
        self.refresh_bindings()

    def action_signed(self) -> None:
        self.signed = not self.signed
        self._show_choices()

    def _show_choices(self) -> None:
        parts: list[tuple[str, str] | str] = []
        for number, kind in enumerate(KINDS, start=1):
            label = f"{number} {t(f'orders.kind.{kind.value}')}"
            parts.append((f"▸{label}", "bold reverse") if kind is self.kind else f" {label}")
            parts.append("  ")
        self.query_one("#send-order-kinds", Static).update(Text.assemble(*parts))
        said = t("orders.send.signed_yes") if self.signed else t("orders.send.signed_no")
        self.query_one("#send-order-signed", Static).update(Text(said))

    def on_input_submitted(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        if self.kind is None:
            self._error(t("orders.send.choose_kind"))
            return
        if self.busy:
            return
        outlet = self.query_one("#send-order-outlet", CleanInput).value.strip()
        text = self.query_one("#send-order-text", CleanInput).value
        self.busy = True
        self.refresh_bindings()
        self._send(self.kind, outlet, text, self.signed)

    @work(thread=True, exclusive=True, group="send-order")
    def _send(self, kind: OrderKind, outlet: str, text: str, signed: bool) -> None:
        from cs_console.services.work_orders import send_work_order
        from cs_console.ui.error_words import error_text

        try:
            order = send_work_order(
                self.console,
                self.actor,
                self.reference,
                kind,
                text,
                outlet=outlet or None,
                parcel_signed=signed,
            )
        except Exception as exc:
            self.post_message(self.Failed(error_text(exc)))
            return
        self.app.call_from_thread(self.dismiss, order)

    def action_back(self) -> None:
        """Escape: out of the field first (what was typed stays), then out of the dialog."""
        if self._typing():
            self.set_focus(None)
            self.refresh_bindings()
        else:
            self.dismiss(None)

    def _error(self, text: str) -> None:
        error = self.query_one("#send-order-error", Static)
        error.update(Text(clean_line(text)))
        error.set_class(bool(text), "-shown")


def order_sent_words(order: WorkOrderView, console: ServiceContext) -> str:
    """What the agent is told once the order is sent: to whom, due when."""
    return t(
        "orders.sent",
        id=order.id,
        outlet=clean_line(order.outlet),
        due=day_time(order.due_at, console.zone),
    )
