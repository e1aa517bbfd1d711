"""Who is calling: the script follows what is typed, and the caller is looked up (F6 goes
to the phone) once typing pauses; their history shows in the call pane.

``CallerPart`` looks the caller up by the call pane's phone and tracking number, else the
form's, and gives the preview the earlier unresolved complaint a new one would repeat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from cs_console.domain.validation import (
    normalize_phone,
    normalize_reference,
    normalize_tracking_no,
    tracking_not_phone,
)
from cs_console.i18n import t
from cs_console.ui.messages import Job, JobFailed
from cs_console.ui.workspace.lookup import NOTHING, CallerLookup, Key
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import ComposeResult

    from cs_console.services.calls import CallerHistory
    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.neighbours import Bench


def _names_someone(text: str, normalize: Callable[[str], str | None]) -> bool:
    """A number valid for its field, or a complaint reference quoted in it."""
    return normalize(text) is not None or normalize_reference(text) is not None


def history_parcel(history: CallerHistory) -> str | None:
    """The parcel the caller's history names: the quoted complaint's, else their last
    contact's."""
    if history.found is not None:
        return history.found.tracking_no
    return next((c.tracking_no for c in history.recent if c.tracking_no), None)


class CallerPart(WorkspacePart):
    """The caller's look-up and history, and the script following what is typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f6,ctrl+f", "find_caller", "ui.key.find_caller", key_display="F6", id="find-caller"
        ),
    ]
    WAITS_FOR_DRAFT = frozenset({"find_caller"})

    def __init__(self, desk: Desk, bench: Bench) -> None:
        super().__init__(desk, bench)
        self.lookup = CallerLookup(desk, Job.HISTORY, self._caller_key, self._history, self._found)

    def compose(self) -> ComposeResult:
        yield self.lookup

    def action_find_caller(self) -> None:
        self.bench.call_pane.focus_phone()

    def caller_typed(self, field: str, previous: str, value: str) -> None:
        """A phone or tracking number typed in the call pane: carried into the form (a
        quoted complaint reference is none: what was carried is taken back), the script
        follows, and the caller is looked up."""
        quoted = normalize_reference(value) is not None
        parcel = field == "phone" and tracking_not_phone(value) is not None  # F6: a parcel
        self.bench.form_pane.carry(field, previous, "" if quoted or parcel else value)
        self.follow_typing(field, value)
        self.schedule_lookup()

    def forget(self) -> None:
        """The call ended: the next caller is someone else."""
        self.bench.preview.repeat_of = None
        self.lookup.forget()

    def follow_typing(self, field: str, value: str) -> None:
        """The script follows what is typed: a valid phone or tracking number identifies
        the parcel; a phone or a name is personal data (the privacy notice, once)."""
        call = self.bench.call.call
        if not call.active or call.finishing:
            return
        if field == "phone" and tracking_not_phone(value) is not None:
            field = "tracking_no"  # a parcel typed in the caller field (F6)
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
            self.bench.call.moved()

    # -- the look-up ----------------------------------------------------------------------

    def refresh_history(self) -> None:
        """Look the caller up again (a complaint or callback of theirs was just stored)."""
        self.lookup.again()

    def schedule_lookup(self) -> None:
        self.lookup.schedule()

    def _caller_key(self) -> Key:
        """What to look the caller up by: the call pane's phone and tracking number, else
        the form's; only values that can name someone (a valid number or a complaint
        reference), so that a half-typed or invalid number makes no claim about the caller."""
        pane, typed = self.bench.call_pane, self.bench.form_pane.typed_form()
        phones = (pane.phone, typed.phone)
        parcels = (pane.tracking_no, typed.tracking_no, tracking_not_phone(pane.phone) or "")
        phone = next((p.strip() for p in phones if _names_someone(p, normalize_phone)), "")
        parcel = next((p.strip() for p in parcels if _names_someone(p, normalize_tracking_no)), "")
        return phone, parcel

    def _history(self, key: Key) -> CallerHistory:  # in the look-up's worker
        from cs_console.services.calls import caller_history

        phone, tracking_no = key
        return caller_history(
            self.desk.console,
            self.desk.actor,
            phone=phone,
            tracking_no=tracking_no,
            contact_id=self.bench.call.call.contact_id,
        )

    def _found(self, key: Key, history: CallerHistory) -> None:
        nothing_typed = key == NOTHING
        bench = self.bench
        zone = self.desk.console.zone
        bench.call_pane.show_history(None if nothing_typed else history, zone)
        bench.preview.repeat_of = history.repeat_of
        if not bench.saving.saving:  # the form being saved is not classified against itself
            bench.preview.refresh_preview()
        if not nothing_typed:
            bench.incidents.show_incident_script(history.incidents)
        bench.parcel.history_parcel(None if nothing_typed else history_parcel(history))

    def on_job_failed(self, message: JobFailed) -> None:
        from cs_console.services.journal.writes import is_outage

        if message.job == Job.HISTORY and is_outage(message.error):
            self.bench.call_pane.show_unavailable(t("journal.history.offline"))

    # -- a complaint of the caller's history ----------------------------------------------

    def open_complaint(self, complaint_id: int) -> None:
        """Enter on a complaint of the caller's history: the complaint screen."""
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.bench.clocks.load_lists()
                self.refresh_history()

        self.app.push_screen(
            ComplaintScreen(self.desk.console, self.desk.actor, complaint_id), closed
        )
