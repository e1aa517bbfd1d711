"""Handing a major complaint to a specialist (首问负责制: who, to whom, when, why).

The complaint is already saved; Escape keeps it with the agent who registered it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.messages import describe_error
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.storage.users import UserRow


class HandOverScreen(ModalScreen[str | None]):
    """Pick a specialist, confirm the reason, Enter; dismisses the specialist's name."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "ui.key.keep_ownership", id="handover-keep"),
        Binding("ctrl+s", "hand_over", "ui.key.hand_over", priority=True, id="handover-confirm"),
    ]

    def __init__(
        self, console: ServiceContext, actor: Actor, complaint_id: int, reference: str, reason: str
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor = console, actor
        self.complaint_id, self.reference, self.reason = complaint_id, reference, reason
        self.names: dict[str, str] = {}  # user name -> name shown
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="handover-dialog", classes="dialog"):
            yield Static(
                Text(t("ui.handover.title", reference=self.reference)), classes="dialog-title"
            )
            yield Static(Text(t("ui.handover.why")), classes="dialog-text")
            yield Label(Text(t("ui.handover.specialist")))
            yield OptionList(id="specialists")
            yield Label(Text(t("ui.handover.reason")))
            yield CleanInput(self.reason, id="handover-reason")
            yield Static("", id="handover-error", classes="field-error", markup=False)
            yield Static(Text(t("ui.handover.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#specialists").focus()
        self._load_specialists()

    @work(thread=True, exclusive=True, group="specialists")
    def _load_specialists(self) -> None:
        from cs_console.domain.enums import Role
        from cs_console.services.accounts import list_accounts

        try:
            rows = [r for r in list_accounts(self.console, Role.SPECIALIST) if r.active]
        except Exception as exc:
            self.app.call_from_thread(self._error, describe_error(exc))
            return
        self.app.call_from_thread(self._show_specialists, rows)

    def _show_specialists(self, rows: list[UserRow]) -> None:
        self.names = {r.username: clean_line(r.display_name) for r in rows}
        options = self.query_one("#specialists", OptionList)
        options.clear_options()
        options.add_options(
            Option(Text(f"{clean_line(r.agent_no)}  {clean_line(r.display_name)}"), id=r.username)
            for r in rows
        )
        if rows:
            options.highlighted = 0
        else:
            self._error(t("ui.handover.nobody"))

    def _error(self, text: str) -> None:
        self.busy = False
        show_error(self.query_one("#handover-error", Static), text)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_hand_over()

    @on(Input.Submitted, "#handover-reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_hand_over()

    def action_hand_over(self) -> None:
        options = self.query_one("#specialists", OptionList)
        if self.busy or options.highlighted is None:
            if options.highlighted is None:
                self._error(t("ui.handover.pick"))
            return
        username = options.get_option_at_index(options.highlighted).id
        reason = self.query_one("#handover-reason", Input).value.strip()
        if not reason:
            self._error(t("error.required"))
            self.query_one("#handover-reason").focus()
            return
        self.busy = True
        self._hand_over(username or "", reason)

    @work(thread=True, exclusive=True, group="hand-over")
    def _hand_over(self, username: str, reason: str) -> None:
        from cs_console.services.complaint_progress import hand_over

        try:
            hand_over(self.console, self.actor, self.complaint_id, username, reason)
        except Exception as exc:
            self.app.call_from_thread(self._error, describe_error(exc))
            return
        self.app.call_from_thread(self.dismiss, self.names.get(username, username))

    def action_keep(self) -> None:
        self.dismiss(None)
