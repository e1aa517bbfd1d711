"""The name on file, shared by the agent workspace and the outlet counter.

As soon as the form's phone is a number on file, the name stored for it shows under the
name field, masked (``档案姓名：张*``). A save the service refuses because the typed name
differs (``NameOnFileDiffers``: nothing was written) asks once, in ``NameChoiceDialog``,
whose name it is, and saves again with the answer; Escape goes back to the form.
The screen provides ``desk``, ``form``, ``drafts``, ``_saving`` and ``register_form``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.timer import Timer

from cs_console.ui.messages import JobFailed

if TYPE_CHECKING:
    from cs_console.domain.enums import NameChoice

NAME_LOOKUP_DEBOUNCE = 0.3  # seconds after the last keystroke in the phone


class NameOnFileFound(Message):
    """The name on file for ``phone``, masked; None when the phone is not on file."""

    def __init__(self, phone: str, masked: str | None) -> None:
        super().__init__()
        self.phone, self.masked = phone, masked


class NameOnFile:
    """Shows the name on file for the typed phone; asks whose name a differing one is."""

    _name_phone: str = ""  # the phone whose name on file is shown (or being looked up)
    _name_timer: Timer | None = None

    # -- the hint under the name field ----------------------------------------------------

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
        self._name_timer = self.set_timer(NAME_LOOKUP_DEBOUNCE, lambda: self._look_name_up(phone))

    @work(thread=True, exclusive=True, group="name-on-file")
    def _look_name_up(self, phone: str) -> None:
        from cs_console.services.complaints import name_on_file

        desk = self.desk
        try:
            masked = name_on_file(desk.console, desk.actor, phone)
        except Exception:
            # Only a courtesy: saving still asks the database, which refuses a differing
            # name until someone answers (an outage is already told by the header).
            masked = None
        self.post_message(NameOnFileFound(phone, masked))

    def on_name_on_file_found(self, message: NameOnFileFound) -> None:
        if message.phone != self.form.typed_form().phone.strip():
            return  # typed on meanwhile; a newer lookup is coming
        self.form.show_name_on_file(message.masked)

    # -- the question on save -------------------------------------------------------------

    def ask_whose_name(self, message: JobFailed) -> bool:
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
                self._saving = False
                self.refresh_bindings()
                self.drafts.schedule()
                self.form.focus_field("customer_name")
                return
            self.register_form(form, contact_id, choice)

        self.form.show_name_on_file(error.on_file_masked)
        self.app.push_screen(NameChoiceDialog(error.on_file_masked, form.customer_name), chosen)
        return True
