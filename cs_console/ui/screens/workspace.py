"""The agent workspace: call pane, complaint form with its live preview, my clocks, callbacks.

The screen owns the actions (keys in BINDINGS) and the thread workers that call the
services; the panes only show and collect. Service modules are imported inside the
workers, so this module loads neither sqlmodel nor the storage layer.

The first frame is a light shell: the header, the frames of the call pane, the form and
the two lists (titles and borders, empty), and the footer with its keys (drawn as one
line, ``KeyLine``; the real ``Footer`` replaces it with the panes). The panes and the
domain rules they use are imported and mounted right after that frame is on the terminal,
so the workspace shows about as fast as a one-widget app; the database opens in a worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from cs_console.domain.enums import Role
from cs_console.domain.scripts import CallStep, step_line
from cs_console.i18n import t
from cs_console.ui.call_state import CallState
from cs_console.ui.desk import Desk
from cs_console.ui.messages import (
    CallEnded,
    DraftFound,
    FirstPaint,
    JobFailed,
)
from cs_console.ui.screens.workspace_call import CallActions
from cs_console.ui.screens.workspace_callbacks import CallbackActions
from cs_console.ui.screens.workspace_complaint import ComplaintActions
from cs_console.ui.screens.workspace_drafts import DraftKeeper, apply_draft
from cs_console.ui.screens.workspace_incidents import IncidentActions
from cs_console.ui.screens.workspace_journal import JournalActions
from cs_console.ui.screens.workspace_kept import KeptForms
from cs_console.ui.screens.workspace_lists import POLL_EVERY, ListActions
from cs_console.ui.screens.workspace_ring import RingActions
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.desk_header import DeskHeader
from cs_console.ui.widgets.key_line import KeyLine

if TYPE_CHECKING:
    from textual.command import Provider

    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.callback_queue import CallbackQueue
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.widgets.complaint_form import ComplaintFormPane

WIDE_FROM = 110  # columns: below this the lists fold away behind F7


def _workspace_commands() -> type[Provider]:
    """The palette's commands, imported when the palette first opens."""
    from cs_console.ui.commands import WorkspaceCommands

    return WorkspaceCommands


def _frame(title_key: str, frame_id: str) -> Static:
    """An empty, titled frame holding a pane's place in the first frame."""
    frame = Static("", id=frame_id, classes="pane-frame", markup=False)
    frame.border_title = t(title_key)
    return frame


GONE = ("call_already_ended", "no_such_contact")  # a restored call that was ended meanwhile
NEEDS_DESK = frozenset(
    {
        "start_call",
        "mark_said",
        "empathy",
        "complaint_form",
        "callback_queue",
        "find_caller",
        "toggle_lists",
        "my_clocks",
        "end_call",
        "save_complaint",
        "promise_reply",
        "kept_drafts",
    }
)


class WorkspaceScreen(
    RingActions,
    CallActions,
    ComplaintActions,
    ListActions,
    CallbackActions,
    JournalActions,
    IncidentActions,
    KeptForms,
    Screen[None],
):
    """Everything an agent on phone duty needs, on one screen."""

    # styles/workspace.tcss is loaded with the app's styles (see CsConsoleApp.CSS_PATH)
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (WIDE_FROM, "-wide"),
    ]
    COMMANDS: ClassVar = {_workspace_commands}
    AUTO_FOCUS = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,ctrl+n", "start_call", "ui.key.start_call", key_display="F2", id="start-call"),
        # ctrl+g, ctrl+e and ctrl+r are shown where they act (the SAY NEXT box and the call
        # pane), which leaves room in an 80-column footer for the rest.
        Binding(
            "ctrl+g", "mark_said", "ui.key.mark_said", show=False, priority=True, id="mark-said"
        ),
        Binding("ctrl+e", "empathy", "ui.key.empathy", show=False, priority=True, id="empathy"),
        Binding(
            "f3,ctrl+o",
            "complaint_form",
            "ui.key.complaint_form",
            key_display="F3",
            id="complaint-form",
        ),
        Binding(
            "ctrl+s",
            "save_complaint",
            "ui.key.save_complaint",
            priority=True,
            id="save-complaint",
        ),
        Binding(
            "ctrl+r",
            "promise_reply",
            "ui.key.promise_reply",
            show=False,
            priority=True,
            id="promise-reply",
        ),
        Binding(
            "f4,ctrl+b",
            "callback_queue",
            "ui.key.callback_queue",
            key_display="F4",
            id="callback-queue",
        ),
        Binding(
            "f6,ctrl+f", "find_caller", "ui.key.find_caller", key_display="F6", id="find-caller"
        ),
        Binding(
            "f7,ctrl+l",
            "toggle_lists",
            "ui.key.toggle_lists",
            key_display="F7",
            id="toggle-lists",
        ),
        Binding("f10", "my_clocks", "ui.key.my_clocks", key_display="F10", id="my-clocks"),
        Binding("f8,ctrl+t", "end_call", "ui.key.end_call", key_display="F8", id="end-call"),
        Binding(
            "f9,ctrl+y", "incidents", "incident.key.incidents", key_display="F9", id="incidents"
        ),
        Binding(
            "f12",
            "kept_drafts",
            "ui.key.kept_drafts",
            key_display="F12",
            show=False,
            id="kept-drafts",
        ),
        Binding("escape", "leave_field", "ui.key.leave_field", show=False, id="leave-field"),
    ]

    def __init__(self, desk: Desk | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        self.call = CallState()
        self.repeat_of: str | None = None
        self.drafts = DraftKeeper(self)
        self._saving = False
        self._type_chosen_then: Callable[[], None] | None = None
        self._marker: int | None = None
        self._offline = False
        self._history_timer: Timer | None = None
        self._looked_up: tuple[str, str] = ("", "")
        self.built = False  # the panes are mounted after the first paint
        self._building = False

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The breakpoint class Textual would set on the first resize, set now: changing a
        # class restyles every widget of the screen, once more before the first frame.
        wide = self.app.size.width >= WIDE_FROM
        self.set_class(wide, "-wide", update=False).set_class(not wide, "-narrow", update=False)
        yield DeskHeader(id="desk-header")
        yield Static("", id="incident-banner", markup=False)  # mass-complaint alerts
        with Horizontal(id="columns"):
            yield _frame("ui.call.title", "call-frame")
            yield VerticalScroll(id="form-column")
            with Vertical(id="lists-column"):
                yield _frame("ui.lists.my_clocks", "clocks-frame")
                yield _frame("ui.lists.callbacks", "callbacks-frame")
        yield KeyLine()  # the footer's look in one widget; the real one comes with the panes

    def on_resize(self, _event: events.Resize) -> None:
        # F10 (my clocks) is offered on wide screens only: the footer asks again once
        # Textual has set the breakpoint class for the new width.
        self.call_after_refresh(self.refresh_bindings)

    def on_mount(self) -> None:
        self.query_one("#form-column").border_title = t("ui.form.title")
        if getattr(self.app, "first_frame_shown", True):  # shown after start-up (login)
            self.call_after_refresh(self._build)
        # else the app's first frame is this shell: FirstPaint comes once it is on screen

    async def on_first_paint(self, _message: FirstPaint) -> None:
        """The shell is on the terminal: build the panes (then the app starts loading)."""
        await self._build()

    async def _build(self) -> None:
        """Import and mount the panes (and the domain rules behind them) in place of the
        frames: all placed before any await, so no frame shows some panes moved."""
        if self._building:
            return
        from cs_console.config.policy_file import default_policy
        from cs_console.domain.policy import PolicyError

        try:
            default_policy()  # the lists read it; the start-up worker names a broken file
        except PolicyError:
            return
        self._building = True
        from cs_console.ui.widgets.call_pane import CallPane
        from cs_console.ui.widgets.callback_queue import CallbackQueue
        from cs_console.ui.widgets.clock_list import ClockList
        from cs_console.ui.widgets.complaint_form import ComplaintFormPane
        from cs_console.ui.widgets.keys_footer import KeysFooter
        from cs_console.ui.widgets.severity_preview import SeverityPreview

        form_parts = [
            Static("", id="saved-banner", markup=False),
            Static("", id="kept-drafts", markup=False),  # forms kept for later: F12
            ComplaintFormPane(id="complaint-form"),
            SeverityPreview(id="preview"),
        ]
        lists = [ClockList(id="my-clocks"), CallbackQueue(id="callbacks")]
        placed = [
            self.query_one("#columns").mount(CallPane(id="call-pane"), before="#call-frame"),
            self.query_one("#form-column").mount_all(form_parts),
            self.query_one("#lists-column").mount_all(lists, before=0),
            self.mount(KeysFooter(compact=True, show_command_palette=False)),
            self.query(".pane-frame, KeyLine").remove(),
        ]
        for done in placed:
            await done
        self.query_one("#my-clocks").border_title = t("ui.lists.my_clocks")
        self.query_one("#callbacks").border_title = t("ui.lists.callbacks")
        self.built = True
        self._show_script()
        if self.desk is not None:
            self._bind_desk()

    @property
    def call_pane(self) -> CallPane:
        return self.query_one("#call-pane")  # type: ignore[return-value]

    @property
    def form(self) -> ComplaintFormPane:
        return self.query_one("#complaint-form")  # type: ignore[return-value]

    @property
    def clock_list(self) -> ClockList:
        return self.query_one("#my-clocks")  # type: ignore[return-value]

    @property
    def callback_queue(self) -> CallbackQueue:
        return self.query_one("#callbacks")  # type: ignore[return-value]

    @property
    def header(self) -> DeskHeader:
        return self.query_one(DeskHeader)

    def repaint_clocks(self) -> None:
        """Repaint the timer and every countdown now, not at their next tick."""
        self.header.tick()
        if self.built:
            self.clock_list.refresh()
            self.callback_queue.refresh()

    def attach(self, desk: Desk) -> None:
        """Someone signed in: fill the header, load the lists, offer any saved draft."""
        self.desk = desk
        if self.built:
            self._bind_desk()

    def show_status(self, text: str) -> None:
        """A line in the header while nobody is signed in yet ("signing in…", an error)."""
        self.header.set_message(text)

    def _bind_desk(self) -> None:
        desk = self.desk
        assert desk is not None
        console, actor = desk.console, desk.actor
        header = self.header
        header.clock, header.policy = console.now, console.policy.clocks
        header.set_identity(desk.company, actor.agent_no, actor.display_name)
        header.tick()
        self.form.limits = console.policy.limits
        self.call_pane.items = desk.items
        self.call_pane.set_script(desk.script)
        clocks = self.clock_list
        clocks.clock, clocks.zone, clocks.policy = console.now, console.zone, console.policy.clocks
        queue = self.callback_queue
        queue.clock, queue.zone = console.now, console.zone
        self._show_script()
        self._refresh_preview()
        self.load_lists()
        self.load_board()
        self.drafts.check()
        self.load_kept()
        self.set_interval(POLL_EVERY, self._poll)
        self.start_replayer()
        self.set_interval(30, self._refresh_preview)
        self.follow_changes()
        self.run_worker(self.listen_for_rings(), group="ring", exclusive=True)
        self.refresh_bindings()

    def on_unmount(self) -> None:
        self.stop_listening_for_rings()
        self.stop_following_changes()

    # -- the script line ------------------------------------------------------------------

    def _show_script(self) -> None:
        if not self.built:
            return
        line = self.call_pane.script_line
        desk, call = self.desk, self.call
        if desk is None:
            line.say(t("ui.call.waiting"))
        elif call.choosing_type:
            line.say(t("ui.call.choose_type"), label=t("ui.step.contact_type"))
        elif call.aside is not None:
            text = call.aside_text
            if call.aside_then_step:  # said together: the reference, then the closing question
                text = f"{text}\n{self._step_text()}"
            line.say(text, label=t(f"ui.aside.{call.aside}"), hint=t("ui.call.said_hint"))
        elif call.active and call.step is not CallStep.DONE:
            text = self._step_text()
            hint = (
                t("ui.call.fact_finding_hint")
                if call.step is CallStep.FACT_FINDING
                else t("ui.call.said_hint")
            )
            line.say(text, label=t(f"ui.step.{call.step.value}"), hint=hint)
        elif call.active:
            line.say(t("ui.call.storing"))
        else:
            line.say(t("ui.call.idle"))

    def _step_text(self) -> str:
        desk = self.desk
        assert desk is not None
        return step_line(
            desk.script, self.call.step, company=desk.company, agent_no=desk.actor.agent_no
        )

    def _aside(self, key: str, text: str, *, then_step: bool = False) -> None:
        self.call.show_aside(key, text, then_step=then_step)
        self._show_script()
        self.refresh_bindings()

    # -- actions: the call ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: possible now; None: shown greyed out in the footer (not possible now)."""
        call = self.call
        if action == "incidents":  # supervisors only (Action.DECLARE_INCIDENT): hidden for others
            return self.desk is not None and self.desk.actor.role is Role.SUPERVISOR
        if action == "my_clocks" and not self.has_class("-wide"):
            return False  # F10 is for wide screens; on a narrow one F7 shows and enters them
        # Nothing starts before a saved draft was offered: typing first would be overwritten.
        if action in NEEDS_DESK and (self.desk is None or not self.built or not self.drafts.ready):
            possible = False
        elif action == "start_call":
            possible = not call.active
        elif action == "end_call":
            possible = call.active and not call.finishing
        elif action == "mark_said":
            possible = (call.active and not call.finishing) or call.aside is not None
        elif action == "save_complaint":
            possible = not self._saving

        else:
            possible = True
        return True if possible else None

    # -- actions: complaint, callbacks, lists ---------------------------------------------

    def action_complaint_form(self) -> None:
        """F3: the form (brought back if the lists had taken its place at 80 columns)."""
        if self.has_class("-narrow"):
            self.remove_class("-lists-flipped")
        self.form.focus_first_empty()
        call = self.call
        if call.active and not call.finishing and not call.choosing_type:
            call.resume()  # another matter after the closing question
            call.personal_data_asked("form")  # the form asks for name and phone
            self._show_script()
            self.refresh_bindings()

    def action_find_caller(self) -> None:
        self.call_pane.focus_phone()

    def action_toggle_lists(self) -> None:
        self.toggle_class("-lists-flipped")
        if self.lists_visible:
            self.clock_list.focus()
        elif self.focused is None or self.focused in self.query_one("#lists-column").query("*"):
            self.form.focus_first_empty()

    @property
    def lists_visible(self) -> bool:
        flipped = self.has_class("-lists-flipped")
        return flipped if self.has_class("-narrow") else not flipped

    def action_callback_queue(self) -> None:
        if not self.lists_visible:
            self.toggle_class("-lists-flipped")
        self.callback_queue.focus()

    def action_my_clocks(self) -> None:
        """F10: into my clocks (Enter opens the complaint), the lists shown if folded away."""
        if not self.lists_visible:
            self.toggle_class("-lists-flipped")
        self.clock_list.focus()

    def action_leave_field(self) -> None:
        """Escape: leave the field; everything typed stays (and is in the draft)."""
        self.set_focus(None)

    # -- drafts ---------------------------------------------------------------------------

    def on_draft_found(self, message: DraftFound) -> None:
        self.drafts.offer(message)

    def restore(self, payload: dict) -> None:
        """Put a saved draft back on screen (called by the draft keeper)."""
        apply_draft(self, payload)
        contact_id = self.call.contact_id if self.call.active else None
        if contact_id is not None and contact_id > 0 and self.desk is not None:
            # Left by quitting: the contact was ended as abandoned; it goes on now.
            self.run_worker(
                lambda: self._resume_call(contact_id),
                thread=True,
                group="resume",
                exit_on_error=False,
            )
        self._show_script()
        self._refresh_preview()
        self.refresh_bindings()
        # The agent goes on typing at once: the caller's number while the call has none,
        # else the form where it stops (never a key line that swallows the digits).
        if self.call.active and not self.call_pane.phone.strip():
            self.call_pane.focus_phone()
        else:
            self.form.focus_first_empty()

    @property
    def call_in_progress(self) -> bool:
        """A caller is on the line (quitting asks first)."""
        return self.call.active

    def save_draft_now(self, then: object) -> None:
        """Before quitting: write what is typed now, then call ``then``. A call still going
        on is ended as abandoned first (no console holds it any more: the overview must not
        show the agent on it); the draft keeps the call, which goes on when put back."""
        contact_id = self.call.contact_id if self.call.active else None
        if contact_id is not None and contact_id > 0 and self.desk is not None:
            self.run_worker(
                lambda: self._abandon_call(contact_id, then),
                thread=True,
                group="abandon",
                exit_on_error=False,
            )
            return
        self.drafts.flush(then)  # type: ignore[arg-type]

    def _abandon_call(self, contact_id: int, then: object) -> None:
        from cs_console.services.calls import abandon_call

        desk = self.desk
        assert desk is not None
        with contextlib.suppress(Exception):  # unreachable: it stays open, as after a crash
            abandon_call(desk.console, desk.actor, contact_id)
        self.app.call_from_thread(self.drafts.flush, then)  # the draft keeps the call

    def _resume_call(self, contact_id: int) -> None:
        from cs_console.services.calls import resume_call

        desk = self.desk
        assert desk is not None
        with contextlib.suppress(Exception):  # unreachable: it is ended as usual later
            resume_call(desk.console, desk.actor, contact_id)

    # -- failures -------------------------------------------------------------------------

    def on_job_failed(self, message: JobFailed) -> None:
        from cs_console.services.journal.writes import is_outage

        job = message.job
        if is_outage(message.error):  # the header says so; writes go to the journal
            self.show_outage(offline=True)
            if job == "history":
                self.call_pane.show_unavailable(t("journal.history.offline"))
            if job in ("poll", "lists", "history", "draft", "replay"):
                return
        if job == "save" and self.ask_whose_name(message):
            return
        if job == "save":
            self.save_refused(message)
        elif job == "start_call":
            self.call = CallState()
            self.header.call_started = None
            self._show_script()
            self.refresh_bindings()
        elif job == "end_call" and getattr(message.error, "code", "") in GONE:
            self.post_message(CallEnded(self.call.contact_id or 0))  # ended elsewhere
        elif job == "end_call":
            self.call.finishing = False
            self.call.step = CallStep.FAREWELL
            self._show_script()
            self.refresh_bindings()
        elif job == "promise" and "phone" in message.fields:
            self.call_pane.focus_phone()
        elif job in ("poll", "lists", "history"):
            if self._offline:
                return  # said once; the poll keeps trying quietly
            self._offline = True
        self.notify(message.text, title=t(f"ui.job.{job}"), severity="error", markup=False)
