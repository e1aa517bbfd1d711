"""The complaint on the workspace: save (ctrl+s), hand over, promise a reply (ctrl+r),
look the caller up as the agent types, and keep the live preview current.

A part of ``WorkspaceScreen`` (mixed in). The preview is computed on the UI thread from
the domain only; every service call runs in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Static

from cs_console.domain.enums import ContactType, Severity
from cs_console.domain.scripts import fill
from cs_console.domain.text import clean_line
from cs_console.domain.validation import (
    normalize_phone,
    normalize_reference,
    normalize_tracking_no,
)
from cs_console.i18n import due_time, spoken_time, t
from cs_console.ui.messages import CallbackPromised, ComplaintSaved, HistoryLoaded, JobFailed
from cs_console.ui.screens.complaint_saving import ComplaintSaving
from cs_console.ui.screens.workspace_call import whole_hours

if TYPE_CHECKING:
    from collections.abc import Callable

    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.complaint_form import ComplaintFormPane

HISTORY_DEBOUNCE = 0.3  # seconds after the last keystroke in phone / tracking number


def _names_someone(text: str, normalize: Callable[[str], str | None]) -> bool:
    """A number valid for its field, or a complaint reference quoted in it."""
    return normalize(text) is not None or normalize_reference(text) is not None


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
        self.form.clear()
        self.call_pane.set_contact_type(ContactType.COMPLAINT.value)
        banner = self.query_one("#saved-banner", Static)
        banner.add_class("-shown")
        if registered.pending:  # in the outage journal: the reference is provisional
            said = self.complaint_kept(registered, message.form)
            self.call.complaint_registered(registered.reference, said)
            self._show_script()
            self.load_lists()
            self.refresh_bindings()
            self.drafts.schedule()
            return
        banner.update(t("ui.form.saved", reference=registered.reference))
        deadline = registered.resolve.due.astimezone(desk.console.zone)
        said = fill(
            desk.script.complaint_registered,
            reference=registered.reference,
            deadline=spoken_time(deadline),
        )
        self.call.complaint_registered(registered.reference, said)
        self._show_script()
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

        reason = severity_reason(  # the earlier complaint the service found, not the call's
            registered.classification.reasons,  # type: ignore[attr-defined]
            desk.console.policy,
            registered.repeat_of,  # type: ignore[attr-defined]
        )

        def handed(username: str | None) -> None:
            if not username:
                self.notify(t("ui.handover.kept"), markup=False)
                return
            policy = desk.console.policy.clocks
            said = fill(desk.script.major_handover, hours=whole_hours(policy.verify_major))
            call = self.call
            text = f"{call.aside_text}\n{said}".strip()
            self._aside("major_handover", text, then_step=call.aside_then_step)
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

        hours = whole_hours(console.policy.call.reply_promise)
        self._aside("reply_promise", fill(desk.script.reply_promise, hours=hours))
        due = due_time(message.due, console.now(), console.zone)
        key = "journal.callback.promised" if message.pending else "ui.callback.promised"
        self.notify(t(key, due=due), markup=False)
        if message.pending:
            self.replay_journal()
        self.load_lists()
        self.refresh_history()

    # -- the caller and the preview -------------------------------------------------------

    def on_call_pane_caller_changed(self, message: CallPane.CallerChanged) -> None:
        # A quoted complaint reference is no phone or parcel of the form: what was carried
        # while it was being typed is taken back.
        quoted = normalize_reference(message.value) is not None
        self.form.carry(message.name, message.previous, "" if quoted else message.value)
        self._follow_typing(message.name, message.value)
        self._schedule_lookup()

    def on_call_pane_complaint_chosen(self, message: CallPane.ComplaintChosen) -> None:
        """Enter on a complaint of the caller's history: the complaint screen."""
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        desk = self.desk
        if desk is None:
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()
                self.refresh_history()

        self.app.push_screen(
            ComplaintScreen(desk.console, desk.actor, message.complaint_id), closed
        )

    def _follow_typing(self, field: str, value: str) -> None:
        """The script follows what is typed: a valid phone or tracking number identifies
        the parcel; a phone or a name is personal data (the privacy notice, once)."""

        call = self.call
        if not call.active or call.finishing:
            return
        if field == "phone":
            moved = normalize_phone(value) is not None and call.parcel_identified(by_phone=True)
        elif field == "tracking_no":
            valid = normalize_tracking_no(value) is not None
            moved = valid and call.parcel_identified(by_phone=False)
        elif field == "customer_name" and value.strip():
            moved = call.personal_data_typed(field) or call.personal_data_asked(field)
        else:
            moved = False
        if moved:
            self._show_script()
            self.refresh_bindings()

    def refresh_history(self) -> None:
        """Look the caller up again (a complaint or callback of theirs was just stored)."""
        self._looked_up = ("", "")
        self._schedule_lookup()

    def _caller_key(self) -> tuple[str, str]:
        """What to look the caller up by: the call pane's phone and tracking number, else
        the form's; only values that can name someone (a valid number or a complaint
        reference), so that a half-typed or invalid number makes no claim about the caller."""
        typed = self.form.typed_form()
        phones = (self.call_pane.phone, typed.phone)
        parcels = (self.call_pane.tracking_no, typed.tracking_no)
        phone = next((p.strip() for p in phones if _names_someone(p, normalize_phone)), "")
        parcel = next((p.strip() for p in parcels if _names_someone(p, normalize_tracking_no)), "")
        return phone, parcel

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
            history = caller_history(
                desk.console,
                desk.actor,
                phone=phone,
                tracking_no=tracking_no,
                contact_id=self.call.contact_id,
            )
        except Exception as exc:
            self.post_message(JobFailed("history", exc))
            return
        self.post_message(HistoryLoaded(history, phone, tracking_no))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        if (message.phone, message.tracking_no) != self._caller_key():
            return  # typed on meanwhile; a newer lookup is coming
        nothing_typed = not (message.phone or message.tracking_no)
        zone = self.desk.console.zone if self.desk is not None else None
        self.call_pane.show_history(None if nothing_typed else message.history, zone)
        self.repeat_of = message.history.repeat_of
        if not self._saving:  # the form being saved is not classified against itself
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

    def on_complaint_form_pane_changed(self, message: ComplaintFormPane.Changed) -> None:
        if message.typed:
            self._follow_typing(message.field, message.value)
        self._refresh_preview()
        self._schedule_lookup()
        self.schedule_name_lookup()
        self.drafts.schedule()
