"""Drafts: what is typed is kept in the database as the person types (in the outage
journal's file while the server is unreachable), and offered back after a crash.

Written ``DEBOUNCE`` seconds after the last change and at least every ``MAX_WAIT`` seconds
while typing goes on (a kill -9 loses at most that and one write: tests/e2e/test_pty_drafts.py),
in a thread worker. One timer follows the typing (a key moves no timer), and one write is in
flight at a time: changes made meanwhile are written by one more write when it is done, with
what is on screen then. Saving a complaint or
ending a call starts a new *epoch*: a write scheduled before it is dropped, so a draft
can never reappear after its complaint was stored. All writes hold ``write_lock``, which the
save and end-call workers hold too, so they never interleave.

``DraftKeeper`` is the part shared by the workspace and the outlet counter, which say
what is kept (``payload``) and how a draft is put back (``restore``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.message import Message

from cs_console.domain.scripts import CallStep
from cs_console.i18n import t
from cs_console.ui.call_state import CallState
from cs_console.ui.jobs import job
from cs_console.ui.messages import DraftFound, Job
from cs_console.ui.workspace.parts import Part

if TYPE_CHECKING:
    from textual.timer import Timer

    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.neighbours import Bench

VERSION = 1
CALL_FIELDS = ("phone", "tracking_no", "contact_type", "notes", "outcome")


def is_blank(payload: dict[str, Any]) -> bool:
    """Nothing worth keeping: no call going on and nothing typed."""
    from cs_console.domain.complaint_entry import ComplaintForm, from_payload

    call = payload.get("call") or {}
    return (
        not payload.get("call_started")
        and not any(str(call.get(name) or "").strip() for name in CALL_FIELDS)
        and from_payload(payload.get("form")) == ComplaintForm()
    )


def _started(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        started = datetime.fromisoformat(value)
    except ValueError:
        return None
    return started if started.tzinfo is not None else None


class DraftKeeper(Part):
    """Schedules, writes, offers and drops the draft of the signed-in person."""

    KIND: ClassVar[str] = ""
    DEBOUNCE = 0.25  # seconds after the last change
    MAX_WAIT = 0.5  # seconds after the first change not yet written, while typing goes on

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.write_lock = threading.Lock()
        self.epoch = 0
        self._ready = False  # false until a saved draft was offered (never overwrite it)
        self._timer: Timer | None = None
        self._first_change: float | None = None
        self._last_change = 0.0
        self._sequence = 0
        self._written = 0
        self._writing = False  # a write is in flight
        self._again = False  # something to write once it is done
        self._waiting: list[Callable[[], object]] = []  # flushes waiting for that write

    @property
    def ready(self) -> bool:
        return self._ready

    @ready.setter
    def ready(self, value: bool) -> None:
        self._ready = value
        self.refresh_bindings()  # the screen's actions wait for this

    # -- what the screen keeps ------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        """What is on screen now, as it is kept."""
        raise NotImplementedError

    def held(self) -> bool:
        """Nothing is written now (a call being stored writes its own end)."""
        return False

    def restore(self, payload: dict[str, Any]) -> None:
        """Put a saved draft back on screen."""
        raise NotImplementedError

    # -- writing --------------------------------------------------------------------------

    def schedule(self) -> None:
        """Something changed: write the draft soon."""
        if not self.ready or self.held():
            return
        now = time.monotonic()
        self._last_change = now
        if self._first_change is None:
            self._first_change = now
        if self._timer is None:
            self._arm(now)

    def _due_at(self) -> float:
        assert self._first_change is not None
        return min(self._last_change + self.DEBOUNCE, self._first_change + self.MAX_WAIT)

    def _arm(self, now: float) -> None:
        # Never 0: textual 8.2's Timer divides by its interval when it runs late (a loaded
        # machine), and a ZeroDivisionError then ends the app.
        self._timer = self.after(max(self._due_at() - now, 0.01), self._due)

    def _due(self) -> None:
        self._timer = None
        if self._first_change is None:  # written or dropped meanwhile
            return
        now = time.monotonic()
        if now < self._due_at() - 0.005:  # typed since the timer was set: not yet
            self._arm(now)
            return
        self._write_now()

    def new_epoch(self) -> None:
        """A complaint is being saved or the call stored: drop every pending write."""
        self.epoch += 1
        self._again = False
        self._cancel()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self._first_change = None, None

    def _write_now(self, then: Callable[[], object] | None = None) -> None:
        self._cancel()
        if then is not None:
            self._waiting.append(then)
        if self._writing:  # coalesced: written once the write in flight is done
            self._again = True
            return
        thens, self._waiting = self._waiting, []
        self._writing = True
        self._sequence += 1
        self._write(self.payload(), self.epoch, self._sequence, thens)

    class Written(Message, bubble=False):
        """A write is done (or dropped): whoever waited on it goes on."""

        def __init__(self, thens: list[Callable[[], object]]) -> None:
            super().__init__()
            self.thens = thens

    def on_draft_keeper_written(self, message: DraftKeeper.Written) -> None:
        self._writing = False
        for then in message.thens:
            then()
        if self._again:
            self._again = False
            self._write_now()
        elif self._waiting:  # dropped by a new epoch: whoever waits goes on
            waiting, self._waiting = self._waiting, []
            for then in waiting:
                then()

    @job(Job.DRAFT)
    def _write(
        self,
        payload: dict[str, Any],
        epoch: int,
        sequence: int,
        thens: list[Callable[[], object]],
    ) -> None:
        desk = self.desk
        try:
            with self.write_lock:
                if epoch == self.epoch and sequence > self._written:
                    kept = None if is_blank(payload) else payload  # None: discard it
                    desk.writes.save_draft(desk.actor, self.KIND, kept)
                    self._written = sequence
        finally:  # a message, not call_from_thread: a thread never waits on a closing app
            self.post_message(DraftKeeper.Written(thens))

    def flush(self, then: Callable[[], object]) -> None:
        """Write what is on screen now, then call ``then`` (used before quitting)."""
        if not self.ready:
            then()
            return
        self._write_now(then)

    # -- offering a saved draft -----------------------------------------------------------

    def on_mount(self) -> None:
        self._load()  # signed in: is there a draft from last time?

    @job(Job.DRAFT, group="draft-load")
    def _load(self) -> None:
        found = None
        try:
            found = self.desk.writes.load_draft(self.desk.actor, self.KIND)
        finally:  # the desk must work all the same; a failure is shown
            payload, saved_at = found if found else (None, None)
            self.post_message(DraftFound(payload, saved_at))

    def on_draft_found(self, found: DraftFound) -> None:
        from cs_console.ui.screens.draft_restore import DraftRestoreScreen

        payload = found.payload
        if not isinstance(payload, dict) or is_blank(payload):
            self.ready = True
            return

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.ready = True
                self._write_now()  # the screen is blank: this removes the draft
                self.notify(t("ui.draft.discarded"), markup=False)
                return
            self.restore(payload)
            self.ready = True
            self.notify(t("ui.draft.restored"), markup=False)

        self.app.push_screen(
            DraftRestoreScreen(payload, found.saved_at, self.desk.console.zone), chosen
        )


class WorkspaceDrafts(DraftKeeper):
    """The workspace's draft: the call going on, the call pane and the form."""

    KIND = "workspace"

    def __init__(self, desk: Desk, bench: Bench) -> None:
        super().__init__(desk)
        self.bench = bench

    def held(self) -> bool:
        return self.bench.call.call.finishing

    def payload(self) -> dict[str, Any]:
        from cs_console.domain.complaint_entry import to_payload

        bench = self.bench
        call = bench.call.call
        ongoing = call.active
        return {
            "version": VERSION,
            "contact_id": call.contact_id if ongoing else None,
            "call_started": call.started_at.isoformat() if ongoing and call.started_at else None,
            "step": call.step.value if ongoing else None,
            "complaints": list(call.complaints) if ongoing else [],
            "call": bench.call_pane.call_fields(),
            "form": to_payload(bench.form_pane.typed_form()),
        }

    def restore(self, payload: dict[str, Any]) -> None:
        """The form, the call fields, and the call itself if it was going on (which goes
        on); an old or damaged draft puts back what can be read."""
        from cs_console.domain.complaint_entry import from_payload

        bench = self.bench
        bench.form_pane.load(from_payload(payload.get("form")))
        call = payload.get("call")
        bench.call_pane.load_call_fields(call if isinstance(call, dict) else {})
        contact_id, started = payload.get("contact_id"), _started(payload.get("call_started"))
        if isinstance(contact_id, int) and started is not None:
            step = str(payload.get("step"))
            complaints = payload.get("complaints")
            bench.call.call = CallState(
                started_at=started,
                contact_id=contact_id,
                step=CallStep(step)
                if step in CallStep._value2member_map_ and step != "done"
                else CallStep.FACT_FINDING,
                complaints=[c for c in complaints if isinstance(c, str)]
                if isinstance(complaints, list)
                else [],
            )
            bench.header.call_started = started
            bench.header.tick()
        bench.call.resume_stored()
        bench.call.show_script()
        bench.preview.refresh_preview()
        self.refresh_bindings()
        # The agent goes on typing at once: the caller's number while the call has none,
        # else the form where it stops (never a key line that swallows the digits).
        if bench.call.call.active and not bench.call_pane.phone.strip():
            bench.call_pane.focus_phone()
        else:
            bench.form_pane.focus_first_empty()
