"""One watcher of the database for every screen that shows what other consoles write.

A screen mounts ``ChangeWatcher(console, every=seconds)`` and handles
``ChangeWatcher.DataChanged`` by reloading what it shows. On PostgreSQL the watcher listens
for the writes' notifications (LISTEN/NOTIFY): a write shows at once, and no query runs
while nothing is written. On SQLite, which cannot notify, it reads the change marker every
``every`` seconds (one index-only lookup). Either way a burst of writes is one message at
most every ``every`` seconds.

When listening fails or its connection drops, the watcher polls the marker instead and
listens again as soon as the server answers (or ``LISTEN_RETRY`` seconds later, if it
answered all along). A failed look is posted as ``JobFailed(job, error)``, the screen's own
way of showing a server that went away; once the server answers again, a ``DataChanged``
follows. A ``DataChanged`` is also posted as soon as watching begins: anything written
before that may be missing from what the screen loaded.

All of it runs in one thread worker, which ends when the widget is unmounted (Textual
cancels the node's workers; the worker's cancelled event is the stop signal).
"""

from __future__ import annotations

import threading
from time import monotonic
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from cs_console.ui.messages import JobFailed

if TYPE_CHECKING:
    from cs_console.services.context import ServiceContext

# Seconds before listening is tried again after it failed while the server answered polls
# (a server that refuses LISTEN is not asked every poll).
LISTEN_RETRY = 10.0


class ChangeWatcher(Widget):
    """Posts ``DataChanged`` when the database changed; shows nothing."""

    class DataChanged(Message):
        """Something was written (by any console), or watching (re)began: reload."""

    def __init__(
        self, console: ServiceContext, *, every: float, job: str = "poll", id: str | None = None
    ) -> None:
        """``every``: seconds between looks at the marker (and the least time between two
        messages); ``job``: the name its failures are posted under (``JobFailed.job``)."""
        super().__init__(id=id)
        self.console, self.every, self.job = console, every, job
        self.display = False

    def on_mount(self) -> None:
        self._watch()

    def _changed(self) -> None:
        self.post_message(self.DataChanged())

    # The group "follow": the tests' settle() waits for every worker but these, which
    # run as long as the screen does.
    @work(thread=True, exclusive=True, group="follow", exit_on_error=False)
    def _watch(self) -> None:
        stop = get_current_worker().cancelled_event
        listen_at: float | None = 0.0  # when to try listening next; None: cannot (SQLite)
        marker: int | None = None  # the marker last read while polling
        failing = False
        while not stop.is_set():
            if listen_at is not None and monotonic() >= listen_at:
                if not self._listen(stop):
                    listen_at = None
                    continue
                if stop.is_set():
                    return
                listen_at, marker = monotonic() + LISTEN_RETRY, None
            now = self._read_marker(stop)
            if now is None:
                failing = True
            elif failing and listen_at is not None:
                listen_at, failing = 0.0, False  # the server is back: listening again tells
                continue
            else:
                if now != marker or failing:  # it moved, the server is back, or first look
                    self._changed()
                marker, failing = now, False
            stop.wait(self.every)

    def _listen(self, stop: threading.Event) -> bool:
        """Listen until ``stop`` (True) or until the connection fails (True, stop unset);
        False where the database cannot notify."""
        from cs_console.services.changes import follow_changes

        try:
            return follow_changes(
                self.console,
                self._changed,
                stop,
                at_most_every=self.every,
                on_listening=self._changed,
            )
        except Exception:  # the connection failed or dropped: poll until listening again
            return True

    def _read_marker(self, stop: threading.Event) -> int | None:
        """The change marker, or None when it could not be read (``JobFailed`` posted)."""
        from cs_console.services.changes import changes_since

        try:
            return changes_since(self.console)
        except Exception as exc:
            if not stop.is_set():
                self.post_message(JobFailed(self.job, exc))
            return None
