"""The call: answer (F2), say each line (ctrl+g), empathy (ctrl+e), end (F8), store.

``CallPart`` owns the call's state (``CallState``) and the SAY NEXT box. The greeting is
painted on the key; the contact is stored in a worker. Ending asks first what becomes of
an unsaved form (the kept part) and which type of contact it was (the call pane).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from cs_console.domain.enums import ContactType
from cs_console.domain.scripts import CallStep, fill
from cs_console.i18n import t
from cs_console.ui.call_state import CallState, Said
from cs_console.ui.jobs import job
from cs_console.ui.messages import CallEnded, CallStarted, Job, JobFailed
from cs_console.ui.workspace.parts import WorkspacePart
from cs_console.ui.workspace.script import script_line

if TYPE_CHECKING:
    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.neighbours import Bench

GONE = ("call_already_ended", "no_such_contact")  # a restored call that was ended meanwhile


class CallPart(WorkspacePart):
    """Answering, the script steps, and storing the finished contact."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,ctrl+n", "start_call", "ui.key.start_call", key_display="F2", id="start-call"),
        # ctrl+g, ctrl+e and ctrl+r are shown where they act (the SAY NEXT box and the call
        # pane), which leaves room in an 80-column footer for the rest.
        Binding(
            "ctrl+g", "mark_said", "ui.key.mark_said", show=False, priority=True, id="mark-said"
        ),
        Binding("ctrl+e", "empathy", "ui.key.empathy", show=False, priority=True, id="empathy"),
        Binding("f8,ctrl+t", "end_call", "ui.key.end_call", key_display="F8", id="end-call"),
    ]
    WAITS_FOR_DRAFT = frozenset({"start_call", "mark_said", "empathy", "end_call"})

    def __init__(self, desk: Desk, bench: Bench) -> None:
        super().__init__(desk, bench)
        self.call = CallState()  # a new one for each call
        self.waiting_phone: str | None = None  # a ring's caller, typed in on answering
        self._type_chosen_then: Callable[[], None] | None = None

    def on_mount(self) -> None:
        self.show_script()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if super().check_action(action, parameters) is None:
            return None
        call = self.call
        if action == "start_call":
            possible = not call.active
        elif action == "end_call":
            possible = call.active and not call.finishing
        elif action == "mark_said":
            possible = (call.active and not call.finishing) or call.aside is not None
        else:
            possible = True
        return True if possible else None

    # -- the SAY NEXT box -----------------------------------------------------------------

    def show_script(self) -> None:
        line = script_line(self.desk, self.call, tracking_query=self.tracking_query())
        if line.parcel:  # read out: the state the stored contact records
            self.call.parcel_state = self.call.parcel_said_state
        self.bench.call_pane.script_line.say(line.text, label=line.label, hint=line.hint)

    def tracking_query(self) -> bool:
        """The call reads as a tracking query: no complaint registered or being typed,
        and no other contact type chosen."""
        bench = self.bench
        kind = bench.call_pane.contact_type
        if self.call.complaints or kind not in ("", ContactType.TRACKING.value):
            return False
        return not bench.kept.form_unsaved()

    def query_may_have_changed(self) -> None:
        """A complaint typed or a contact type chosen: the status sentence may go (or come)."""
        if self.call.parcel_said:
            self.show_script()

    def aside(self, key: str, text: str, *, then_step: bool = False) -> None:
        """A line said out of order (empathy, a promise, a reference) on the SAY NEXT box."""
        self.call.show_aside(key, text, then_step=then_step)
        self.show_script()
        self.refresh_bindings()

    def moved(self) -> None:
        """The call's state changed: the box and the keys follow."""
        self.show_script()
        self.refresh_bindings()

    # -- answering ------------------------------------------------------------------------

    def action_start_call(self) -> None:
        """F2: the greeting is on screen at once; the contact is stored in a worker.

        The call starts with an empty form and call pane: anything typed in the form before
        it is kept as a draft (F12), never shown to this caller, and a search made between
        calls (F6) is forgotten. A waiting ring's phone is typed in, which brings up the
        caller's history.
        """
        bench = self.bench
        self._empty_panes("ui.kept.before_call")
        now = self.desk.console.now()
        self.call = CallState.start(now)
        bench.header.call_started = now
        bench.header.tick()
        bench.form.clear_banner()
        self.show_script()
        bench.call_pane.focus_phone()
        self.refresh_bindings()
        self._start_call()
        bench.drafts.schedule()
        phone, self.waiting_phone = self.waiting_phone, None
        if phone:
            bench.call_pane.set_phone(phone)

    @job(Job.START_CALL, exclusive=True, group="call")
    def _start_call(self) -> None:
        self.post_message(CallStarted(self.desk.writes.start_call(self.desk.actor)))

    def on_call_started(self, message: CallStarted) -> None:
        if not self.call.active or self.call.contact_id is not None:
            return
        self.call.contact_id = message.contact_id
        if self.call.answered_at is not None:
            self._mark_answered(message.contact_id, self.call.answered_at)
        self.bench.drafts.schedule()

    @job(Job.MARK_ANSWERED, group="answered")
    def _mark_answered(self, contact_id: int, at: datetime) -> None:
        self.desk.writes.mark_answered(self.desk.actor, contact_id, at)

    def action_mark_said(self) -> None:
        """ctrl+g: the line on screen was said; the greeting records the response time."""
        call = self.call
        if call.choosing_type:
            self.bench.call_pane.focus_contact_type()
            return
        if call.aside is None and call.step is CallStep.FAREWELL:
            if self.bench.kept.form_unsaved():  # typed after F8: settled before storing
                self.bench.kept.settle_form(self.action_mark_said)
                return
            if not self.contact_type():
                self._ask_contact_type(self.action_mark_said)
                return
        said = call.mark_said()
        if said is Said.ANSWERED:
            at = self.desk.console.now()
            if call.contact_id is not None:
                self._mark_answered(call.contact_id, at)
            else:
                call.answered_at = at
        if call.step is CallStep.IDENTIFY:  # a number typed during the greeting identifies it
            pane = self.bench.call_pane
            self.bench.caller.follow_typing("tracking_no", pane.tracking_no)
            self.bench.caller.follow_typing("phone", pane.phone)
        self.moved()
        if said is Said.FINISH:
            self._finish_call()

    def action_empathy(self) -> None:
        self.aside("empathy", fill(self.desk.script.empathy))

    # -- ending ---------------------------------------------------------------------------

    def action_end_call(self) -> None:
        """F8: an unsaved form is saved, kept as a draft or discarded first, and the contact
        type asked (unless a saved complaint says it); then the closing question and the
        farewell (ctrl+g each). F8 again stores the call now."""
        if self.bench.kept.form_unsaved():
            self.bench.kept.settle_form(self.action_end_call)
            return
        if not self.contact_type():
            self._ask_contact_type(self.action_end_call)
            return
        if self.call.begin_ending():
            self.call.step = CallStep.DONE
            self._finish_call()
        self.moved()

    def _ask_contact_type(self, then: Callable[[], None]) -> None:
        """Before the closing script, while the caller is still there: which type of call?"""
        self.call.choosing_type = True
        self._type_chosen_then = then
        self.bench.call_pane.focus_contact_type()
        self.moved()

    def pane_changed(self) -> None:
        """Something was typed in the call pane (a contact type chosen goes on ending)."""
        self.bench.drafts.schedule()
        self.query_may_have_changed()
        if self.call.choosing_type and self.contact_type():
            self.call.choosing_type = False
            self.screen.set_focus(None)
            then, self._type_chosen_then = self._type_chosen_then, None
            if then is not None:
                then()

    def contact_type(self) -> str:
        pane = self.bench.call_pane
        if self.call.complaints:
            return pane.contact_type or ContactType.COMPLAINT.value
        return pane.contact_type

    def _finish_call(self) -> None:
        call = self.call
        if call.contact_id is None:
            self.notify(t("ui.call.not_started_yet"), severity="warning", markup=False)
            call.step = CallStep.FAREWELL
            self.show_script()
            return
        call.finishing = True
        self.bench.drafts.new_epoch()
        fields = self.bench.call_pane.call_fields()
        self._end_call(call.contact_id, self.contact_type(), fields, call.parcel_state)
        self.moved()

    @job(Job.END_CALL, exclusive=True, group="call")
    def _end_call(
        self, contact_id: int, kind: str, fields: dict[str, str], tracking_state: str
    ) -> None:
        desk, drafts = self.desk, self.bench.drafts
        with drafts.write_lock:
            desk.writes.end_call(
                desk.actor,
                contact_id,
                contact_type=ContactType(kind),
                notes=fields["notes"],
                outcome=fields["outcome"],
                phone=fields["phone"],
                tracking_no=fields["tracking_no"],
                tracking_state=tracking_state,
            )
            # the call is stored: nothing of it is left to restore after a crash
            desk.writes.save_draft(desk.actor, drafts.KIND, None)
        self.post_message(CallEnded(contact_id))

    def on_call_ended(self, _message: CallEnded) -> None:
        bench = self.bench
        self.call = CallState()
        bench.header.call_started = None
        bench.header.tick()
        self._empty_panes("ui.kept.after_call")  # the form: typed while the call was stored
        self.show_script()
        bench.preview.refresh_preview()
        self.refresh_bindings()
        self.notify(t("ui.call.ended"), markup=False)
        bench.clocks.load_lists()

    def _empty_panes(self, notice_key: str) -> None:
        """The form kept for later if something was typed in it (else emptied of what the
        call pane carried into it), the call pane emptied, the caller and parcel forgotten."""
        bench = self.bench
        if not bench.kept.keep_form(notice_key):
            bench.form_pane.clear()
        bench.call_pane.clear()
        bench.caller.forget()
        bench.parcel.forget()

    def on_job_failed(self, message: JobFailed) -> None:
        """Put the call back as it was before the key (the screen tells what failed)."""
        if message.job == Job.START_CALL:
            self.call = CallState()
            self.bench.header.call_started = None
            self.moved()
        elif message.job == Job.END_CALL and getattr(message.error, "code", "") in GONE:
            self.post_message(CallEnded(self.call.contact_id or 0))  # ended elsewhere
        elif message.job == Job.END_CALL:
            self.call.finishing = False
            self.call.step = CallStep.FAREWELL
            self.moved()

    # -- a call left by quitting ----------------------------------------------------------

    def resume_stored(self) -> None:
        """A draft put the call back: left by quitting, its contact was ended as abandoned;
        it goes on now (unreachable: it is ended as usual later)."""
        contact_id = self.call.contact_id if self.call.active else None
        if contact_id is None or contact_id <= 0:
            return

        def resume() -> None:
            from cs_console.services.calls import resume_call

            with contextlib.suppress(Exception):  # unreachable: ended as usual later
                resume_call(self.desk.console, self.desk.actor, contact_id)

        self.run_worker(resume, thread=True, group="resume", exit_on_error=False)

    def leave(self, then: Callable[[], object]) -> None:
        """Before quitting: a call still going on is ended as abandoned (no console holds
        it any more: the overview must not show the agent on it), then the draft, which
        keeps the call, is written, then ``then``."""
        contact_id = self.call.contact_id if self.call.active else None
        if contact_id is None or contact_id <= 0:
            self.bench.drafts.flush(then)
            return

        def abandon() -> None:
            from cs_console.services.calls import abandon_call

            with contextlib.suppress(Exception):  # unreachable: stays open, as after a crash
                abandon_call(self.desk.console, self.desk.actor, contact_id)
            self.app.call_from_thread(self.bench.drafts.flush, then)  # the draft keeps the call

        self.run_worker(abandon, thread=True, group="abandon", exit_on_error=False)
