"""Sending a work order from the complaint screen (w): a part of ``ComplaintScreen``.

Mixed in like ``ResolvingActions``: the dialog sends the order itself (services), and the
screen then says so and reloads, so the order is in the history at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cs_console.ui.screens.send_order_dialog import SendOrderDialog, order_sent_words

if TYPE_CHECKING:
    from textual.app import App

    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.work_orders import WorkOrderView
    from cs_console.services.worklists import ComplaintView


class OrderActions:
    """w: a work order to the complaint's outlet."""

    app: App
    console: ServiceContext
    actor: Actor
    view: ComplaintView | None

    tell_done: Callable[[str], None]  # the screen says it and loads the complaint again

    def action_send_order(self) -> None:
        if self.view is None:
            return

        def sent(order: WorkOrderView | None) -> None:
            if order is not None:
                self.tell_done(order_sent_words(order, self.console))

        dialog = SendOrderDialog(self.console, self.actor, self.view.reference)
        self.app.push_screen(dialog, sent)
