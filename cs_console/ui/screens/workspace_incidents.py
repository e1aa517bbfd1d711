"""Incidents on the workspace: the alert banner every agent sees, the incident scripts
for a caller's parcel, and (supervisors) the key to the incidents screen.

A part of ``WorkspaceScreen`` (mixed in). The banner is reloaded with the lists, i.e.
whenever the change marker moved (every alert and incident action writes an event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from cs_console.domain.enums import Role
from cs_console.domain.incidents import IncidentKind
from cs_console.domain.scripts import fill
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.messages import JobFailed
from cs_console.ui.screens.workspace_call import whole_hours
from cs_console.ui.widgets.alert_text import alert_line

if TYPE_CHECKING:
    from cs_console.services.incidents import IncidentBoard, IncidentNotice


class BoardLoaded(Message):
    """The open alerts and incidents, for the banner."""

    def __init__(self, board: IncidentBoard) -> None:
        super().__init__()
        self.board = board


class IncidentActions:
    """The banner, the incident scripts, and the way to the incidents screen."""

    @work(thread=True, exclusive=True, group="board")
    def load_board(self) -> None:
        from cs_console.services.incidents import incident_board

        desk = self.desk
        if desk is None:
            return
        try:
            board = incident_board(desk.console, desk.actor)
        except Exception as exc:
            self.post_message(JobFailed("board", exc))
            return
        self.post_message(BoardLoaded(board))

    def on_board_loaded(self, message: BoardLoaded) -> None:
        desk = self.desk
        if desk is None or not self.built:
            return
        banner = self.query_one("#incident-banner", Static)
        alerts = message.board.alerts
        if not alerts:
            banner.update("")
            banner.remove_class("-shown")
            return
        text = alert_line(alerts[0], desk.console.policy.incidents.mass_complaint_window)
        if len(alerts) > 1:
            text += " " + t("incident.banner_more", more=len(alerts) - 1)
        banner.update(Text(text))
        banner.add_class("-shown")

    def show_incident_script(self, notices: tuple[IncidentNotice, ...]) -> None:
        """The caller's parcel is caught in open incidents: their lines on the script panel."""
        desk = self.desk
        if desk is None or not notices:
            return
        hours = whole_hours(desk.console.policy.incidents.plan_within)
        lines, key = [], "incident_apology"
        for notice in notices:
            if notice.kind is IncidentKind.MASS_COMPLAINT:
                lines.append(fill(desk.script.incident_apology, hours=hours))
            else:
                delay = t("incident.delay_days", count=notice.delay_days)
                region = clean_line(notice.region)
                lines.append(fill(desk.script.disaster_delay, region=region, delay=delay))
                key = "disaster_delay" if len(lines) == 1 else key
        text = "\n".join(dict.fromkeys(lines))  # one apology for two matching incidents
        if self.call.aside_text != text:
            self._aside(key, text)

    def notify_linked(self, labels: tuple[str, ...]) -> None:
        if labels:
            self.notify(t("incident.linked", labels=", ".join(labels)), markup=False)

    def action_incidents(self) -> None:
        """F9: the incidents screen (supervisors)."""
        from cs_console.ui.screens.incidents import IncidentsScreen

        desk = self.desk
        if desk is None or desk.actor.role is not Role.SUPERVISOR:
            self.notify(t("incident.supervisors_only"), severity="warning", markup=False)
            return
        self.app.push_screen(
            IncidentsScreen(desk.console, desk.actor), lambda _none: self.load_board()
        )
