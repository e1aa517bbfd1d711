"""How the parts of one workspace are made and seated on its bench.

The screen builds the panes after the first paint and seats the parts once someone is
signed in; a new part is a new module, its port and field in ``neighbours.py`` (if other
parts use it) and a line in ``seat``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import Static

from cs_console.domain.enums import Role
from cs_console.ui.messages import Job
from cs_console.ui.workspace.approvals import APPROVERS, ApprovalsPart
from cs_console.ui.workspace.call import CallPart
from cs_console.ui.workspace.callbacks import CallbacksPart
from cs_console.ui.workspace.caller import CallerPart
from cs_console.ui.workspace.clocks import ClocksPart
from cs_console.ui.workspace.drafts import WorkspaceDrafts
from cs_console.ui.workspace.form import FormPart
from cs_console.ui.workspace.incidents import IncidentsPart
from cs_console.ui.workspace.kept import KeptPart
from cs_console.ui.workspace.neighbours import Bench
from cs_console.ui.workspace.orders import OrdersPart
from cs_console.ui.workspace.outage import OutagePart, WorkspaceOutage
from cs_console.ui.workspace.parcel import ParcelPart
from cs_console.ui.workspace.preview import PreviewPart
from cs_console.ui.workspace.ring import RingPart
from cs_console.ui.workspace.saving import SavingPart

if TYPE_CHECKING:
    from textual.screen import Screen

    from cs_console.ui.desk import Desk

# The parts with keys, for the screen's key list (the footer's order is the screen's).
KEYED = (
    *(CallPart, FormPart, CallbacksPart, CallerPart, ClocksPart, IncidentsPart, KeptPart),
    OrdersPart,
    ParcelPart,
    ApprovalsPart,
)
# The footer's order; a part's keys not named here come after these.
KEY_ORDER = (
    *("start-call", "mark-said", "empathy", "complaint-form", "save-complaint"),
    *("promise-reply", "callback-queue", "find-caller", "toggle-lists", "my-clocks"),
    *("end-call", "send-order", "incidents", "approvals", "kept-drafts", "leave-field"),
)
# Keys only some roles have (hidden for the others): incidents, the approvals list.
ROLE_KEYS = {"incidents": frozenset({Role.SUPERVISOR}), "approvals": APPROVERS}
SCREEN_KEYS = [  # the screen's own: the columns and the cursor
    Binding(
        "f7,ctrl+l", "toggle_lists", "ui.key.toggle_lists", key_display="F7", id="toggle-lists"
    ),
    Binding("escape", "leave_field", "ui.key.leave_field", show=False, id="leave-field"),
]
# Failures not told while the server is away (the header says it), and told only once.
QUIET_OFFLINE = frozenset({Job.POLL, Job.LISTS, Job.HISTORY, Job.DRAFT, Job.REPLAY})
SAID_ONCE = frozenset({Job.POLL, Job.LISTS, Job.HISTORY})


def seat(screen: Screen[None], desk: Desk) -> Bench:
    """The parts for a signed-in desk, on the panes the screen has built, which are given
    what they show by (the parts are listed in ``parts``, in the order they are mounted)."""
    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.callback_queue import CallbackQueue
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.widgets.desk_header import DeskHeader
    from cs_console.ui.widgets.severity_preview import SeverityPreview

    bench = Bench()
    bench.header = screen.query_one(DeskHeader)
    bench.call_pane = screen.query_one("#call-pane", CallPane)
    bench.form_pane = screen.query_one("#complaint-form", ComplaintFormPane)
    bench.preview_pane = screen.query_one("#preview", SeverityPreview)
    bench.saved_banner = screen.query_one("#saved-banner", Static)
    bench.kept_line = screen.query_one("#kept-drafts", Static)
    bench.incident_banner = screen.query_one("#incident-banner", Static)
    bench.clocks_pane = screen.query_one("#my-clocks", ClockList)
    bench.queue_pane = screen.query_one("#callbacks", CallbackQueue)
    _fill_panes(bench, desk)
    drafts = WorkspaceDrafts(desk, bench)
    bench.call = call = CallPart(desk, bench)
    bench.caller = caller = CallerPart(desk, bench)
    bench.form = form = FormPart(desk, bench)
    bench.preview = preview = PreviewPart(desk, bench.form_pane, bench.preview_pane)
    bench.drafts = drafts
    bench.saving = saving = SavingPart(desk, bench.form_pane, drafts)
    bench.kept = kept = KeptPart(desk, bench)
    bench.clocks = clocks = ClocksPart(desk, bench)
    bench.callbacks = callbacks = CallbacksPart(desk, bench)
    bench.incidents = incidents = IncidentsPart(desk, bench)
    orders = OrdersPart(desk, bench)
    bench.parcel = parcel = ParcelPart(desk, bench)
    approvals = ApprovalsPart(desk, bench)
    view = WorkspaceOutage(bench)
    bench.outage = outage = OutagePart(desk, view, quiet=QUIET_OFFLINE, said_once=SAID_ONCE)
    bench.parts = [
        call,
        caller,
        form,
        preview,
        saving,
        drafts,
        kept,
        clocks,
        callbacks,
        incidents,
        outage,
        orders,
        approvals,
        RingPart(desk, bench),
        parcel,
    ]
    return bench


def _fill_panes(bench: Bench, desk: Desk) -> None:
    """The header says who is signed in; the panes get the policy, clock and texts."""
    console, actor = desk.console, desk.actor
    header = bench.header
    header.clock, header.policy = console.now, console.policy.clocks
    header.set_identity(desk.company, actor.agent_no, actor.display_name)
    header.tick()
    bench.form_pane.limits = console.policy.limits
    bench.call_pane.items = desk.items
    bench.call_pane.set_script(desk.script)
    clocks, queue = bench.clocks_pane, bench.queue_pane
    clocks.clock, clocks.zone, clocks.policy = console.now, console.zone, console.policy.clocks
    queue.clock, queue.zone = console.now, console.zone
