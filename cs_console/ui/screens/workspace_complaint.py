"""The complaint on the workspace: save (ctrl+s), hand over, promise a reply (ctrl+r),
look the caller up as the agent types, and keep the live preview current.

A part of ``WorkspaceScreen`` (mixed in). The preview is computed on the UI thread from
the domain only; every service call runs in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Static

from cs_console.config.language import t
from cs_console.domain.enums import ContactType, Severity
from cs_console.domain.scripts import fill
from cs_console.domain.text import clean_line
from cs_console.ui.messages import CallbackPromised, ComplaintSaved, HistoryLoaded, JobFailed
from cs_console.ui.screens.complaint_saving import ComplaintSaving
from cs_console.ui.screens.workspace_call import whole_hours

if TYPE_CHECKING:
    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.complaint_form import ComplaintFormPane

HISTORY_DEBOUNCE = 0.3  # seconds after the last keystroke in phone / tracking number


class ComplaintActions(ComplaintSaving):
    """Saving and handing over complaints, reply promises, caller history, the preview."""

    def action_save_complaint(self) -> None:
        """ctrl+s: check the form here, then register it in a worker (ComplaintSaving)."""
        assert self.desk is not None
        if self.begin_saving():
            self.register_form(self.form.form(), self.call.contact_id)

    def on_complaint_saved(self, message: ComplaintSaved) -> None:
        desk = self.desk
        assert desk is not None
        registered = message.registered
        self._saving = False
        self.call.complaints.append(registered.reference)
        self.form.clear()
        self.call_pane.set_contact_type(ContactType.COMPLAINT.value)
        banner = self.query_one("#saved-banner", Static)
        banner.add_class("-shown")
        if registered.pending:  # in the outage journal: the reference is provisional
            self.complaint_kept(registered, message.form)
            self.load_lists()
            self.refresh_bindings()
            self.drafts.schedule()
            return
        banner.update(t("ui.form.saved", reference=registered.reference))
        deadline = registered.resolve.due.astimezone(desk.console.zone)
        said = fill(
            desk.script.complaint_registered,
            reference=registered.reference,
            deadline=deadline.strftime(t("ui.format.deadline")),
        )
        self._aside("complaint_registered", said)
        self.notify_linked(registered.incidents)
        self.load_lists()
        self.refresh_history()
        self.refresh_bindings()
        self.drafts.schedule()
        if registered.classification.severity is Severity.MAJOR:
            self._offer_hand_over(registered)

    def _offer_hand_over(self, registered: object) -> None:
        from cs_console.ui.screens.handover import HandOverScreen

        desk = self.desk
        assert desk is not None
        from cs_console.ui.widgets.severity_preview import severity_reason

        reason = severity_reason(
            registered.classification.reasons,  # type: ignore[attr-defined]
            desk.console.policy,
            self.repeat_of,
        )

        def handed(username: str | None) -> None:
            if not username:
                self.notify(t("ui.handover.kept"), markup=False)
                return
            policy = desk.console.policy.clocks
            said = fill(desk.script.major_handover, hours=whole_hours(policy.verify_major))
            self._aside("major_handover", f"{self.call.aside_text}\n{said}".strip())
            self.notify(t("ui.handover.done", name=username), markup=False)
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
        desk = self.desk
        assert desk is not None
        try:
            written = desk.writes.promise_reply(
                desk.actor, phone=phone, name=name, contact_id=contact_id
            )
        except Exception as exc:
            self.post_message(JobFailed("promise", exc))
            return
        self.post_message(CallbackPromised(written.result, written.pending))

    def on_callback_promised(self, message: CallbackPromised) -> None:
        desk = self.desk
        assert desk is not None
        console = desk.console
        from cs_console.ui.widgets.severity_preview import due_text

        hours = whole_hours(console.policy.call.reply_promise)
        self._aside("reply_promise", fill(desk.script.reply_promise, hours=hours))
        due = due_text(message.due, console.now(), console.zone)
        key = "journal.callback.promised" if message.pending else "ui.callback.promised"
        self.notify(t(key, due=due), markup=False)
        if message.pending:
            self.replay_journal()
        self.load_lists()
        self.refresh_history()

    # -- the caller and the preview -------------------------------------------------------

    def on_call_pane_caller_changed(self, message: CallPane.CallerChanged) -> None:
        self.form.carry(message.name, message.previous, message.value)
        self._schedule_lookup()

    def refresh_history(self) -> None:
        """Look the caller up again (a complaint or callback of theirs was just stored)."""
        self._looked_up = ("", "")
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
            history = caller_history(desk.console, desk.actor, phone=phone, tracking_no=tracking_no)
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
        if not nothing_typed:
            self.show_incident_script(message.history.incidents)

    def _refresh_preview(self) -> None:
        desk = self.desk
        if desk is None or not self.built:
            return
        console = desk.console
        from cs_console.ui.widgets.severity_preview import SeverityPreview, describe_preview

        preview = describe_preview(
            self.form.form(), console.policy, console.now(), console.zone, self.repeat_of
        )
        self.query_one(SeverityPreview).show(preview)

    def on_complaint_form_pane_changed(self, _message: ComplaintFormPane.Changed) -> None:
        self._refresh_preview()
        self._schedule_lookup()
        self.schedule_name_lookup()
        self.drafts.schedule()

    def on_call_pane_changed(self, _message: CallPane.Changed) -> None:
        self.drafts.schedule()
