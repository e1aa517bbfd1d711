"""The agent workspace: call pane, complaint form with its live preview, my clocks, callbacks.

The screen owns the actions (keys in BINDINGS) and the thread workers that call the
services; the panes only show and collect. Service modules are imported inside the
workers, so this module loads neither sqlmodel nor the storage layer.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from cs_console.config.language import t
from cs_console.domain.enums import ContactType, Severity
from cs_console.domain.scripts import CallStep, fill, step_line
from cs_console.domain.text import clean_line
from cs_console.ui.call_state import CallState, Said
from cs_console.ui.commands import WorkspaceCommands
from cs_console.ui.desk import Desk
from cs_console.ui.messages import (
    AttemptRecorded,
    CallbackPromised,
    CallEnded,
    CallStarted,
    ComplaintSaved,
    DraftFound,
    HistoryLoaded,
    JobFailed,
    ListsChanged,
    ListsLoaded,
)
from cs_console.ui.screens.workspace_drafts import DraftKeeper, apply_draft
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.call_pane import CallPane
from cs_console.ui.widgets.callback_queue import CallbackQueue
from cs_console.ui.widgets.clock_list import ClockList
from cs_console.ui.widgets.complaint_form import ComplaintFormPane
from cs_console.ui.widgets.desk_header import DeskHeader
from cs_console.ui.widgets.severity_preview import (
    SeverityPreview,
    describe_preview,
    due_text,
    hours,
    severity_reason,
)

WIDE_FROM = 110  # columns: below this the lists fold away behind F7
HISTORY_DEBOUNCE = 0.3  # seconds after the last keystroke in phone / tracking number
POLL_EVERY = 2.0  # seconds between looks at the change marker
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
        "end_call",
        "save_complaint",
        "promise_reply",
    }
)


class WorkspaceScreen(Screen[None]):
    """Everything an agent on phone duty needs, on one screen."""

    CSS_PATH = "../styles/workspace.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (WIDE_FROM, "-wide"),
    ]
    COMMANDS: ClassVar = {WorkspaceCommands}
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
        Binding("f8,ctrl+t", "end_call", "ui.key.end_call", key_display="F8", id="end-call"),
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
        self._marker: int | None = None
        self._offline = False
        self._history_timer: Timer | None = None
        self._looked_up: tuple[str, str] = ("", "")

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskHeader(id="desk-header")
        with Horizontal(id="columns"):
            yield CallPane(id="call-pane")
            with VerticalScroll(id="form-column"):
                yield Static("", id="saved-banner", markup=False)
                yield ComplaintFormPane(id="complaint-form")
                yield SeverityPreview(id="preview")
            with Vertical(id="lists-column"):
                yield ClockList(id="my-clocks")
                yield CallbackQueue(id="callbacks")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def call_pane(self) -> CallPane:
        return self.query_one(CallPane)

    @property
    def form(self) -> ComplaintFormPane:
        return self.query_one(ComplaintFormPane)

    @property
    def header(self) -> DeskHeader:
        return self.query_one(DeskHeader)

    def on_mount(self) -> None:
        self.query_one("#form-column").border_title = t("ui.form.title")
        self.query_one("#my-clocks").border_title = t("ui.lists.my_clocks")
        self.query_one("#callbacks").border_title = t("ui.lists.callbacks")
        self._show_script()
        if self.desk is not None:
            self._bind_desk()

    def attach(self, desk: Desk) -> None:
        """Someone signed in: fill the header, load the lists, offer any saved draft."""
        self.desk = desk
        if self.is_mounted:
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
        clocks = self.query_one(ClockList)
        clocks.clock, clocks.zone, clocks.policy = console.now, console.zone, console.policy.clocks
        queue = self.query_one(CallbackQueue)
        queue.clock, queue.zone = console.now, console.zone
        self._show_script()
        self._refresh_preview()
        self.load_lists()
        self.drafts.check()
        self.set_interval(POLL_EVERY, self._poll)
        self.set_interval(30, self._refresh_preview)
        self.refresh_bindings()

    # -- the script line ------------------------------------------------------------------

    def _show_script(self) -> None:
        line = self.call_pane.script_line
        desk, call = self.desk, self.call
        if desk is None:
            line.say(t("ui.call.waiting"))
        elif call.aside is not None:
            line.say(
                call.aside_text, label=t(f"ui.aside.{call.aside}"), hint=t("ui.call.said_hint")
            )
        elif call.active and call.step is not CallStep.DONE:
            text = step_line(
                desk.script, call.step, company=desk.company, agent_no=desk.actor.agent_no
            )
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

    def _aside(self, key: str, text: str) -> None:
        self.call.show_aside(key, text)
        self._show_script()
        self.refresh_bindings()

    # -- actions: the call ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: possible now; None: shown greyed out in the footer (not possible now)."""
        call = self.call
        if action in NEEDS_DESK and self.desk is None:
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

    def action_start_call(self) -> None:
        """F2: the greeting is on screen at once; the contact is stored in a worker."""
        assert self.desk is not None
        now = self.desk.console.now()
        self.call = CallState.start(now)
        self.header.call_started = now
        self.header.tick()
        self.query_one("#saved-banner", Static).update("")
        self.query_one("#saved-banner").remove_class("-shown")
        self._show_script()
        self.call_pane.focus_phone()
        self.refresh_bindings()
        self._start_call()
        self.drafts.schedule()

    @work(thread=True, exclusive=True, group="call")
    def _start_call(self) -> None:
        from cs_console.services.calls import start_call

        desk = self.desk
        assert desk is not None
        try:
            contact_id = start_call(desk.console, desk.actor)
        except Exception as exc:  # shown to the agent; the desk keeps running
            self.post_message(JobFailed("start_call", exc))
            return
        self.post_message(CallStarted(contact_id))

    def on_call_started(self, message: CallStarted) -> None:
        if not self.call.active or self.call.contact_id is not None:
            return
        self.call.contact_id = message.contact_id
        if self.call.answered_at is not None:
            self._mark_answered(message.contact_id, self.call.answered_at)
        self.drafts.schedule()

    @work(thread=True, group="answered")
    def _mark_answered(self, contact_id: int, at: object) -> None:
        from cs_console.services.calls import mark_answered

        desk = self.desk
        assert desk is not None
        try:
            mark_answered(desk.console, desk.actor, contact_id, at)  # type: ignore[arg-type]
        except Exception as exc:
            self.post_message(JobFailed("mark_answered", exc))

    def action_mark_said(self) -> None:
        """ctrl+g: the line on screen was said; the greeting records the response time."""
        call = self.call
        if call.aside is None and call.step is CallStep.FAREWELL and not self._contact_type():
            self.notify(t("ui.call.choose_type"), severity="warning")
            self.call_pane.focus_contact_type()
            return
        said = call.mark_said()
        if said is Said.ANSWERED:
            assert self.desk is not None
            at = self.desk.console.now()
            if call.contact_id is not None:
                self._mark_answered(call.contact_id, at)
            else:
                call.answered_at = at
        self._show_script()
        self.refresh_bindings()
        if said is Said.FINISH:
            self._finish_call()

    def action_empathy(self) -> None:
        assert self.desk is not None
        self._aside("empathy", fill(self.desk.script.empathy))

    def action_end_call(self) -> None:
        """F8: the closing question, then the farewell (ctrl+g each); F8 again stores now."""
        if self.call.begin_ending():
            if not self._contact_type():
                self.notify(t("ui.call.choose_type"), severity="warning")
                self.call_pane.focus_contact_type()
                self._show_script()
                return
            self.call.step = CallStep.DONE
            self._finish_call()
        self._show_script()
        self.refresh_bindings()

    def _contact_type(self) -> str:
        if self.call.complaints:
            return self.call_pane.contact_type or ContactType.COMPLAINT.value
        return self.call_pane.contact_type

    def _finish_call(self) -> None:
        call = self.call
        if call.contact_id is None:
            self.notify(t("ui.call.not_started_yet"), severity="warning")
            call.step = CallStep.FAREWELL
            self._show_script()
            return
        call.finishing = True
        self.drafts.new_epoch()
        fields = self.call_pane.call_fields()
        keep = None if self.form.is_blank() else self.drafts.payload(with_call=False)
        self._end_call(call.contact_id, self._contact_type(), fields, keep)
        self._show_script()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="call")
    def _end_call(self, contact_id: int, kind: str, fields: dict, keep_draft: dict | None) -> None:
        from cs_console.services.calls import end_call
        from cs_console.services.drafts import discard_draft, save_draft

        desk = self.desk
        assert desk is not None
        try:
            with self.drafts.lock:
                end_call(
                    desk.console,
                    desk.actor,
                    contact_id,
                    contact_type=ContactType(kind),
                    notes=fields["notes"],
                    outcome=fields["outcome"],
                    phone=fields["phone"],
                    tracking_no=fields["tracking_no"],
                )
                if keep_draft is None:
                    discard_draft(desk.console, desk.actor, DraftKeeper.KIND)
                else:  # a complaint typed but not saved outlives the call
                    save_draft(desk.console, desk.actor, DraftKeeper.KIND, keep_draft)
        except Exception as exc:
            self.post_message(JobFailed("end_call", exc))
            return
        self.post_message(CallEnded(contact_id))

    def on_call_ended(self, message: CallEnded) -> None:
        self.call = CallState()
        self.header.call_started = None
        self.header.tick()
        self.call_pane.clear()
        self.repeat_of = None
        self._looked_up = ("", "")
        self._show_script()
        self._refresh_preview()
        self.refresh_bindings()
        self.notify(t("ui.call.ended"))
        if not self.form.is_blank():
            self.notify(t("ui.form.kept_after_call"), severity="warning")
        self.load_lists()

    # -- actions: complaint, callbacks, lists ---------------------------------------------

    def action_complaint_form(self) -> None:
        self.remove_class("-lists-flipped") if self.has_class("-narrow") else None
        self.form.focus_first_empty()

    def action_find_caller(self) -> None:
        self.call_pane.focus_phone()

    def action_toggle_lists(self) -> None:
        self.toggle_class("-lists-flipped")
        if self.lists_visible:
            self.query_one(ClockList).focus()
        elif self.focused is None or self.focused in self.query_one("#lists-column").query("*"):
            self.form.focus_first_empty()

    @property
    def lists_visible(self) -> bool:
        flipped = self.has_class("-lists-flipped")
        return flipped if self.has_class("-narrow") else not flipped

    def action_callback_queue(self) -> None:
        if not self.lists_visible:
            self.toggle_class("-lists-flipped")
        self.query_one(CallbackQueue).focus()

    def action_leave_field(self) -> None:
        """Escape: leave the field; everything typed stays (and is in the draft)."""
        self.set_focus(None)

    def action_save_complaint(self) -> None:
        """ctrl+s: check the form here, then register it in a worker."""
        desk = self.desk
        assert desk is not None
        problems = self.form.reveal_errors()
        if problems:
            self.notify(t("ui.form.fix_errors"), severity="warning")
            self.form.focus_field(next(iter(problems)))
            return
        self._saving = True
        self.refresh_bindings()
        self.drafts.new_epoch()
        self._register(self.form.form(), self.call.contact_id)

    @work(thread=True, exclusive=True, group="save")
    def _register(self, form: object, contact_id: int | None) -> None:
        from cs_console.services.complaints import register_complaint

        desk = self.desk
        assert desk is not None
        try:
            with self.drafts.lock:
                registered = register_complaint(
                    desk.console,
                    desk.actor,
                    form,
                    contact_id=contact_id,  # type: ignore[arg-type]
                )
        except Exception as exc:
            self.post_message(JobFailed("save", exc))
            return
        self.post_message(ComplaintSaved(registered))

    def on_complaint_saved(self, message: ComplaintSaved) -> None:
        desk = self.desk
        assert desk is not None
        registered = message.registered
        self._saving = False
        self.call.complaints.append(registered.reference)
        self.form.clear()
        self.call_pane.set_contact_type(ContactType.COMPLAINT.value)
        banner = self.query_one("#saved-banner", Static)
        banner.update(t("ui.form.saved", reference=registered.reference))
        banner.add_class("-shown")
        deadline = registered.resolve.due.astimezone(desk.console.zone)
        said = fill(
            desk.script.complaint_registered,
            reference=registered.reference,
            deadline=deadline.strftime(t("ui.format.deadline")),
        )
        self._aside("complaint_registered", said)
        self.load_lists()
        self.refresh_bindings()
        self.drafts.schedule()
        if registered.classification.severity is Severity.MAJOR:
            self._offer_hand_over(registered)

    def _offer_hand_over(self, registered: object) -> None:
        from cs_console.ui.screens.handover import HandOverScreen

        desk = self.desk
        assert desk is not None
        reason = severity_reason(
            registered.classification.reasons,  # type: ignore[attr-defined]
            desk.console.policy,
            self.repeat_of,
        )

        def handed(username: str | None) -> None:
            if not username:
                self.notify(t("ui.handover.kept"))
                return
            policy = desk.console.policy.clocks
            said = fill(desk.script.major_handover, hours=hours(policy.verify_major))
            self._aside("major_handover", f"{self.call.aside_text}\n{said}".strip())
            self.notify(t("ui.handover.done", name=username))
            self.load_lists()

        self.app.push_screen(
            HandOverScreen(
                desk.console,
                desk.actor,
                registered.id,  # type: ignore[attr-defined]
                registered.reference,  # type: ignore[attr-defined]
                reason,
            ),
            handed,
        )

    def action_promise_reply(self) -> None:
        """ctrl+r: a callback due within the promised hour, on the caller's phone."""
        typed = self.form.typed_form()
        phone = self.call_pane.phone.strip() or typed.phone
        name = clean_line(typed.customer_name).strip()
        assert self.desk is not None
        name = name[: self.desk.console.policy.limits.max_field_chars]
        self._promise(phone, name, self.call.contact_id)

    @work(thread=True, exclusive=True, group="promise")
    def _promise(self, phone: str, name: str, contact_id: int | None) -> None:
        from cs_console.services.callbacks import promise_reply

        desk = self.desk
        assert desk is not None
        try:
            due = promise_reply(
                desk.console, desk.actor, phone=phone, name=name, contact_id=contact_id
            )
        except Exception as exc:
            self.post_message(JobFailed("promise", exc))
            return
        self.post_message(CallbackPromised(due))

    def on_callback_promised(self, message: CallbackPromised) -> None:
        desk = self.desk
        assert desk is not None
        console = desk.console
        said = fill(desk.script.reply_promise, hours=hours(console.policy.call.reply_promise))
        self._aside("reply_promise", said)
        due = due_text(message.due, console.now(), console.zone)
        self.notify(t("ui.callback.promised", due=due))
        self.load_lists()

    # -- the lists ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="lists")
    def load_lists(self) -> None:
        from cs_console.services import worklists

        desk = self.desk
        if desk is None:
            return
        try:
            marker = worklists.changes_since(desk.console)
            clocks = worklists.my_clocks(desk.console, desk.actor)
            queue = worklists.callback_queue(desk.console, desk.actor)
        except Exception as exc:
            self.post_message(JobFailed("lists", exc))
            return
        self.post_message(ListsLoaded(clocks, queue, marker))

    def on_lists_loaded(self, message: ListsLoaded) -> None:
        self._marker = message.marker
        self._offline = False
        self.query_one(ClockList).set_rows(message.clocks)
        self.query_one(CallbackQueue).set_rows(message.queue)
        self.header.rows = message.clocks
        self.header.tick()

    def _poll(self) -> None:
        self._poll_marker()

    @work(thread=True, exclusive=True, group="poll")
    def _poll_marker(self) -> None:
        from cs_console.services.worklists import changes_since

        desk = self.desk
        if desk is None:
            return
        try:
            marker = changes_since(desk.console)
        except Exception as exc:
            self.post_message(JobFailed("poll", exc))
            return
        if marker != self._marker:
            self.post_message(ListsChanged())

    def on_lists_changed(self, _message: ListsChanged) -> None:
        self.load_lists()

    @on(ClockList.Opened)
    def _open_complaint(self, message: ClockList.Opened) -> None:
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        desk = self.desk
        if desk is None:
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()

        self.app.push_screen(
            ComplaintScreen(desk.console, desk.actor, message.complaint_id), closed
        )

    @on(CallbackQueue.AttemptChosen)
    def _attempt_chosen(self, message: CallbackQueue.AttemptChosen) -> None:
        self._record_attempt(message.callback_id, message.outcome, message.satisfaction)

    @work(thread=True, exclusive=True, group="attempt")
    def _record_attempt(self, callback_id: int, outcome: object, satisfaction: int | None) -> None:
        from cs_console.services.callbacks import record_attempt

        desk = self.desk
        assert desk is not None
        try:
            status = record_attempt(
                desk.console,
                desk.actor,
                callback_id,
                outcome,
                satisfaction=satisfaction,  # type: ignore[arg-type]
            )
        except Exception as exc:
            self.post_message(JobFailed("attempt", exc))
            return
        self.post_message(AttemptRecorded(str(status)))

    def on_attempt_recorded(self, message: AttemptRecorded) -> None:
        self.notify(t(f"ui.callback.status.{message.status}"))
        self.load_lists()

    # -- the caller and the preview -------------------------------------------------------

    @on(CallPane.CallerChanged)
    def _caller_changed(self, message: CallPane.CallerChanged) -> None:
        self.form.carry(message.name, message.previous, message.value)
        self._schedule_lookup()

    def _caller_key(self) -> tuple[str, str]:
        typed = self.form.typed_form()
        phone = self.call_pane.phone.strip() or typed.phone.strip()
        tracking_no = self.call_pane.tracking_no.strip() or typed.tracking_no.strip()
        return phone, tracking_no

    def _schedule_lookup(self) -> None:
        if self.desk is None or self._caller_key() == self._looked_up:
            return
        if self._history_timer is not None:
            self._history_timer.stop()
        self._history_timer = self.set_timer(HISTORY_DEBOUNCE, self._lookup_caller)

    def _lookup_caller(self) -> None:
        self._history_timer = None
        self._looked_up = self._caller_key()
        self._load_history(*self._looked_up)

    @work(thread=True, exclusive=True, group="history")
    def _load_history(self, phone: str, tracking_no: str) -> None:
        from cs_console.services.calls import caller_history

        desk = self.desk
        assert desk is not None
        try:
            history = caller_history(desk.console, phone=phone, tracking_no=tracking_no)
        except Exception as exc:
            self.post_message(JobFailed("history", exc))
            return
        self.post_message(HistoryLoaded(history, phone, tracking_no))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        if (message.phone, message.tracking_no) != self._caller_key():
            return  # typed on meanwhile; a newer lookup is coming
        nothing_typed = not (message.phone or message.tracking_no)
        self.call_pane.show_history(None if nothing_typed else message.history)
        self.repeat_of = message.history.repeat_of
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        desk = self.desk
        if desk is None:
            return
        console = desk.console
        preview = describe_preview(
            self.form.form(), console.policy, console.now(), console.zone, self.repeat_of
        )
        self.query_one(SeverityPreview).show(preview)

    @on(ComplaintFormPane.Changed)
    def _form_changed(self) -> None:
        self._refresh_preview()
        self._schedule_lookup()
        self.drafts.schedule()

    @on(CallPane.Changed)
    def _call_changed(self) -> None:
        self.drafts.schedule()

    # -- drafts ---------------------------------------------------------------------------

    def on_draft_found(self, message: DraftFound) -> None:
        self.drafts.offer(message)

    def restore(self, payload: dict) -> None:
        """Put a saved draft back on screen (called by the draft keeper)."""
        apply_draft(self, payload)
        self._show_script()
        self._refresh_preview()
        self.refresh_bindings()

    def save_draft_now(self, then: object) -> None:
        """Before quitting: write what is typed now, then call ``then``."""
        self.drafts.flush(then)  # type: ignore[arg-type]

    # -- failures -------------------------------------------------------------------------

    def on_job_failed(self, message: JobFailed) -> None:
        job = message.job
        if job == "save":
            self._saving = False
            self.form.reveal_errors(message.fields)
            self.refresh_bindings()
            self.drafts.schedule()
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
        self.notify(message.text, title=t(f"ui.job.{job}"), severity="error")
