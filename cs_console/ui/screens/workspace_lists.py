"""My clocks and the callback queue on the workspace: loading, polling, opening a clock.

A part of ``WorkspaceScreen`` (mixed in). The lists reload after every save and whenever
the database's change marker moved (looked at every ``POLL_EVERY`` seconds: another
console's write shows within 2 s). On PostgreSQL the screen also listens for the writes'
notifications (LISTEN/NOTIFY), so they show at once; the marker stays as the fallback.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work

from cs_console.ui.messages import JobFailed, ListsChanged, ListsLoaded

if TYPE_CHECKING:
    from cs_console.ui.widgets.clock_list import ClockList

# Seconds between looks at the change marker (one index-only lookup, well under 1 ms):
# a change is seen within this, and the lists reloaded, within the 2 s DESIGN.md promises.
POLL_EVERY = 1.0


class ListActions:
    """Loading the lists, following other consoles' changes, opening and attempting."""

    # -- the lists ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="lists")
    def load_lists(self) -> None:
        from cs_console.services import changes, worklists

        desk = self.desk
        if desk is None:
            return
        try:
            marker = changes.changes_since(desk.console)
            clocks = worklists.my_clocks(desk.console, desk.actor)
            queue = worklists.callback_queue(desk.console, desk.actor)
        except Exception as exc:
            self.post_message(JobFailed("lists", exc))
            return
        self.post_message(ListsLoaded(clocks, queue, marker))

    def on_lists_loaded(self, message: ListsLoaded) -> None:
        self._marker = message.marker
        if self._offline:
            self.show_outage(offline=False)
        self.loaded_clocks = message.clocks
        self.show_clock_rows()
        self.callback_queue.set_rows(message.queue)

    def _poll(self) -> None:
        self._poll_marker()

    _stop_following: threading.Event | None = None

    def follow_changes(self) -> None:
        """Listen for other consoles' writes (PostgreSQL), until the screen goes away."""
        if self._stop_following is None:
            self._stop_following = threading.Event()
            self._follow(self._stop_following)

    def stop_following_changes(self) -> None:
        if self._stop_following is not None:
            self._stop_following.set()

    @work(thread=True, group="follow")
    def _follow(self, stop: threading.Event) -> None:
        from cs_console.services.changes import follow_changes

        desk = self.desk
        if desk is None:
            return
        try:
            follow_changes(desk.console, lambda: self.post_message(ListsChanged()), stop)
        except Exception:  # the server went away: the change marker's polling carries on
            return

    @work(thread=True, exclusive=True, group="poll")
    def _poll_marker(self) -> None:
        from cs_console.services.changes import changes_since

        desk = self.desk
        if desk is None:
            return
        try:
            marker = changes_since(desk.console)
        except Exception as exc:
            self.post_message(JobFailed("poll", exc))
            return
        if marker != self._marker or self._offline:  # changed, or the server is back
            self.post_message(ListsChanged())

    def on_lists_changed(self, _message: ListsChanged) -> None:
        self.load_lists()
        self.load_board()  # the incident banner (ui/screens/workspace_incidents.py)

    def on_clock_list_opened(self, message: ClockList.Opened) -> None:
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        desk = self.desk
        if desk is None or self.pending_row_opened(message.complaint_id):
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()

        self.app.push_screen(
            ComplaintScreen(desk.console, desk.actor, message.complaint_id), closed
        )
