"""The supervisor reassigns a complaint or a callback (from the at-risk list), or gives a
walk-in waiting for an owner to the call desk: to whom, and why (both recorded).

A complaint goes through the hand-over of services/complaints.py (event and audit entry,
its follow-ups go with it); a callback through services/reassign.py. Dismisses with the
new owner's display name, or None when cancelled.
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
    from cs_console.services.overview import AtRisk
    from cs_console.services.walk_ins import WalkIn
    from cs_console.storage.users import UserRow

TAKERS = ("agent", "specialist", "supervisor")  # who may hold complaints and callbacks


class ReassignDialog(ModalScreen[str | None]):
    """Pick the person, type the reason, Enter or ctrl+s."""

    CSS_PATH = "../styles/overview.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "detail.form.cancel", id="reassign-cancel"),
        Binding("ctrl+s", "reassign", "overview.key.reassign", priority=True, id="reassign-save"),
    ]

    def __init__(
        self, console: ServiceContext, actor: Actor, row: AtRisk | WalkIn, what: str
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.row, self.what = console, actor, row, what
        from cs_console.services.walk_ins import WalkIn  # loaded with the overview

        self._walk_in = isinstance(row, WalkIn)  # a walk-in gets its first call-desk owner
        self.names: dict[str, str] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="reassign-dialog", classes="dialog"):
            title = "reassign.title_walk_in" if self._walk_in else "reassign.title"
            yield Static(Text(t(title, what=self.what)), classes="dialog-title")
            yield Label(Text(t("reassign.to")))
            yield OptionList(id="reassign-people")
            yield Label(Text(t("reassign.reason")))
            yield CleanInput("", id="reassign-reason")
            yield Static("", id="reassign-error", classes="field-error", markup=False)
            yield Static(Text(t("reassign.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#reassign-people").focus()
        self._load_people()

    @work(thread=True, exclusive=True, group="reassign-people")
    def _load_people(self) -> None:
        from cs_console.services.accounts import list_accounts

        try:
            people = [
                r
                for r in list_accounts(self.console)
                if r.active and r.role in TAKERS and r.id != self.row.owner_id
            ]
        except Exception as exc:
            self.app.call_from_thread(self._error, describe_error(exc))
            return
        self.app.call_from_thread(self._show_people, people)

    def _show_people(self, people: list[UserRow]) -> None:
        options = self.query_one("#reassign-people", OptionList)
        options.clear_options()
        self.names = {p.username: p.display_name for p in people}
        options.add_options(
            Option(
                Text(f"{clean_line(p.agent_no)}  {clean_line(p.display_name)}  "
                     f"{t('detail.role.' + p.role)}"),
                id=p.username,
            )
            for p in people
        )  # fmt: skip
        if people:
            options.highlighted = 0

    def _error(self, text: str) -> None:
        self.busy = False
        show_error(self.query_one("#reassign-error", Static), text)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#reassign-reason").focus()

    @on(Input.Submitted, "#reassign-reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_reassign()

    def action_reassign(self) -> None:
        options = self.query_one("#reassign-people", OptionList)
        if self.busy:
            return
        if options.highlighted is None:
            self._error(t("reassign.pick"))
            return
        username = options.get_option_at_index(options.highlighted).id or ""
        reason = self.query_one("#reassign-reason", Input).value.strip()
        if not reason:
            self._error(t("error.required"))
            self.query_one("#reassign-reason").focus()
            return
        self.busy = True
        self._reassign(username, reason)

    @work(thread=True, exclusive=True, group="reassign")
    def _reassign(self, username: str, reason: str) -> None:
        from cs_console.services.complaint_progress import hand_over
        from cs_console.services.reassign import reassign_callback

        try:
            if self.row.kind == "complaint":
                hand_over(self.console, self.actor, self.row.id, username, reason)
            else:
                reassign_callback(self.console, self.actor, self.row.id, username, reason)
        except Exception as exc:
            self.app.call_from_thread(self._error, describe_error(exc))
            return
        self.app.call_from_thread(self.dismiss, self.names.get(username, username))

    def action_cancel(self) -> None:
        self.dismiss(None)
