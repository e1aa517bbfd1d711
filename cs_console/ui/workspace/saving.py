"""Saving the complaint form (ctrl+s), on the agent workspace and the outlet counter.

The form is checked on screen first; a valid one is registered in a worker through the
desk's ``JournalledWrites`` (to the server, or into the outage journal while it is away),
holding the draft keeper's write lock so no draft write interleaves. The part posts
``ComplaintSaved``; a refusal puts the field errors under the fields.

It also shows the name on file: as soon as the form's phone is a number on file, the name
stored for it shows under the name field, masked (``档案姓名：张*``). A save the service
refuses because the typed name differs (``NameOnFileDiffers``: nothing was written) asks
once, in ``NameChoiceDialog``, whose name it is, and saves again with the answer; Escape
goes back to the form.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from cs_console.i18n import t
from cs_console.ui.jobs import job
from cs_console.ui.messages import ComplaintSaved, Job, JobFailed
from cs_console.ui.workspace.parts import Part

if TYPE_CHECKING:
    from textual.timer import Timer

    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.domain.enums import NameChoice
    from cs_console.ui.desk import Desk
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.workspace.drafts import DraftKeeper

NAME_LOOKUP_DEBOUNCE = 0.3  # seconds after the last keystroke in the phone


class SavingPart(Part):
    """Check, register, show what the server refused, and the name on file."""

    class NameOnFileFound(Message):
        """The name on file for ``phone``, masked; None when the phone is not on file."""

        def __init__(self, phone: str, masked: str | None) -> None:
            super().__init__()
            self.phone, self.masked = phone, masked

    def __init__(
        self,
        desk: Desk,
        form: ComplaintFormPane,
        drafts: DraftKeeper,
        *,
        focus_refused: bool = False,
    ) -> None:
        super().__init__(desk)
        self.form, self.drafts = form, drafts
        self.focus_refused = focus_refused  # a refused save puts the cursor in the field
        self.saving = False  # a save is in flight (ctrl+s waits)
        # The form and contact of the save in flight: asked again with a NameChoice.
        self._saving_form: tuple[ComplaintForm, int | None] | None = None
        self._name_phone = ""  # the phone whose name on file is shown (or looked up)
        self._name_timer: Timer | None = None

    # -- saving ---------------------------------------------------------------------------

    def save(self, contact_id: int | None = None) -> bool:
        """ctrl+s: check the form here; False (errors shown, focus on the first) when it
        cannot be saved, else the save starts and drafts scheduled before it are dropped."""
        problems = self.form.reveal_errors()
        if problems:
            self.notify(t("ui.form.fix_errors"), severity="warning", markup=False)
            self.form.focus_field(next(iter(problems)))
            return False
        self.saving = True
        self.refresh_bindings()
        self.drafts.new_epoch()
        self._register(self.form.form(), contact_id)
        return True

    @job(Job.SAVE, exclusive=True)
    def _register(
        self, form: ComplaintForm, contact_id: int | None, name_choice: NameChoice | None = None
    ) -> None:
        desk = self.desk
        self._saving_form = (form, contact_id)
        with self.drafts.write_lock:
            registered = desk.writes.register_complaint(
                desk.actor, form, contact_id=contact_id, name_choice=name_choice
            )
        self.post_message(ComplaintSaved(registered, form))

    def on_complaint_saved(self, _message: ComplaintSaved) -> None:
        self.saving = False

    def on_job_failed(self, message: JobFailed) -> None:
        if message.job != Job.SAVE:
            return
        if self._ask_whose_name(message):
            message.stop()  # asked: nothing to tell yet
            return
        # The field errors under the fields, typing kept (and drafted).
        self.saving = False
        problems = self.form.reveal_errors(message.fields)
        self.refresh_bindings()
        self.drafts.schedule()
        if self.focus_refused:
            self.form.focus_field(next(iter(problems), "customer_name"))

    # -- the name on file -----------------------------------------------------------------

    def schedule_name_lookup(self) -> None:
        """The form changed: look the phone's name on file up once typing pauses."""
        phone = self.form.typed_form().phone.strip()
        if phone == self._name_phone:
            return
        self._name_phone = phone
        if self._name_timer is not None:
            self._name_timer.stop()
        if not phone:
            self.form.show_name_on_file(None)
            return
        self._name_timer = self.after(NAME_LOOKUP_DEBOUNCE, lambda: self._look_name_up(phone))

    @work(thread=True, exclusive=True, group="name-on-file")
    def _look_name_up(self, phone: str) -> None:
        from cs_console.services.complaints import name_on_file

        masked = None
        # Only a courtesy: saving still asks the database, which refuses a differing name
        # until someone answers (an outage is already told by the header).
        with contextlib.suppress(Exception):
            masked = name_on_file(self.desk.console, self.desk.actor, phone)
        self.post_message(self.NameOnFileFound(phone, masked))

    def on_saving_part_name_on_file_found(self, message: NameOnFileFound) -> None:
        if message.phone != self.form.typed_form().phone.strip():
            return  # typed on meanwhile; a newer lookup is coming
        self.form.show_name_on_file(message.masked)

    def _ask_whose_name(self, message: JobFailed) -> bool:
        """A save refused because the phone is on file under another name: ask whose name
        was typed and save again with the answer. False for any other failure."""
        from cs_console.services.complaints import NameOnFileDiffers
        from cs_console.ui.screens.name_choice_dialog import NameChoiceDialog

        error = message.error
        if not isinstance(error, NameOnFileDiffers) or self._saving_form is None:
            return False
        form, contact_id = self._saving_form

        def chosen(choice: NameChoice | None) -> None:
            if choice is None:  # Escape: back to the form, nothing saved
                self.saving = False
                self.refresh_bindings()
                self.drafts.schedule()
                self.form.focus_field("customer_name")
                return
            self._register(form, contact_id, choice)

        self.form.show_name_on_file(error.on_file_masked)
        self.app.push_screen(NameChoiceDialog(error.on_file_masked, form.customer_name), chosen)
        return True
