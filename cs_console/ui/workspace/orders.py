"""Sending a work order from the call (ctrl+w): the complaint under the cursor in my
clocks when they have the focus, else the complaint registered last in this call.

The dialog (ui/screens/send_order_dialog.py) loads the defaults and sends the order; the
part says what was sent and reloads my clocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from cs_console.i18n import t
from cs_console.ui.screens.send_order_dialog import SendOrderDialog, order_sent_words
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from cs_console.services.work_orders import WorkOrderView


class OrdersPart(WorkspacePart):
    """A work order to an outlet about the complaint at hand."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Before a field's own ctrl+w (delete a word), as ctrl+e is: sent from the form too.
        Binding(
            "ctrl+w",
            "send_order",
            "orders.send.key.order",
            key_display="^w",
            priority=True,
            id="send-order",
        ),
    ]
    WAITS_FOR_DRAFT = frozenset({"send_order"})

    def complaint_at_hand(self) -> str | None:
        """The reference the order is about: my clocks' cursor when they are focused,
        else the complaint saved last in this call; None when there is neither."""
        clocks = self.bench.clocks_pane
        if self.screen.focused is clocks and 0 <= clocks.cursor < len(clocks.rows):
            return clocks.rows[clocks.cursor].reference
        registered = self.bench.call.call.complaints
        return registered[-1] if registered else None

    def action_send_order(self) -> None:
        reference = self.complaint_at_hand()
        if reference is None:
            self.notify(t("orders.send.none"), severity="warning", markup=False)
            return

        def sent(order: WorkOrderView | None) -> None:
            if order is not None:
                self.notify(order_sent_words(order, self.desk.console), markup=False)
                self.bench.clocks.load_lists()

        self.app.push_screen(SendOrderDialog(self.desk.console, self.desk.actor, reference), sent)
