"""Complaint forms kept for later: the form belongs to the call.

Ending a call with an unsaved form asks what becomes of it (save, keep for later,
discard); a form typed between calls is kept when the next call starts, so every call
starts with an empty form and nothing of one caller shows to the next. Kept forms are
drafts of their own (services/drafts.py), counted above the form and listed with F12,
from where one is put back into the form of a later call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from cs_console.i18n import t
from cs_console.ui.jobs import job
from cs_console.ui.messages import Job, KeptDraftsLoaded
from cs_console.ui.workspace.drafts import VERSION
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from cs_console.services.drafts import KeptDraft


class KeptPart(WorkspacePart):
    """Keep, settle, list and put back complaint forms kept for later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f12",
            "kept_drafts",
            "ui.key.kept_drafts",
            key_display="F12",
            show=False,
            id="kept-drafts",
        ),
    ]
    WAITS_FOR_DRAFT = frozenset({"kept_drafts"})

    _last_kept = ""  # the kind of the last form this console kept (kinds never repeat)

    def form_unsaved(self) -> bool:
        """Something typed in the complaint form beyond the phone and parcel carried from
        the call pane: ending the call asks what becomes of it."""
        pane = self.bench.call_pane
        carried = {"phone": pane.phone, "tracking_no": pane.tracking_no}
        return self.bench.form_pane.has_typing(carried)

    def keep_form(self, notice_key: str = "") -> bool:
        """Keep the complaint form as a draft for later and empty it; False if there was
        nothing to keep. The form is emptied at once; the draft is written in a worker
        (into the outage journal while the server is away), then the count is read again."""
        from cs_console.domain.complaint_entry import to_payload
        from cs_console.services.drafts import kept_kind

        if not self.form_unsaved():
            return False
        form = self.bench.form_pane
        payload = {"version": VERSION, "form": to_payload(form.typed_form())}
        kind = self._last_kept = kept_kind(self.desk.console.now(), self._last_kept)
        form.clear()
        self._write_kept(kind, payload)
        if notice_key:
            self.notify(t(notice_key), markup=False)
        return True

    def settle_form(self, then: Callable[[], object]) -> None:
        """The call ends with an unsaved form: save it, keep it for later, or discard it,
        then ``then`` (ending the call goes on; not after a save: the script moves on by
        itself, to the reference and the closing question). Esc: back to the call."""
        from cs_console.domain.complaint_entry import to_payload
        from cs_console.ui.screens.kept_drafts import UnsavedFormScreen, unsaved_summary

        form = self.bench.form_pane
        summary = unsaved_summary({"form": to_payload(form.typed_form())})

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.bench.form.action_save_complaint()
            elif choice == "keep":
                self.keep_form("ui.kept.kept")
                then()
            elif choice == "discard":
                form.clear()
                self.notify(t("ui.kept.discarded"), markup=False)
                then()

        self.app.push_screen(UnsavedFormScreen(summary), chosen)

    # -- the list (F12) -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.load_kept()  # the count above the form

    def action_kept_drafts(self) -> None:
        """F12: the complaint forms kept for later; Enter puts one in the form."""
        self.load_kept(show=True)

    @job(Job.KEPT)
    def load_kept(self, *, show: bool = False) -> None:
        """Read the kept forms (``show``: then open their list)."""
        drafts = self.desk.writes.kept_drafts(self.desk.actor)
        self.post_message(KeptDraftsLoaded(drafts, show=show))

    @job(Job.DRAFT, group="kept-write")
    def _write_kept(self, kind: str, payload: dict[str, Any] | None) -> None:
        self.desk.writes.save_draft(self.desk.actor, kind, payload)
        self.app.call_from_thread(self.load_kept)  # the count above the form

    def on_kept_drafts_loaded(self, message: KeptDraftsLoaded) -> None:
        from cs_console.ui.screens.kept_drafts import KeptDraftsScreen

        line = self.bench.kept_line
        count = len(message.drafts)
        line.update(t("ui.kept.line", count=count) if count else "")
        line.set_class(bool(count), "-shown")
        if message.show:
            screen = KeptDraftsScreen(message.drafts, self.desk.console.zone)
            self.app.push_screen(screen, self._kept_chosen)

    def _kept_chosen(self, choice: tuple[str, KeptDraft] | None) -> None:
        """From the list: put a kept form back into the form (a form there is kept in its
        place), or delete it."""
        if choice is None:
            return
        from cs_console.domain.complaint_entry import from_payload

        action, draft = choice
        if action == "restore":
            self.keep_form("ui.kept.swapped")
            self.bench.form_pane.load(from_payload(draft.payload.get("form")))
            self.bench.form.action_complaint_form()
            self.notify(t("ui.kept.restored"), markup=False)
        else:
            self.notify(t("ui.kept.deleted"), markup=False)
        self._write_kept(draft.kind, None)
