"""The call on the workspace: answer (F2), say each line (ctrl+g), end (F8), store.

A part of ``WorkspaceScreen`` (mixed in): it uses the screen's desk, call state, panes
and draft keeper. The greeting is painted on the key; the contact is stored in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Static

from cs_console.domain.enums import ContactType
from cs_console.domain.scripts import CallStep, fill
from cs_console.i18n import t
from cs_console.ui.call_state import CallState, Said
from cs_console.ui.messages import CallEnded, CallStarted, JobFailed
from cs_console.ui.screens.workspace_drafts import DraftKeeper

if TYPE_CHECKING:
    from cs_console.ui.widgets.call_pane import CallPane


def whole_hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)


class CallActions:
    """Answering, the script steps, and storing the finished contact."""

    def action_start_call(self) -> None:
        """F2: the greeting is on screen at once; the contact is stored in a worker.

        The call starts with an empty form: anything typed there before it is kept as a
        draft (F12), never shown to this caller.
        """
        assert self.desk is not None
        self.keep_form("ui.kept.before_call")
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
        desk = self.desk
        assert desk is not None
        try:
            contact_id = desk.writes.start_call(desk.actor)
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
        desk = self.desk
        assert desk is not None
        try:
            desk.writes.mark_answered(desk.actor, contact_id, at)  # type: ignore[arg-type]
        except Exception as exc:
            self.post_message(JobFailed("mark_answered", exc))

    def action_mark_said(self) -> None:
        """ctrl+g: the line on screen was said; the greeting records the response time."""
        call = self.call
        if call.choosing_type:
            self.call_pane.focus_contact_type()
            return
        if call.aside is None and call.step is CallStep.FAREWELL:
            if self.form_unsaved():  # typed after F8: settled before the call is stored
                self.settle_form(self.action_mark_said)
                return
            if not self._contact_type():
                self._ask_contact_type(self.action_mark_said)
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
        """F8: an unsaved form is saved, kept as a draft or discarded first, and the contact
        type asked (unless a saved complaint says it); then the closing question and the
        farewell (ctrl+g each). F8 again stores the call now."""
        if self.form_unsaved():
            self.settle_form(self.action_end_call)
            return
        if not self._contact_type():
            self._ask_contact_type(self.action_end_call)
            return
        if self.call.begin_ending():
            self.call.step = CallStep.DONE
            self._finish_call()
        self._show_script()
        self.refresh_bindings()

    def _ask_contact_type(self, then: Callable[[], None]) -> None:
        """Before the closing script, while the caller is still there: which type of call?"""
        self.call.choosing_type = True
        self._type_chosen_then = then
        self.call_pane.focus_contact_type()
        self._show_script()
        self.refresh_bindings()

    def on_call_pane_changed(self, _message: CallPane.Changed) -> None:
        self.drafts.schedule()
        if self.call.choosing_type and self._contact_type():
            self.call.choosing_type = False
            self.set_focus(None)
            then, self._type_chosen_then = self._type_chosen_then, None
            if then is not None:
                then()

    def _contact_type(self) -> str:
        if self.call.complaints:
            return self.call_pane.contact_type or ContactType.COMPLAINT.value
        return self.call_pane.contact_type

    def _finish_call(self) -> None:
        call = self.call
        if call.contact_id is None:
            self.notify(t("ui.call.not_started_yet"), severity="warning", markup=False)
            call.step = CallStep.FAREWELL
            self._show_script()
            return
        call.finishing = True
        self.drafts.new_epoch()
        fields = self.call_pane.call_fields()
        self._end_call(call.contact_id, self._contact_type(), fields)
        self._show_script()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="call")
    def _end_call(self, contact_id: int, kind: str, fields: dict) -> None:
        desk = self.desk
        assert desk is not None
        try:
            with self.drafts.lock:
                desk.writes.end_call(
                    desk.actor,
                    contact_id,
                    contact_type=ContactType(kind),
                    notes=fields["notes"],
                    outcome=fields["outcome"],
                    phone=fields["phone"],
                    tracking_no=fields["tracking_no"],
                )
                # the call is stored: nothing of it is left to restore after a crash
                desk.writes.save_draft(desk.actor, DraftKeeper.KIND, None)
        except Exception as exc:
            self.post_message(JobFailed("end_call", exc))
            return
        self.post_message(CallEnded(contact_id))

    def on_call_ended(self, message: CallEnded) -> None:
        self.call = CallState()
        self.header.call_started = None
        self.header.tick()
        if not self.keep_form("ui.kept.after_call"):  # typed while it was stored
            self.form.clear()  # only what was carried from the call pane: nothing to keep
        self.call_pane.clear()
        self.repeat_of = None
        self._looked_up = ("", "")
        self._show_script()
        self._refresh_preview()
        self.refresh_bindings()
        self.notify(t("ui.call.ended"), markup=False)
        self.load_lists()
