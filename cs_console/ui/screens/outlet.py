"""The outlet counter (网点): a walk-in complaint form in one column, and the outlet's list.

Counter staff are not trained agents: one column, top to bottom — customer, phone,
tracking number, category (one digit each), the facts the category needs, what happened,
what they ask for — with the agent form's live severity, clocks and compensation under it
(the same widgets and domain rules). ctrl+s saves: the service makes it a walk-in of this
account's outlet. The reference then fills the screen for the customer to copy down; any
key brings a fresh form back. Below: this outlet's complaints, newest first, names masked,
reloaded whenever any console writes (``ChangeWatcher``).

What is typed is kept as a draft (kind "outlet") like on the workspace. While the database
server is unreachable a saved walk-in goes to the outage journal, as on the workspace: a
provisional reference on the reference screen, pending in the list, sent (and told) when
the server answers again (ui/screens/outlet_journal.py). Service modules are imported inside
the thread workers; the UI thread never waits on the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from cs_console.domain.complaint_entry import from_payload, to_payload
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.call_state import CallState
from cs_console.ui.change_watcher import ChangeWatcher
from cs_console.ui.messages import ComplaintSaved, DraftFound, JobFailed
from cs_console.ui.screens.complaint_saving import ComplaintSaving
from cs_console.ui.screens.outlet_journal import OutletJournal
from cs_console.ui.screens.outlet_reference import ReferenceScreen
from cs_console.ui.screens.workspace_drafts import VERSION, DraftKeeper
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.clock_list import ClockList
from cs_console.ui.widgets.complaint_form import ComplaintFormPane
from cs_console.ui.widgets.outage_line import OutageLine
from cs_console.ui.widgets.severity_preview import SeverityPreview, describe_preview

if TYPE_CHECKING:
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.desk import Desk

POLL_EVERY = 2.0  # seconds between looks at the change marker (SQLite; PostgreSQL notifies)
PREVIEW_EVERY = 30.0  # the preview's due times move with the clock
LOOKUP_DEBOUNCE = 0.3  # seconds after the last keystroke in phone / tracking number
LIST_LIMIT = 50


class OutletDrafts(DraftKeeper):
    """The workspace's draft keeper, for the counter form alone (there is no call)."""

    KIND = "outlet"  # services.complaints.OUTLET_DRAFT: saving a complaint removes it

    def payload(self, *, with_call: bool = True) -> dict[str, Any]:
        return {"version": VERSION, "form": to_payload(self.screen.form.typed_form())}


class OutletScreen(ComplaintSaving, OutletJournal, Screen[None]):
    """A walk-in complaint form bound to the signed-in person's outlet."""

    # The complaint form's rules (category fields, preview) live with the workspace's.
    CSS_PATH = ["../styles/workspace.tcss", "../styles/outlet.tcss"]
    AUTO_FOCUS = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "outlet.key.save", priority=True, id="outlet-save"),
        Binding("f3,ctrl+o", "form", "outlet.key.form", key_display="F3", id="outlet-form"),
        Binding("f7,ctrl+l", "list", "outlet.key.list", key_display="F7", id="outlet-list"),
        Binding(
            "escape", "leave_field", "outlet.key.leave_field", show=False, id="outlet-leave-field"
        ),
    ]

    class Listed(Message):
        def __init__(self, rows: list[ClockRow]) -> None:
            super().__init__()
            self.rows = rows

    class RepeatChecked(Message):
        def __init__(self, repeat_of: str | None, key: tuple[str, str]) -> None:
            super().__init__()
            self.repeat_of, self.key = repeat_of, key

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        self.call = CallState()  # never active: the draft keeper's rules read it
        self.drafts = OutletDrafts(self)  # type: ignore[arg-type]
        self.repeat_of: str | None = None
        self._saving = False
        self.list_loaded = False  # once the outlet's complaints came from the server
        self._offline = False
        self._looked_up: tuple[str, str] = ("", "")
        self._lookup_timer: Timer | None = None
        self.loaded_rows: list[ClockRow] = []  # the outlet's complaints, as last loaded
        self._told: dict[str, tuple[str, str]] = {}  # walk-ins saved offline (the banner)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="outlet-header"):
            yield Static(id="outlet-who", markup=False)
            yield OutageLine(id="outage")
        with Vertical(id="outlet-column"):
            yield Static("", id="saved-banner", markup=False)
            with VerticalScroll(id="outlet-form-column"):
                yield ComplaintFormPane(id="complaint-form")
                yield SeverityPreview(id="preview")
            yield ClockList(id="outlet-complaints")
        yield ChangeWatcher(self.desk.console, every=POLL_EVERY, job="list")
        yield Footer(compact=True, show_command_palette=False)

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
        self._refresh_preview()
        self.form.focus_field("customer_name")
        self.load_lists()
        self.drafts.check()
        self.start_replayer()  # a journal left by an earlier session is sent at once
        self.set_interval(PREVIEW_EVERY, self._refresh_preview)

    @property
    def form(self) -> ComplaintFormPane:
        return self.query_one("#complaint-form", ComplaintFormPane)

    @property
    def outlet_list(self) -> ClockList:
        return self.query_one("#outlet-complaints", ClockList)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            # Nothing is saved before a saved draft was offered (it would be overwritten).
            return True if self.drafts.ready and not self._saving else None
        return True

    def action_form(self) -> None:
        self.form.focus_first_empty()

    def action_list(self) -> None:
        self.outlet_list.focus()

    def action_leave_field(self) -> None:
        """Escape: leave the field; everything typed stays (and is in the draft)."""
        self.set_focus(None)

    def action_save(self) -> None:
        """ctrl+s: check the form here, then register it in a worker (to the server, or to
        the outage journal while it is unreachable: ComplaintSaving)."""
        if not self.begin_saving():
            return
        # Leave the field now: its blur would otherwise come after the fresh form is shown
        # and mark an empty field as touched (a "required" under it on a blank form).
        self.set_focus(None)
        self.register_form(self.form.form())

    def on_complaint_saved(self, message: ComplaintSaved) -> None:
        registered = message.registered
        self._saving = False
        self.form.clear()
        self.repeat_of, self._looked_up = None, ("", "")
        self._refresh_preview()
        self.refresh_bindings()
        self.drafts.schedule()
        self.forget_told()
        if registered.pending:  # in the outage journal: the reference is provisional
            self.walk_in_kept(registered, message.form)
        self.load_lists()
        self.app.push_screen(
            ReferenceScreen(registered.reference, pending=registered.pending),
            lambda _: self.form.focus_field("customer_name"),
        )

    # -- the live preview and the repeat rule ---------------------------------------------

    def _refresh_preview(self) -> None:
        console = self.desk.console
        preview = describe_preview(
            self.form.form(), console.policy, console.now(), console.zone, self.repeat_of
        )
        self.query_one(SeverityPreview).show(preview)

    def on_complaint_form_pane_changed(self, _message: ComplaintFormPane.Changed) -> None:
        self._refresh_preview()
        self._schedule_lookup()
        self.schedule_name_lookup()
        self.drafts.schedule()

    def _lookup_key(self) -> tuple[str, str]:
        typed = self.form.typed_form()
        return typed.phone.strip(), typed.tracking_no.strip()

    def _schedule_lookup(self) -> None:
        if self._lookup_key() == self._looked_up:
            return
        if self._lookup_timer is not None:
            self._lookup_timer.stop()
        self._lookup_timer = self.set_timer(LOOKUP_DEBOUNCE, self._lookup)

    def _lookup(self) -> None:
        self._lookup_timer = None
        self._looked_up = self._lookup_key()
        self._find_repeat(self._looked_up)

    @work(thread=True, exclusive=True, group="outlet-repeat")
    def _find_repeat(self, key: tuple[str, str]) -> None:
        from cs_console.services.complaints import find_repeat

        try:
            repeat_of = find_repeat(self.desk.console, self.desk.actor, *key)
        except Exception as exc:
            self.post_message(JobFailed("repeat", exc))
            return
        self.post_message(self.RepeatChecked(repeat_of, key))

    def on_outlet_screen_repeat_checked(self, message: RepeatChecked) -> None:
        if message.key != self._lookup_key():
            return  # typed on meanwhile; a newer lookup is coming
        self.repeat_of = message.repeat_of
        if not self._saving:  # the form being saved is not classified against itself
            self._refresh_preview()

    # -- this outlet's complaints ---------------------------------------------------------

    @work(thread=True, exclusive=True, group="outlet-list")
    def load_lists(self) -> None:
        from cs_console.services.outlets import outlet_complaints

        try:
            rows = outlet_complaints(self.desk.console, self.desk.actor, limit=LIST_LIMIT)
        except Exception as exc:
            self.post_message(JobFailed("list", exc))
            return
        self.post_message(self.Listed(rows))

    def on_outlet_screen_listed(self, message: Listed) -> None:
        self.list_loaded = True
        if self._offline:
            self.show_outage(offline=False)
        self.loaded_rows = message.rows
        self.show_clock_rows()

    def on_change_watcher_data_changed(self, _message: ChangeWatcher.DataChanged) -> None:
        self.load_lists()  # written by any console, or the server is back

    def on_clock_list_opened(self, message: ClockList.Opened) -> None:
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        if self.pending_row_opened(message.complaint_id):
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()

        screen = ComplaintScreen(self.desk.console, self.desk.actor, message.complaint_id)
        self.app.push_screen(screen, closed)

    # -- drafts ---------------------------------------------------------------------------

    def on_draft_found(self, message: DraftFound) -> None:
        self.drafts.offer(message)

    def restore(self, payload: dict[str, Any]) -> None:
        """Put a saved draft back on screen (called by the draft keeper)."""
        self.form.load(from_payload(payload.get("form")))
        self._refresh_preview()
        self.refresh_bindings()

    def save_draft_now(self, then: object) -> None:
        """Write what is typed now, then call ``then`` (before quitting)."""
        self.drafts.flush(then)  # type: ignore[arg-type]

    # -- failures -------------------------------------------------------------------------

    def on_job_failed(self, message: JobFailed) -> None:
        from cs_console.services.journal.writes import is_outage

        job = message.job
        if is_outage(message.error):  # the header says so; a walk-in goes to the journal
            self.show_outage(offline=True)
            if job in ("list", "repeat", "draft", "replay"):
                return
        if job == "save" and self.ask_whose_name(message):
            return
        if job == "save":
            problems = self.save_refused(message)
            self.form.focus_field(next(iter(problems), "customer_name"))
        elif job in ("list", "repeat"):
            if self._offline:
                return  # said once; the watcher keeps trying quietly
            self._offline = True
        title = t(f"outlet.job.{job}") if job in ("save", "list", "repeat") else t(f"ui.job.{job}")
        self.notify(message.text, title=title, severity="error", markup=False)
