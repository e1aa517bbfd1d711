"""The complaint form on the workspace: open it (F3), save it (ctrl+s), promise a reply
(ctrl+r), and the banner over it that says what was saved.

``FormPart`` drives the form pane and the saved banner; the save itself and the preview
under the form are parts of their own (shared with the outlet counter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from cs_console.domain.enums import ContactType, Severity
from cs_console.domain.scripts import fill
from cs_console.domain.text import clean_line
from cs_console.i18n import due_time, spoken_time, t
from cs_console.ui.jobs import job
from cs_console.ui.messages import CallbackPromised, ComplaintSaved, Job, JobFailed
from cs_console.ui.widgets.alert_text import raised_line
from cs_console.ui.workspace.layout import show_form
from cs_console.ui.workspace.parts import WorkspacePart
from cs_console.ui.workspace.script import whole_hours

if TYPE_CHECKING:
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.journal.replay import SentWrite


class FormPart(WorkspacePart):
    """The form's keys, the saved banner, and the reply promise."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
    ]
    WAITS_FOR_DRAFT = frozenset({"complaint_form", "save_complaint", "promise_reply"})

    _banner_shows = ""  # the provisional reference in the saved banner

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if super().check_action(action, parameters) is None:
            return None
        if action == "save_complaint" and self.bench.saving.saving:
            return None
        return True

    def action_complaint_form(self) -> None:
        """F3: the form (brought back if the lists had taken its place at 80 columns)."""
        show_form(self.screen)
        self.bench.form_pane.focus_first_empty()
        call = self.bench.call.call
        if call.active and not call.finishing and not call.choosing_type:
            call.resume()  # another matter after the closing question
            call.personal_data_asked("form")  # the form asks for name and phone
            self.bench.call.moved()

    def form_changed(self, field: str, value: str, *, typed: bool) -> None:
        """Typed in the form (``typed``; else put there): the script, the preview, the
        look-ups and the draft follow."""
        bench = self.bench
        if typed:
            bench.caller.follow_typing(field, value)
        bench.preview.refresh_preview()
        bench.caller.schedule_lookup()
        bench.saving.schedule_name_lookup()
        bench.drafts.schedule()

    # -- saving ---------------------------------------------------------------------------

    def action_save_complaint(self) -> None:
        """ctrl+s: check the form here, then register it in a worker (the saving part)."""
        self.bench.saving.save(self.bench.call.call.contact_id)

    def saved(self, message: ComplaintSaved) -> None:
        """The complaint is registered (or in the outage journal): the banner says its
        reference, the script says it and its deadline, the lists show it."""
        bench, registered = self.bench, message.registered
        call = bench.call
        bench.form_pane.clear()
        bench.call_pane.set_contact_type(ContactType.COMPLAINT.value)
        bench.saved_banner.add_class("-shown")
        if registered.pending:  # in the outage journal: the reference is provisional
            call.call.complaint_registered(registered.reference, self._kept_offline(message))
            call.show_script()
            bench.clocks.load_lists()
            self.refresh_bindings()
            bench.drafts.schedule()
            return
        bench.saved_banner.update(t("ui.form.saved", reference=registered.reference))
        deadline = registered.resolve.due.astimezone(self.desk.console.zone)
        said = fill(
            self.desk.script.complaint_registered,
            reference=registered.reference,
            deadline=spoken_time(deadline),
        )
        call.call.complaint_registered(registered.reference, said)
        call.show_script()
        bench.incidents.notify_linked(registered.incidents)
        window = self.desk.console.policy.incidents.mass_complaint_window
        for alert in registered.alerts:  # this save raised it: told now, not only the banner
            self.notify(raised_line(alert, window), severity="warning", markup=False, timeout=20)
        bench.clocks.load_lists()
        bench.caller.refresh_history()
        self.refresh_bindings()
        bench.drafts.schedule()
        if registered.classification.severity is Severity.MAJOR:
            self._offer_hand_over(registered)

    def clear_banner(self) -> None:
        self.bench.saved_banner.update("")
        self.bench.saved_banner.remove_class("-shown")

    def _kept_offline(self, message: ComplaintSaved) -> str:
        """A complaint went to the journal: say so, and list it as pending; returns what
        the banner says first (what to tell the caller)."""
        registered = message.registered
        hours = whole_hours(self.desk.console.policy.callbacks.outage_callback)
        lines = [
            t("journal.form.saved", reference=registered.reference, hours=hours),
            t("journal.form.unchecked"),
        ]
        if registered.classification.severity is Severity.MAJOR:
            lines.append(t("journal.form.major_later"))
        banner = self.bench.saved_banner
        banner.update("\n".join(lines))
        banner.add_class("-pending")
        self._banner_shows = registered.reference
        self.bench.outage.keep_pending(registered, message.form)
        return lines[0]

    def sent(self, provisional: str | None, sent: SentWrite) -> None:
        """A complaint kept in the journal reached the server: its real reference."""
        if provisional is None:
            return  # journalled by an earlier session: the notification names it
        reference = sent.result["reference"]
        call = self.bench.call.call
        call.complaints = [reference if c == provisional else c for c in call.complaints]
        if self._banner_shows == provisional:
            banner = self.bench.saved_banner
            banner.update(t("journal.form.sent", reference=reference, provisional=provisional))
            banner.remove_class("-pending")
            self._banner_shows = ""

    def _offer_hand_over(self, registered: RegisteredComplaint) -> None:
        from cs_console.ui.screens.handover import HandOverScreen
        from cs_console.ui.widgets.severity_preview import severity_reason

        desk = self.desk
        reason = severity_reason(  # the earlier complaint the service found, not the call's
            registered.classification.reasons, desk.console.policy, registered.repeat_of
        )

        def handed(username: str | None) -> None:
            if not username:
                self.notify(t("ui.handover.kept"), markup=False)
                return
            policy = desk.console.policy.clocks
            said = fill(desk.script.major_handover, hours=whole_hours(policy.verify_major))
            call = self.bench.call.call
            text = f"{call.aside_text}\n{said}".strip()
            self.bench.call.aside("major_handover", text, then_step=call.aside_then_step)
            self.notify(t("ui.handover.done", name=username), markup=False)
            self.bench.clocks.load_lists()

        screen = HandOverScreen(
            desk.console, desk.actor, registered.id, registered.reference, reason
        )
        self.app.push_screen(screen, handed)

    # -- the reply promise ----------------------------------------------------------------

    def action_promise_reply(self) -> None:
        """ctrl+r: a callback due within the promised hour, on the caller's phone."""
        bench = self.bench
        typed = bench.form_pane.typed_form()
        phone = bench.call_pane.phone.strip() or typed.phone
        name = clean_line(typed.customer_name).strip()
        name = name[: self.desk.console.policy.limits.max_field_chars]
        self._promise(phone, name, bench.call.call.contact_id)

    @job(Job.PROMISE, exclusive=True)
    def _promise(self, phone: str, name: str, contact_id: int | None) -> None:
        desk = self.desk
        written = desk.writes.promise_reply(
            desk.actor, phone=phone, name=name, contact_id=contact_id
        )
        self.post_message(CallbackPromised(written.result, written.pending))

    def on_callback_promised(self, message: CallbackPromised) -> None:
        console, bench = self.desk.console, self.bench
        hours = whole_hours(console.policy.call.reply_promise)
        bench.call.aside("reply_promise", fill(self.desk.script.reply_promise, hours=hours))
        due = due_time(message.due, console.now(), console.zone)
        key = "journal.callback.promised" if message.pending else "ui.callback.promised"
        self.notify(t(key, due=due), markup=False)
        if message.pending:
            bench.outage.replay_journal()
        bench.clocks.load_lists()
        bench.caller.refresh_history()

    def on_job_failed(self, message: JobFailed) -> None:
        if message.job == Job.PROMISE and "phone" in message.fields:
            self.bench.call_pane.focus_phone()
