"""What the workspace's parts offer each other, and the bench they sit on.

A part reaches a neighbour only through the port declared here: the few methods and
attributes the others may use, typed. The ports name no part class, so a part module never
imports another (nor ``bench.py``, which makes them): the parts can be changed, replaced or
tested alone, and adding one never closes a circle of imports. ``seat`` in ``bench.py``
puts the real parts on the ``Bench``; mypy checks there that each one fits its port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import Static

    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.domain.enums import AttemptOutcome
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.incidents import IncidentNotice
    from cs_console.services.journal.replay import SentWrite
    from cs_console.services.worklists import ClockRow, QueueRow
    from cs_console.ui.call_state import CallState
    from cs_console.ui.messages import ComplaintSaved, JobFailed
    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.callback_queue import CallbackQueue
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.widgets.desk_header import DeskHeader
    from cs_console.ui.widgets.severity_preview import SeverityPreview


class CallPort(Protocol):
    """The call going on: its state, the script, and leaving the screen."""

    call: CallState
    waiting_phone: str | None  # a ring's caller, typed in when the call is answered

    def action_start_call(self) -> None: ...
    def moved(self) -> None: ...
    def aside(self, key: str, text: str, *, then_step: bool = False) -> None: ...
    def resume_stored(self) -> None: ...
    def show_script(self) -> None: ...
    def leave(self, then: Callable[[], object]) -> None: ...
    def pane_changed(self) -> None: ...
    def query_may_have_changed(self) -> None: ...


class CallerPort(Protocol):
    """Who is calling: the look-up by phone and tracking number, and their history."""

    def forget(self) -> None: ...
    def follow_typing(self, field: str, value: str) -> None: ...
    def refresh_history(self) -> None: ...
    def schedule_lookup(self) -> None: ...
    def caller_typed(self, field: str, previous: str, value: str) -> None: ...
    def open_complaint(self, complaint_id: int) -> None: ...


class FormPort(Protocol):
    """The complaint form: opening, saving, and what a save or a replay brought back."""

    def clear_banner(self) -> None: ...
    def action_complaint_form(self) -> None: ...
    def action_save_complaint(self) -> None: ...
    def sent(self, provisional: str | None, sent: SentWrite) -> None: ...
    def form_changed(self, field: str, value: str, *, typed: bool) -> None: ...
    def saved(self, message: ComplaintSaved) -> None: ...


class PreviewPort(Protocol):
    """The live classification of the form, and the earlier complaint it repeats."""

    repeat_of: str | None

    def refresh_preview(self) -> None: ...


class SavingPort(Protocol):
    """The save in flight, and the name on file looked up before it."""

    saving: bool

    def save(self, contact_id: int | None = None) -> bool: ...
    def schedule_name_lookup(self) -> None: ...


class KeptPort(Protocol):
    """Forms kept aside during a call."""

    def form_unsaved(self) -> bool: ...
    def keep_form(self, notice_key: str = "") -> bool: ...
    def settle_form(self, then: Callable[[], object]) -> None: ...


class DraftsPort(Protocol):
    """The draft written as the person types."""

    KIND: ClassVar[str]
    write_lock: threading.Lock  # held by every write of the draft, the save and the call's end

    @property
    def ready(self) -> bool: ...
    def schedule(self) -> None: ...
    def new_epoch(self) -> None: ...
    def flush(self, then: Callable[[], object]) -> None: ...


class ClocksPort(Protocol):
    """My clocks."""

    def load_lists(self) -> object: ...
    def show_rows(self) -> None: ...
    def open_complaint(self, complaint_id: int) -> None: ...


class CallbacksPort(Protocol):
    """The callback queue."""

    def show(self, rows: list[QueueRow]) -> None: ...
    def attempt_chosen(self, outcome: AttemptOutcome, row: QueueRow) -> None: ...
    def reveal_asked(self, callback_id: int) -> None: ...
    def undo_attempt(self, attempt_id: int) -> object: ...


class IncidentsPort(Protocol):
    """Open incidents: the banner and the script line for callers they touch."""

    def load_board(self) -> object: ...
    def show_incident_script(self, notices: tuple[IncidentNotice, ...]) -> None: ...
    def notify_linked(self, labels: tuple[str, ...]) -> None: ...


class OutagePort(Protocol):
    """The outage journal: what waits in it and its replay."""

    pending_rows: list[ClockRow]
    offline: bool

    def show_outage(self, *, offline: bool) -> None: ...
    def replay_journal(self) -> object: ...
    def keep_pending(self, registered: RegisteredComplaint, form: ComplaintForm) -> None: ...
    def pending_row_opened(self, complaint_id: int) -> bool: ...
    def worth_telling(self, message: JobFailed) -> bool: ...


class ParcelPort(Protocol):
    """The parcel box: the tracking of the call's parcel."""

    def number_changed(self) -> None: ...
    def history_parcel(self, tracking_no: str | None) -> None: ...
    def forget(self) -> None: ...
    def action_parcel_timeline(self) -> None: ...


class Bench:
    """The panes and parts of one workspace, set down by ``bench.seat``."""

    header: DeskHeader
    call_pane: CallPane
    form_pane: ComplaintFormPane
    preview_pane: SeverityPreview
    saved_banner: Static
    kept_line: Static
    incident_banner: Static
    clocks_pane: ClockList
    queue_pane: CallbackQueue
    call: CallPort
    caller: CallerPort
    form: FormPort
    preview: PreviewPort
    saving: SavingPort
    kept: KeptPort
    drafts: DraftsPort
    clocks: ClocksPort
    callbacks: CallbacksPort
    incidents: IncidentsPort
    outage: OutagePort
    parcel: ParcelPort
    parts: list[Widget]  # every part, in the order they are mounted
