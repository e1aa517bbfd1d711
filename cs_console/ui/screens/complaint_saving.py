"""Saving the complaint form (ctrl+s), shared by the agent workspace and the outlet counter.

The form is checked on screen first; a valid one is registered in a worker through the
desk's ``JournalledWrites`` (to the server, or into the outage journal while it is away),
holding the draft keeper's lock so no draft write interleaves. The worker posts
``ComplaintSaved`` or ``JobFailed("save")``; a refusal puts the field errors under the
fields. The screen provides ``desk``, ``form``, ``drafts`` and a ``_saving`` flag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from cs_console.i18n import t
from cs_console.ui.messages import ComplaintSaved, JobFailed
from cs_console.ui.screens.complaint_names import NameOnFile

if TYPE_CHECKING:
    from cs_console.domain.enums import NameChoice


class ComplaintSaving(NameOnFile):
    """Check, register, and show what the server refused."""

    # The form and contact of the save in flight: asked again with a NameChoice.
    _saving_form: tuple[object, int | None] | None = None

    def begin_saving(self) -> bool:
        """ctrl+s: check the form here; False (errors shown, focus on the first) when it
        cannot be saved, else the save starts and drafts scheduled before it are dropped."""
        problems = self.form.reveal_errors()
        if problems:
            self.notify(t("ui.form.fix_errors"), severity="warning", markup=False)
            self.form.focus_field(next(iter(problems)))
            return False
        self._saving = True
        self.refresh_bindings()
        self.drafts.new_epoch()
        return True

    @work(thread=True, exclusive=True, group="save")
    def register_form(
        self,
        form: object,
        contact_id: int | None = None,
        name_choice: NameChoice | None = None,
    ) -> None:
        desk = self.desk
        assert desk is not None
        self._saving_form = (form, contact_id)
        try:
            with self.drafts.lock:
                registered = desk.writes.register_complaint(
                    desk.actor,
                    form,  # type: ignore[arg-type]
                    contact_id=contact_id,
                    name_choice=name_choice,
                )
        except Exception as exc:
            self.post_message(JobFailed("save", exc))
            return
        self.post_message(ComplaintSaved(registered, form))

    def save_refused(self, message: JobFailed) -> dict[str, str]:
        """The save failed: the field errors under the fields, typing kept (and drafted);
        returns the fields in error."""
        self._saving = False
        problems = self.form.reveal_errors(message.fields)
        self.refresh_bindings()
        self.drafts.schedule()
        return problems
