"""Drafts of the workspace: what is typed is kept in the database as the person types
(in the outage journal's file while the server is unreachable).

Written at most ``DEBOUNCE`` seconds after the last change (and at least every
``MAX_WAIT`` seconds while typing goes on), in a thread worker. Saving a complaint or
ending a call starts a new *epoch*: a write scheduled before it is dropped, so a draft
can never reappear after its complaint was stored. All writes hold ``lock``, which the
save and end-call workers hold too, so they never interleave.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cs_console.domain.scripts import CallStep
from cs_console.i18n import t
from cs_console.ui.call_state import CallState
from cs_console.ui.messages import DraftFound, JobFailed

if TYPE_CHECKING:
    from textual.timer import Timer

    from cs_console.ui.screens.workspace import WorkspaceScreen

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


def apply_draft(screen: WorkspaceScreen, payload: dict[str, Any]) -> None:
    """Put a draft back: the form, the call fields, and the call itself if it was going on.

    Tolerates anything (an old or damaged draft): what cannot be read is left empty.
    """
    from cs_console.domain.complaint_entry import from_payload

    screen.form.load(from_payload(payload.get("form")))
    call = payload.get("call")
    screen.call_pane.load_call_fields(call if isinstance(call, dict) else {})
    contact_id, started = payload.get("contact_id"), _started(payload.get("call_started"))
    if isinstance(contact_id, int) and started is not None:
        step = payload.get("step")
        steps = CallStep._value2member_map_
        complaints = payload.get("complaints")
        screen.call = CallState(
            started_at=started,
            contact_id=contact_id,
            step=CallStep(step) if step in steps and step != "done" else CallStep.FACT_FINDING,
            complaints=[c for c in complaints if isinstance(c, str)]
            if isinstance(complaints, list)
            else [],
        )
        screen.header.call_started = started
        screen.header.tick()


class DraftKeeper:
    """Schedules, writes, offers and drops the workspace draft of the signed-in person."""

    KIND = "workspace"
    DEBOUNCE = 0.8
    MAX_WAIT = 3.0

    def __init__(self, screen: WorkspaceScreen) -> None:
        self.screen = screen
        self.lock = threading.Lock()
        self.epoch = 0
        self._ready = False  # false until a saved draft was offered (never overwrite it)
        self._timer: Timer | None = None
        self._first_change: float | None = None
        self._sequence = 0
        self._written = 0

    @property
    def ready(self) -> bool:
        return self._ready

    @ready.setter
    def ready(self, value: bool) -> None:
        self._ready = value
        self.screen.refresh_bindings()  # the workspace's actions wait for this

    # -- what is kept ---------------------------------------------------------------------

    def payload(self, *, with_call: bool = True) -> dict[str, Any]:
        from cs_console.domain.complaint_entry import to_payload

        screen = self.screen
        call = screen.call
        ongoing = with_call and call.active
        return {
            "version": VERSION,
            "contact_id": call.contact_id if ongoing else None,
            "call_started": call.started_at.isoformat() if ongoing and call.started_at else None,
            "step": call.step.value if ongoing else None,
            "complaints": list(call.complaints) if ongoing else [],
            "call": screen.call_pane.call_fields() if with_call else {},
            "form": to_payload(screen.form.typed_form()),
        }

    # -- writing --------------------------------------------------------------------------

    def schedule(self) -> None:
        """Something changed: write the draft soon."""
        screen = self.screen
        if not self.ready or screen.desk is None or screen.call.finishing:
            return
        now = time.monotonic()
        if self._first_change is None:
            self._first_change = now
        if self._timer is not None:
            self._timer.stop()
        # Never 0: textual 8.2's Timer divides by its interval when it runs late (a loaded
        # machine), and a ZeroDivisionError then ends the app.
        delay = min(self.DEBOUNCE, max(self._first_change + self.MAX_WAIT - now, 0.01))
        self._timer = screen.set_timer(delay, self._write_now)

    def new_epoch(self) -> None:
        """A complaint is being saved or the call stored: drop every pending write."""
        self.epoch += 1
        self._cancel()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self._first_change = None, None

    def _write_now(self, then: Callable[[], object] | None = None) -> None:
        self._cancel()
        self._sequence += 1
        payload, epoch, sequence = self.payload(), self.epoch, self._sequence
        self.screen.run_worker(
            lambda: self._write(payload, epoch, sequence, then),
            thread=True,
            group="draft",
            exit_on_error=False,
        )

    def _write(
        self,
        payload: dict[str, Any],
        epoch: int,
        sequence: int,
        then: Callable[[], object] | None,
    ) -> None:
        desk = self.screen.desk
        assert desk is not None
        try:
            with self.lock:
                if epoch == self.epoch and sequence > self._written:
                    kept = None if is_blank(payload) else payload  # None: discard it
                    desk.writes.save_draft(desk.actor, self.KIND, kept)
                    self._written = sequence
        except Exception as exc:
            self.screen.post_message(JobFailed("draft", exc))
        finally:
            if then is not None:
                self.screen.app.call_from_thread(then)

    def flush(self, then: Callable[[], object]) -> None:
        """Write what is on screen now, then call ``then`` (used before quitting)."""
        if not self.ready or self.screen.desk is None:
            then()
            return
        self._write_now(then)

    # -- offering a saved draft -----------------------------------------------------------

    def check(self) -> None:
        """After sign-in: is there a draft from last time?"""
        self.screen.run_worker(self._load, thread=True, group="draft-load", exit_on_error=False)

    def _load(self) -> None:
        desk = self.screen.desk
        assert desk is not None
        try:
            found = desk.writes.load_draft(desk.actor, self.KIND)
        except Exception as exc:
            self.screen.post_message(JobFailed("draft", exc))
            found = None  # the desk must work all the same; the error is shown
        payload, saved_at = found if found else (None, None)
        self.screen.post_message(DraftFound(payload, saved_at))

    def offer(self, found: DraftFound) -> None:
        from cs_console.ui.screens.draft_restore import DraftRestoreScreen

        payload = found.payload
        if not isinstance(payload, dict) or is_blank(payload):
            self.ready = True
            return
        screen = self.screen
        assert screen.desk is not None

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.ready = True
                self._write_now()  # the screen is blank: this removes the draft
                screen.notify(t("ui.draft.discarded"), markup=False)
                return
            screen.restore(payload)
            self.ready = True
            screen.notify(t("ui.draft.restored"), markup=False)

        screen.app.push_screen(
            DraftRestoreScreen(payload, found.saved_at, screen.desk.console.zone), chosen
        )
