"""Claims waiting for an approval the signed-in person may give (审批): not their own
proposal, within their limit, soonest due first. Enter opens the claim's screen, where
the sum is approved or refused; the list reloads when it closes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from cs_console.domain.text import clean_line
from cs_console.i18n import money, t
from cs_console.ui.error_words import error_text
from cs_console.ui.widgets.binding_text import translate_bindings

if TYPE_CHECKING:
    from cs_console.services.claims import ClaimView
    from cs_console.services.context import Actor, ServiceContext


class ApprovalsScreen(ModalScreen[None]):
    CSS_PATH = "../styles/claim.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "claim.key.close", id="approvals-close"),
    ]

    class Loaded(Message):
        def __init__(self, claims: list[ClaimView] | None, error: str = "") -> None:
            super().__init__()
            self.claims, self.error = claims, error

    def __init__(self, console: ServiceContext, actor: Actor) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor = console, actor

    def compose(self) -> ComposeResult:
        with Vertical(id="claim-screen"):
            yield Static(t("detail.loading"), id="approvals-count")
            yield OptionList(id="approvals-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#claim-screen").border_title = t("claim.screen.approvals")
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="approvals-load")
    def load(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.claim_decisions import approvals_waiting
        from cs_console.services.context import ServiceError

        try:
            self.post_message(self.Loaded(approvals_waiting(self.console, self.actor)))
        except (ServiceError, SQLAlchemyError) as exc:
            self.post_message(self.Loaded(None, error_text(exc)))

    def on_approvals_screen_loaded(self, message: Loaded) -> None:
        count = self.query_one("#approvals-count", Static)
        if message.claims is None:
            count.update(Text(message.error))
            return
        waiting = len(message.claims)
        said = (
            t("claim.screen.waiting_count", count=waiting)
            if waiting
            else t("claim.screen.waiting_none")
        )
        count.update(Text(said))
        options = self.query_one(OptionList)
        options.display = bool(waiting)
        options.clear_options()
        zone = self.console.zone
        for claim in message.claims:
            due = claim.decision_due.astimezone(zone).strftime("%m-%d %H:%M")
            line = Text(
                f"{t('claim.screen.claim', id=claim.id)}  {clean_line(claim.complaint_reference)}"
                f"  {money(claim.proposed_fen or 0)}  {clean_line(claim.proposer)}  ≤ {due}"
            )
            options.add_option(Option(line, id=str(claim.id)))
        if message.claims:
            options.highlighted = 0  # Enter opens the most urgent at once

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from cs_console.ui.screens.claim_screen import ClaimScreen

        if event.option.id is None:
            return
        screen = ClaimScreen(self.console, self.actor, claim_id=int(event.option.id))
        self.app.push_screen(screen, self._claim_closed)

    def _claim_closed(self, _changed: bool | None) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
