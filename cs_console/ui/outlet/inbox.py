"""The outlet counter's work orders (工单): the inbox beside the walk-in form.

``InboxPart`` loads this outlet's open orders (``services.work_orders.outlet_inbox``, most
urgent first) in a thread worker whenever the screen's ``ChangeWatcher`` says any console
wrote (a new order shows within 2 s), and opens the answer dialog for the order the clerk
chose (Enter, or d / c / f for done / cannot / facts found). The inbox widget repaints its
countdowns by itself; the part only hands it rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.jobs import job
from cs_console.ui.messages import Job
from cs_console.ui.outlet.answer import OrderAnswerDialog
from cs_console.ui.workspace.parts import Part

if TYPE_CHECKING:
    from cs_console.services.work_orders import OrderPage
    from cs_console.ui.desk import Desk
    from cs_console.ui.widgets.order_inbox import OrderInbox


class InboxPart(Part):
    """This outlet's open work orders, and answering them."""

    class Loaded(Message):
        def __init__(self, page: OrderPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, desk: Desk, inbox: OrderInbox) -> None:
        super().__init__(desk)
        self.inbox = inbox
        self.loaded = False  # once the orders came from the server

    def on_mount(self) -> None:
        console = self.desk.console
        inbox = self.inbox
        inbox.clock, inbox.zone, inbox.policy = console.now, console.zone, console.policy.clocks
        inbox.border_subtitle = t("orders.inbox.keys")
        self._title(0)
        if self.desk.actor.outlet:
            self.load()

    def _title(self, total: int) -> None:
        outlet = clean_line(self.desk.actor.outlet) or "-"
        self.inbox.border_title = t("orders.inbox.title", outlet=outlet, count=total)

    @job(Job.ORDERS, exclusive=True, group="outlet-orders")
    def load(self) -> None:
        """This outlet's open orders (an account without an outlet has none to load)."""
        from cs_console.services.work_orders import outlet_inbox

        if self.desk.actor.outlet:
            self.post_message(self.Loaded(outlet_inbox(self.desk.console, self.desk.actor)))

    def on_inbox_part_loaded(self, message: Loaded) -> None:
        message.stop()
        self.loaded = True
        self.inbox.set_rows(list(message.page.shown))
        self._title(message.page.total)

    def answer(self, chosen: OrderInbox.AnswerAsked) -> None:
        """The answer dialog for the order chosen; the inbox reloads once it is answered."""

        def closed(answered: bool | None) -> None:
            if answered:
                self.app.notify(
                    t("orders.answer.sent", reference=chosen.order.complaint_reference),
                    markup=False,
                )
                self.load()
            self.inbox.focus()

        dialog = OrderAnswerDialog(self.desk.console, self.desk.actor, chosen.order, chosen.result)
        self.app.push_screen(dialog, closed)
