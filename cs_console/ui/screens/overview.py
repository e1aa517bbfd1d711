"""The supervisor's overview (总览): queue, today's measures, complaints per hour, agents,
and the clocks breached or at risk, refreshed by itself.

Layout, top to bottom: a status line; the open mass-complaint alerts (only while there are
any; ``i`` opens the incidents screen, where an incident is opened from an alert); a row of
three panels (queue, today vs target, complaints per hour); the agents table; the breached
/ at-risk list; the walk-ins waiting for an owner (an outlet registered them and still holds
them: ``a`` gives one to the call desk).

Refreshing: a ``ChangeWatcher`` tells of every write by any console, and the screen
reloads. On PostgreSQL it hears each write as it commits (LISTEN/NOTIFY); on SQLite it reads
the change marker every ``POLL_EVERY`` seconds, so a write shows within two seconds. Every
``RELOAD_EVERY`` seconds the screen reloads anyway (clocks turn amber without any write).
The countdowns in the list repaint themselves once a second from the stored due times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from cs_console.i18n import full_time, t, year_month
from cs_console.ui.change_watcher import ChangeWatcher
from cs_console.ui.closing import while_open
from cs_console.ui.messages import JobFailed, describe_error
from cs_console.ui.widgets.alert_text import alert_line
from cs_console.ui.widgets.at_risk_list import AtRiskList, what_of
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.capped_lines import CappedLines
from cs_console.ui.widgets.overdue_orders import OverdueOrderList
from cs_console.ui.widgets.overview_panels import (
    AgentTable,
    HourChart,
    measures_content,
    queue_content,
    titled,
)
from cs_console.ui.widgets.walk_in_list import WalkInList

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.overview import AtRisk, Overview
    from cs_console.services.walk_ins import WalkIn

# Seconds between looks at the change marker on SQLite (one index-only lookup): the wait for
# the next look, the look and the reload fit in 2 s; with a look every 2 s they did not.
POLL_EVERY = 1.0
MAX_ALERT_LINES = 3  # then "(+N more)"
RELOAD_EVERY = 30.0  # seconds: clocks change state without anyone writing


class OverviewScreen(Screen[None]):
    """Everything a supervisor watches, on one screen."""

    CSS_PATH = "../styles/overview.tcss"
    AUTO_FOCUS = "#at-risk"
    # Below 110 columns the chart gives its room to the queue and the measures.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f5", "close", "overview.key.close", key_display="Esc", id="overview-close"),
        Binding("r", "ratings", "overview.key.ratings", id="overview-ratings"),
        Binding("i", "incidents", "overview.key.incidents", id="overview-incidents"),
    ]

    class Loaded(Message):
        def __init__(self, view: Overview) -> None:
            super().__init__()
            self.view = view

    def __init__(self, console: ServiceContext, actor: Actor) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor = console, actor
        self.view: Overview | None = None
        self._failed = False

    def compose(self) -> ComposeResult:
        yield Static(t("overview.loading"), id="overview-status", markup=False)
        yield Static("", id="overview-alerts", markup=False)
        with Horizontal(id="overview-top"):
            yield titled(Static("", id="overview-queue"), "overview.queue")
            yield titled(Static("", id="overview-measures"), "overview.today")
            yield titled(HourChart(id="overview-chart"), "overview.per_hour")
        yield titled(AgentTable(id="overview-agents"), "overview.agents")
        yield titled(AtRiskList(id="at-risk"), "overview.at_risk")
        with Vertical(id="overview-bottom"):
            yield titled(WalkInList(id="walk-ins"), "overview.walk_ins")
            yield titled(OverdueOrderList(id="overdue-orders"), "overview.overdue_orders")
        yield ChangeWatcher(self.console, every=POLL_EVERY, job="overview")
        yield Footer()

    def on_mount(self) -> None:
        at_risk = self.query_one(AtRiskList)
        at_risk.clock, at_risk.zone = self.console.now, self.console.zone
        at_risk.policy = self.console.policy.clocks
        walk_ins = self.query_one(WalkInList)
        walk_ins.clock, walk_ins.zone = self.console.now, self.console.zone
        walk_ins.policy = self.console.policy.clocks
        orders = self.query_one(OverdueOrderList)
        orders.clock, orders.zone = self.console.now, self.console.zone
        self.reload()
        self.set_interval(RELOAD_EVERY, while_open(self, self.reload))

    # -- loading --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="overview")
    def reload(self) -> None:
        from cs_console.services.overview import overview

        try:
            view = overview(self.console, self.actor)
        except Exception as exc:
            self.post_message(JobFailed("overview", exc))
            return
        self.post_message(self.Loaded(view))

    def on_change_watcher_data_changed(self, _message: ChangeWatcher.DataChanged) -> None:
        self.reload()

    def on_overview_screen_loaded(self, message: Loaded) -> None:
        view = self.view = message.view
        self._failed = False
        agents = view.agents
        on_call = sum(1 for a in agents if a.on_call)
        time = full_time(view.at, self.console.zone, seconds=True)
        status = f"{t('overview.title')}  "
        if view.unknown_calendar_year is not None:  # working-day clocks would be wrong
            status += t("overview.calendar_unknown", year=view.unknown_calendar_year) + "  "
        status += t("overview.updated", time=time, on_call=on_call, agents=len(agents))
        self.query_one("#overview-status", Static).update(status)
        self.query_one("#overview-queue", Static).update(queue_content(view.queue))
        self.query_one("#overview-measures", Static).update(measures_content(view.measures))
        self.query_one(HourChart).show(view.per_hour)
        self.query_one(AgentTable).show(agents)
        self.query_one(AtRiskList).set_rows(view.at_risk, view.at_risk_total)
        walk_ins = self.query_one(WalkInList)
        walk_ins.set_rows(view.walk_ins, view.walk_ins_total)
        walk_ins.border_title = t("overview.walk_ins_count", count=view.walk_ins_total)
        orders = self.query_one(OverdueOrderList)
        orders.set_rows(view.overdue_orders, view.overdue_orders_total)
        orders.border_title = t("overview.overdue_orders_count", count=view.overdue_orders_total)
        self._show_alerts(view)

    def _show_alerts(self, view: Overview) -> None:
        alerts = self.query_one("#overview-alerts", Static)
        window = self.console.policy.incidents.mass_complaint_window
        shown = view.alerts[:MAX_ALERT_LINES]
        lines = [alert_line(alert, window) for alert in shown]
        if len(view.alerts) > len(shown):
            lines.append(t("incident.banner_more", more=len(view.alerts) - len(shown)))
        alerts.update(Text("\n".join(lines)))
        alerts.set_class(bool(lines), "-shown")

    def on_job_failed(self, message: JobFailed) -> None:
        if self._failed:
            return  # said once; the watcher keeps trying quietly
        self._failed = True
        self.notify(describe_error(message.error), severity="error", markup=False)

    # -- acting on what is shown ----------------------------------------------------------

    @on(CappedLines.Opened)  # from the at-risk list, the walk-ins or the overdue orders
    def _open_complaint(self, message: CappedLines.Opened) -> None:
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(
            ComplaintScreen(self.console, self.actor, message.complaint_id), closed
        )

    def on_at_risk_list_reassign_asked(self, message: AtRiskList.ReassignAsked) -> None:
        self._reassign(message.row, what_of(message.row))

    def on_walk_in_list_assign_asked(self, message: WalkInList.AssignAsked) -> None:
        self._reassign(message.row, message.row.reference)

    def _reassign(self, row: AtRisk | WalkIn, what: str) -> None:
        from cs_console.ui.screens.reassign_dialog import ReassignDialog

        def done(to: str | None) -> None:
            if to:
                self.notify(t("overview.reassigned", to=to), markup=False)
                self.reload()

        self.app.push_screen(ReassignDialog(self.console, self.actor, row, what), done)

    def action_ratings(self) -> None:
        from cs_console.ui.screens.ratings import RatingsScreen

        agents = self.view.agents if self.view else ()
        chosen = self.query_one(AgentTable).current_agent_id
        month = year_month(self.console.now(), self.console.zone)
        self.app.push_screen(RatingsScreen(self.console, self.actor, agents, month, chosen))

    def action_incidents(self) -> None:
        """i: the incidents screen, to open an incident from an alert."""
        from cs_console.ui.screens.incidents import IncidentsScreen

        def closed(_: None) -> None:
            self.reload()

        self.app.push_screen(IncidentsScreen(self.console, self.actor), closed)

    def action_close(self) -> None:
        self.dismiss(None)
