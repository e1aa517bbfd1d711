"""The outlet counter (网点): a walk-in complaint form in one column, and the outlet's list.

Counter staff are not trained agents: one column, top to bottom — customer, phone,
tracking number, category (one digit each), the facts the category needs, what happened,
what they ask for — with the agent form's live severity, clocks and compensation under it
(the same widgets and domain rules). ctrl+s saves: the service makes it a walk-in of this
account's outlet. The reference then fills the screen for the customer to copy down; any
key brings a fresh form back. Below: this outlet's complaints, newest first, names masked,
reloaded whenever any console writes (``ChangeWatcher``). Beside the form (under it on a
narrow screen): the outlet's work-order inbox (ui/outlet/inbox.py), F4.

What is typed is kept as a draft (kind "outlet") like on the workspace. While the database
server is unreachable a saved walk-in goes to the outage journal, as on the workspace: a
provisional reference on the reference screen, pending in the list, sent (and told) when
the server answers again (ui/screens/outlet_journal.py). Service modules are imported inside
the thread workers; the UI thread never waits on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from cs_console.domain.complaint_entry import from_payload, to_payload
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.change_watcher import ChangeWatcher
from cs_console.ui.jobs import job
from cs_console.ui.messages import ComplaintSaved, Job, JobFailed
from cs_console.ui.outlet.inbox import InboxPart
from cs_console.ui.screens.outlet_journal import OutletJournal
from cs_console.ui.screens.outlet_reference import ReferenceScreen
from cs_console.ui.widgets.alert_text import raised_line
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.clock_list import ClockList
from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
from cs_console.ui.widgets.order_inbox import OrderInbox
from cs_console.ui.widgets.outage_line import OutageLine
from cs_console.ui.widgets.severity_preview import SeverityPreview
from cs_console.ui.workspace.drafts import VERSION, DraftKeeper
from cs_console.ui.workspace.lookup import CallerLookup, Key
from cs_console.ui.workspace.outage import OutagePart
from cs_console.ui.workspace.preview import PreviewPart
from cs_console.ui.workspace.saving import SavingPart

if TYPE_CHECKING:
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.desk import Desk

# Seconds between looks at the change marker (SQLite; PostgreSQL notifies): the wait, the
# look and the reload fit in 2 s, so a new work order is in the inbox within 2 s.
POLL_EVERY = 1.0
LIST_LIMIT = 50
# Failures not told while the server is away (the outage line says it), and told once.
QUIET_OFFLINE = frozenset({Job.LIST, Job.ORDERS, Job.REPEAT, Job.DRAFT, Job.REPLAY})
SAID_ONCE = frozenset({Job.LIST, Job.ORDERS, Job.REPEAT})


class OutletDrafts(DraftKeeper):
    """The counter form's draft (there is no call)."""

    KIND = "outlet"  # services.complaints.OUTLET_DRAFT: saving a complaint removes it

    def __init__(self, desk: Desk, form: ComplaintFormPane) -> None:
        super().__init__(desk)
        self.form = form

    def payload(self) -> dict[str, Any]:
        return {"version": VERSION, "form": to_payload(self.form.typed_form())}

    def restore(self, payload: dict[str, Any]) -> None:
        self.form.load(from_payload(payload.get("form")))  # the preview follows the form
        self.refresh_bindings()


class OutletScreen(OutletJournal):
    """A walk-in complaint form bound to the signed-in person's outlet."""

    # The complaint form's rules (category fields, preview) live with the workspace's.
    CSS_PATH = ["../styles/workspace.tcss", "../styles/outlet.tcss"]
    AUTO_FOCUS = None
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # the inbox beside, or under

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "outlet.key.save", priority=True, id="outlet-save"),
        Binding("f3,ctrl+o", "form", "outlet.key.form", key_display="F3", id="outlet-form"),
        Binding("f7,ctrl+l", "list", "outlet.key.list", key_display="F7", id="outlet-list"),
        Binding("f4,ctrl+g", "orders", "outlet.key.orders", key_display="F4", id="outlet-orders"),
        Binding(
            "escape", "leave_field", "outlet.key.leave_field", show=False, id="outlet-leave-field"
        ),
    ]

    class Listed(Message):
        def __init__(self, rows: list[ClockRow]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        form = ComplaintFormPane(id="complaint-form")
        self.drafts = OutletDrafts(desk, form)
        self.saving = SavingPart(desk, form, self.drafts, focus_refused=True)
        self.outage = OutagePart(desk, self, quiet=QUIET_OFFLINE, said_once=SAID_ONCE)
        self.preview = PreviewPart(desk, form, SeverityPreview(id="preview"))
        self.orders = InboxPart(desk, OrderInbox(id="order-inbox"))
        self.list_loaded = False  # once the outlet's complaints came from the server
        self.lookup = CallerLookup(desk, Job.REPEAT, self._lookup_key, self._repeat, self._found)
        self.loaded_rows: list[ClockRow] = []  # the outlet's complaints, as last loaded
        self._told: dict[str, tuple[str, str]] = {}  # walk-ins saved offline (the banner)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="outlet-header"):
            yield Static(id="outlet-who", markup=False)
            yield OutageLine(id="outage")
        with Horizontal(id="outlet-body"):
            with Vertical(id="outlet-column"):
                yield Static("", id="saved-banner", markup=False)
                with VerticalScroll(id="outlet-form-column"):
                    yield self.saving.form
                    yield self.preview.preview
                yield ClockList(id="outlet-complaints")
            yield self.orders.inbox
        yield ChangeWatcher(self.desk.console, every=POLL_EVERY, job="list")
        yield Footer(compact=True, show_command_palette=False)
        yield from (self.drafts, self.saving, self.outage, self.preview, self.lookup, self.orders)

    def on_mount(self) -> None:
        desk = self.desk
        console, actor = desk.console, desk.actor
        self.query_one("#outlet-who", Static).update(
            Text.assemble(
                (t("ui.app.title"), "bold"),
                "  ",
                clean_line(desk.company),
                "  ",
                t(
                    "outlet.header",
                    outlet=clean_line(actor.outlet) or "-",
                    agent_no=clean_line(actor.agent_no),
                    name=clean_line(actor.display_name),
                ),
            )
        )
        self.query_one("#outlet-form-column").border_title = t("outlet.title")
        outlet_list = self.outlet_list
        outlet_list.border_title = t("outlet.list")
        outlet_list.clock, outlet_list.zone = console.now, console.zone
        outlet_list.policy = console.policy.clocks
        self.form.limits = console.policy.limits
        if not actor.outlet:
            self.notify(t("outlet.no_outlet"), severity="error", markup=False, timeout=30)
        self.preview.refresh_preview()
        self.form.focus_field("customer_name")
        self.load_lists()

    @property
    def form(self) -> ComplaintFormPane:
        return self.query_one("#complaint-form", ComplaintFormPane)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            # Nothing is saved before a saved draft was offered (it would be overwritten).
            return True if self.drafts.ready and not self.saving.saving else None
        return True

    def action_form(self) -> None:
        self.form.focus_first_empty()

    def action_list(self) -> None:
        self.outlet_list.focus()

    def action_orders(self) -> None:
        """F4: into the work orders (Enter answers the one under the cursor)."""
        self.orders.inbox.focus()

    def on_order_inbox_answer_asked(self, message: OrderInbox.AnswerAsked) -> None:
        self.orders.answer(message)

    def action_leave_field(self) -> None:
        """Escape: leave the field; everything typed stays (and is in the draft)."""
        self.set_focus(None)

    def action_save(self) -> None:
        """ctrl+s: check the form here, then register it in a worker (to the server, or to
        the outage journal while it is unreachable: the saving part)."""
        if self.saving.save():
            # Leave the field now: its blur would otherwise come after the fresh form is
            # shown and mark an empty field as touched (a "required" under it on a blank form).
            self.set_focus(None)

    def on_complaint_saved(self, message: ComplaintSaved) -> None:
        registered = message.registered
        self.form.clear()
        self.preview.repeat_of = None
        self.lookup.forget()
        self.preview.refresh_preview()
        self.refresh_bindings()
        self.drafts.schedule()
        self.forget_told()
        if registered.pending:  # in the outage journal: the reference is provisional
            self.walk_in_kept(registered, message.form)
        window = self.desk.console.policy.incidents.mass_complaint_window
        for alert in registered.alerts:  # this walk-in raised it: the counter is told
            self.notify(raised_line(alert, window), severity="warning", markup=False, timeout=20)
        self.load_lists()
        self.app.push_screen(
            ReferenceScreen(registered.reference, pending=registered.pending),
            lambda _: self.form.focus_field("customer_name"),
        )

    # -- the live preview and the repeat rule ---------------------------------------------

    def on_complaint_form_pane_changed(self, _message: ComplaintFormPane.Changed) -> None:
        self.preview.refresh_preview()
        self.lookup.schedule()
        self.saving.schedule_name_lookup()
        self.drafts.schedule()

    def _lookup_key(self) -> Key:
        typed = self.form.typed_form()
        return typed.phone.strip(), typed.tracking_no.strip()

    def _repeat(self, key: Key) -> str | None:  # in the look-up's worker
        from cs_console.services.complaints import find_repeat

        return find_repeat(self.desk.console, self.desk.actor, *key)

    def _found(self, _key: Key, repeat_of: str | None) -> None:
        self.preview.repeat_of = repeat_of
        if not self.saving.saving:  # the form being saved is not classified against itself
            self.preview.refresh_preview()

    # -- this outlet's complaints ---------------------------------------------------------

    @job(Job.LIST, exclusive=True, group="outlet-list")
    def load_lists(self) -> None:
        from cs_console.services.outlets import outlet_complaints

        rows = outlet_complaints(self.desk.console, self.desk.actor, limit=LIST_LIMIT)
        self.post_message(self.Listed(rows))

    def on_outlet_screen_listed(self, message: Listed) -> None:
        self.list_loaded = True
        if self.outage.offline:
            self.outage.show_outage(offline=False)
        self.loaded_rows = message.rows
        self.pending_changed()

    def on_change_watcher_data_changed(self, _message: ChangeWatcher.DataChanged) -> None:
        self.load_lists()  # written by any console, or the server is back
        self.orders.load()

    def reload(self) -> None:
        """The journal was sent (or the server is back): the list again."""
        self.load_lists()

    def on_clock_list_opened(self, message: ClockList.Opened) -> None:
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        if self.outage.pending_row_opened(message.complaint_id):
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()

        screen = ComplaintScreen(self.desk.console, self.desk.actor, message.complaint_id)
        self.app.push_screen(screen, closed)

    def save_draft_now(self, then: Callable[[], object]) -> None:
        """Write what is typed now, then call ``then`` (before quitting)."""
        self.drafts.flush(then)

    # -- failures -------------------------------------------------------------------------

    def on_job_failed(self, message: JobFailed) -> None:
        """A worker failed (the saving part put the errors under the fields): tell."""
        if not self.outage.worth_telling(message):
            return
        job = message.job
        title = t(f"outlet.job.{job}") if job in ("save", "list", "repeat") else t(f"ui.job.{job}")
        self.notify(message.text, title=title, severity="error", markup=False)
