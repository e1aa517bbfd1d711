"""Declaring a natural disaster (regions, expected delay) or a system outage (its start).

Each dialog calls its service in a worker and dismisses with the new incident's id;
Escape cancels. Refusals are shown under the fields in plain words.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from cs_console.i18n import t
from cs_console.ui.messages import describe_error
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput, NumberInput

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext

TIME_FORMAT = "%Y-%m-%d %H:%M"


class DeclareDialog(ModalScreen[int | None]):
    """The common frame: title, help, fields, an error line; ctrl+s declares."""

    CSS_PATH = "../styles/incidents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "ui.key.cancel", id="declare-cancel"),
        Binding("ctrl+s", "declare", "incident.key.declare", priority=True, id="declare-confirm"),
    ]
    TITLE_KEY = ""
    HELP_KEY = ""

    def __init__(self, console: ServiceContext, actor: Actor) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor = console, actor
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog declare-dialog"):
            yield Static(Text(t(self.TITLE_KEY)), classes="dialog-title")
            yield Static(Text(t(self.HELP_KEY)), classes="dialog-text")
            yield from self.fields()
            yield Static("", id="declare-error", classes="field-error", markup=False)
            yield Static(Text(t("incident.dialog_hint")), classes="dialog-hint")

    def fields(self) -> ComposeResult:  # pragma: no cover - every dialog has its own
        yield from ()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def error(self, text: str) -> None:
        self.busy = False
        show_error(self.query_one("#declare-error", Static), text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_declare()

    def action_declare(self) -> None:
        if not self.busy:
            self.busy = True
            self._declare()

    def declare(self) -> int:  # pragma: no cover - every dialog has its own
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="declare")
    def _declare(self) -> None:
        try:
            incident_id = self.declare()
        except Exception as exc:
            self.app.call_from_thread(self.error, describe_error(exc))
            return
        self.app.call_from_thread(self.dismiss, incident_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DisasterDialog(DeclareDialog):
    """Regions (matched against parcels' route and hub) and the expected delay in days."""

    TITLE_KEY = "incident.disaster_title"
    HELP_KEY = "incident.disaster_help"

    def fields(self) -> ComposeResult:
        yield Label(Text(t("incident.field.regions")))
        yield CleanInput(id="disaster-regions")
        yield Label(Text(t("incident.field.delay_days")))
        yield NumberInput("2", id="disaster-delay", digits=3, select_on_focus=True)

    def declare(self) -> int:
        from cs_console.services.emergencies import declare_disaster

        regions = self.query_one("#disaster-regions", Input).value
        days = self.query_one("#disaster-delay", Input).value.strip()
        return declare_disaster(
            self.console, self.actor, regions, int(days) if days.isdigit() else 0
        )


class OutageDialog(DeclareDialog):
    """When the outage started (local time, now by default)."""

    TITLE_KEY = "incident.outage_title"
    HELP_KEY = "incident.outage_help"

    def fields(self) -> ComposeResult:
        now = self.console.now().astimezone(self.console.zone)
        yield Label(Text(t("incident.field.started_at")))
        yield CleanInput(now.strftime(TIME_FORMAT), id="outage-start")

    def declare(self) -> int:
        from cs_console.services.context import InvalidInput
        from cs_console.services.emergencies import declare_outage

        typed = self.query_one("#outage-start", Input).value.strip()
        try:
            local = datetime.strptime(typed, TIME_FORMAT).replace(tzinfo=self.console.zone)
        except ValueError:
            raise InvalidInput({"started_at": "bad_time"}) from None
        return declare_outage(self.console, self.actor, local.astimezone(UTC))
