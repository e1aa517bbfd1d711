"""The supervisor's incidents screen: mass-complaint alerts and open incidents, and the
keys that act on them (open an incident from an alert, dismiss it, call back every linked
customer, end an incident, declare a disaster or an outage).

Refreshes itself every ``REFRESH_EVERY`` seconds, in a worker; every action runs in a
worker too. Only supervisors reach it (``Action.DECLARE_INCIDENT``); the services check
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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

from cs_console.domain.incidents import IncidentKind, incident_label
from cs_console.domain.text import clean_line
from cs_console.i18n import day_time, t
from cs_console.ui.closing import while_open
from cs_console.ui.messages import describe_error
from cs_console.ui.screens.incident_dialogs import DisasterDialog, OutageDialog
from cs_console.ui.widgets.binding_text import translate_bindings

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.incidents import IncidentBoard
    from cs_console.storage.incidents import AlertRow, IncidentRow

REFRESH_EVERY = 2.0


def _time(at: datetime, console: ServiceContext) -> str:
    return day_time(at, console.zone)


def _left(due: datetime, now: datetime) -> str:
    """Time left on the incident's clock as h:mm, or how long it is overdue."""
    seconds = int((due - now).total_seconds())
    hours, minutes = divmod(abs(seconds) // 60, 60)
    key = "incident.left" if seconds >= 0 else "incident.overdue"
    return t(key, time=f"{hours}:{minutes:02d}")


def alert_line(alert: AlertRow, console: ServiceContext) -> str:
    """One alert as the screen lists it (customer text is not in it, places are cleaned)."""
    minutes = int(console.policy.incidents.mass_complaint_window.total_seconds() // 60)
    line = t(
        "incident.alert_row",
        category=t(f"ui.category.{alert.issue.category}"),
        dimension=t(f"incident.dimension.{alert.issue.dimension.value}"),
        place=clean_line(alert.issue.value),
        count=alert.count,
        minutes=minutes,
        time=_time(alert.fired_at, console),
    )
    if alert.incident_id is not None:
        line += t("incident.alert_taken", label=incident_label(alert.incident_id))
    return line


def incident_line(row: IncidentRow, console: ServiceContext) -> str:
    """One open incident as the screen lists it, with the 48 h clock of a mass complaint."""
    label = incident_label(row.id)
    if row.kind is IncidentKind.MASS_COMPLAINT and row.issue is not None:
        due = row.close_due or row.started_at
        return t(
            "incident.mass_row",
            label=label,
            category=t(f"ui.category.{row.issue.category}"),
            dimension=t(f"incident.dimension.{row.issue.dimension.value}"),
            place=clean_line(row.issue.value),
            open=row.linked_open,
            linked=row.linked,
            due=_time(due, console),
            left=_left(due, console.now()),
        )
    if row.kind is IncidentKind.DISASTER:
        return t(
            "incident.disaster_row",
            label=label,
            regions="、".join(clean_line(r) for r in row.regions),
            count=row.delay_days,
            time=_time(row.started_at, console),
        )
    return t("incident.outage_row", label=label, time=_time(row.started_at, console))


@dataclass(frozen=True)
class Entry:
    """What a line of the list is: an alert or an incident."""

    alert_id: int | None = None
    alert_taken: bool = False
    incident_id: int | None = None
    kind: IncidentKind | None = None


class IncidentsScreen(ModalScreen[None]):
    """Alerts first, then open incidents; keys act on the highlighted line."""

    CSS_PATH = "../styles/incidents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_incident", "incident.key.open_incident", id="incident-open"),
        Binding("x", "dismiss_alert", "incident.key.dismiss_alert", id="incident-dismiss"),
        Binding("c", "queue_callbacks", "incident.key.queue_callbacks", id="incident-callbacks"),
        Binding("e", "end_incident", "incident.key.end_incident", id="incident-end"),
        Binding("d", "declare_disaster", "incident.key.declare_disaster", id="incident-disaster"),
        Binding("s", "declare_outage", "incident.key.declare_outage", id="incident-outage"),
        Binding("escape", "close", "incident.key.back", id="incident-back"),
    ]

    class Loaded(Message):
        def __init__(self, board: IncidentBoard) -> None:
            super().__init__()
            self.board = board

    class Done(Message):
        def __init__(self, text: str, failed: bool = False) -> None:
            super().__init__()
            self.text, self.failed = text, failed

    def __init__(self, console: ServiceContext, actor: Actor) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor = console, actor
        self.entries: list[Entry] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="incidents"):
            yield OptionList(id="incident-list")
            yield Static("", id="incident-message", markup=False)
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#incidents").border_title = t("incident.title")
        self.query_one("#incident-list").focus()
        self.load()
        self.set_interval(REFRESH_EVERY, while_open(self, self.load))

    @work(thread=True, exclusive=True, group="board")
    def load(self) -> None:
        from cs_console.services.incidents import incident_board

        try:
            board = incident_board(self.console, self.actor)
        except Exception as exc:
            self.post_message(self.Done(describe_error(exc), failed=True))
            return
        self.post_message(self.Loaded(board))

    def on_incidents_screen_loaded(self, message: Loaded) -> None:
        options = self.query_one("#incident-list", OptionList)
        highlighted = options.highlighted
        entries = [
            Entry(alert_id=a.id, alert_taken=a.incident_id is not None)
            for a in message.board.alerts
        ]
        lines = [alert_line(a, self.console) for a in message.board.alerts]
        entries += [Entry(incident_id=i.id, kind=i.kind) for i in message.board.incidents]
        lines += [incident_line(i, self.console) for i in message.board.incidents]
        self.entries = entries
        options.clear_options()
        if not lines:
            options.add_option(Option(Text(t("incident.empty")), disabled=True))
        else:
            options.add_options(Option(Text(line)) for line in lines)
            options.highlighted = min(highlighted or 0, len(lines) - 1)
        self.refresh_bindings()

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()

    @property
    def current(self) -> Entry | None:
        index = self.query_one("#incident-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = self.current
        possible = {
            "open_incident": entry is not None
            and entry.alert_id is not None
            and not entry.alert_taken,
            "dismiss_alert": entry is not None
            and entry.alert_id is not None
            and not entry.alert_taken,
            "queue_callbacks": entry is not None and entry.kind is IncidentKind.MASS_COMPLAINT,
            "end_incident": entry is not None and entry.incident_id is not None,
        }.get(action, True)
        return True if possible and not self.busy else None

    # -- actions --------------------------------------------------------------------------

    def action_open_incident(self) -> None:
        entry = self.current
        if entry is not None and entry.alert_id is not None:
            self._act("open", entry.alert_id)

    def action_dismiss_alert(self) -> None:
        entry = self.current
        if entry is not None and entry.alert_id is not None:
            self._act("dismiss", entry.alert_id)

    def action_queue_callbacks(self) -> None:
        entry = self.current
        if entry is not None and entry.incident_id is not None:
            self._act("callbacks", entry.incident_id)

    def action_end_incident(self) -> None:
        entry = self.current
        if entry is not None and entry.incident_id is not None:
            self._act("end", entry.incident_id)

    @work(thread=True, exclusive=True, group="incident-action")
    def _act(self, what: str, target: int) -> None:
        from cs_console.services import emergencies, incidents

        self.busy = True
        console, actor = self.console, self.actor
        try:
            if what == "open":
                label = incident_label(incidents.open_incident(console, actor, target))
                text = t("incident.opened", label=label)
            elif what == "dismiss":
                incidents.dismiss_alert(console, actor, target)
                text = t("incident.dismissed")
            elif what == "callbacks":
                count = incidents.queue_incident_callbacks(console, actor, target)
                text = t("incident.queued", count=count)
            else:
                count = emergencies.end_incident(console, actor, target)
                text = t("incident.ended", count=count)
        except Exception as exc:
            self.post_message(self.Done(describe_error(exc), failed=True))
            return
        self.post_message(self.Done(text))

    def on_incidents_screen_done(self, message: Done) -> None:
        self.busy = False
        line = self.query_one("#incident-message", Static)
        line.update(Text(message.text))
        line.set_class(message.failed, "-failed")
        self.load()

    def _declared(self, incident_id: int | None) -> None:
        if incident_id is not None:
            self.post_message(self.Done(t("incident.declared", label=incident_label(incident_id))))

    def action_declare_disaster(self) -> None:
        self.app.push_screen(DisasterDialog(self.console, self.actor), self._declared)

    def action_declare_outage(self) -> None:
        self.app.push_screen(OutageDialog(self.console, self.actor), self._declared)

    def action_close(self) -> None:
        self.dismiss(None)
