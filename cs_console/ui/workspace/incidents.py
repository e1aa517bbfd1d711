"""Incidents on the workspace: the alert banner every agent sees, the incident scripts
for a caller's parcel, and (supervisors) the key to the incidents screen (F9).

The banner is reloaded with the lists, i.e. whenever the change marker moved (every
alert and incident action writes an event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from cs_console.domain.enums import Role
from cs_console.domain.incidents import IncidentKind
from cs_console.domain.scripts import fill
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.jobs import job
from cs_console.ui.messages import Job
from cs_console.ui.widgets.alert_text import alert_line
from cs_console.ui.workspace.parts import WorkspacePart
from cs_console.ui.workspace.script import whole_hours

if TYPE_CHECKING:
    from cs_console.services.incidents import IncidentBoard, IncidentNotice


class IncidentsPart(WorkspacePart):
    """The banner, the incident scripts, and the way to the incidents screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f9,ctrl+y", "incidents", "incident.key.incidents", key_display="F9", id="incidents"
        ),
    ]

    class BoardLoaded(Message):
        """The open alerts and incidents, for the banner."""

        def __init__(self, board: IncidentBoard) -> None:
            super().__init__()
            self.board = board

    def on_mount(self) -> None:
        self.load_board()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Supervisors only (Action.DECLARE_INCIDENT): hidden for others.
        return self.desk.actor.role is Role.SUPERVISOR

    @job(Job.BOARD, exclusive=True)
    def load_board(self) -> None:
        from cs_console.services.incidents import incident_board

        self.post_message(self.BoardLoaded(incident_board(self.desk.console, self.desk.actor)))

    def on_incidents_part_board_loaded(self, message: BoardLoaded) -> None:
        banner = self.bench.incident_banner
        alerts = message.board.alerts
        if not alerts:
            banner.update("")
            banner.remove_class("-shown")
            return
        text = alert_line(alerts[0], self.desk.console.policy.incidents.mass_complaint_window)
        if len(alerts) > 1:
            text += " " + t("incident.banner_more", more=len(alerts) - 1)
        banner.update(Text(text))
        banner.add_class("-shown")

    def show_incident_script(self, notices: tuple[IncidentNotice, ...]) -> None:
        """The caller's parcel is caught in open incidents: their lines on the script panel."""
        if not notices:
            return
        script = self.desk.script
        hours = whole_hours(self.desk.console.policy.incidents.plan_within)
        lines, key = [], "incident_apology"
        for notice in notices:
            if notice.kind is IncidentKind.MASS_COMPLAINT:
                lines.append(fill(script.incident_apology, hours=hours))
            else:
                delay = t("incident.delay_days", count=notice.delay_days)
                region = clean_line(notice.region)
                lines.append(fill(script.disaster_delay, region=region, delay=delay))
                key = "disaster_delay" if len(lines) == 1 else key
        text = "\n".join(dict.fromkeys(lines))  # one apology for two matching incidents
        if self.bench.call.call.aside_text != text:
            self.bench.call.aside(key, text)

    def notify_linked(self, labels: tuple[str, ...]) -> None:
        if labels:
            self.notify(t("incident.linked", labels=", ".join(labels)), markup=False)

    def action_incidents(self) -> None:
        """F9: the incidents screen (supervisors)."""
        from cs_console.ui.screens.incidents import IncidentsScreen

        desk = self.desk
        if desk.actor.role is not Role.SUPERVISOR:
            self.notify(t("incident.supervisors_only"), severity="warning", markup=False)
            return

        def closed(_none: None) -> None:
            self.load_board()

        self.app.push_screen(IncidentsScreen(desk.console, desk.actor), closed)
