"""My clocks and the callback queue on the workspace: loading, polling, acting on them.

A part of ``WorkspaceScreen`` (mixed in). The lists reload after every save and whenever
the database's change marker moved (looked at every ``POLL_EVERY`` seconds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from cs_console.config.language import t
from cs_console.ui.messages import AttemptRecorded, JobFailed, ListsChanged, ListsLoaded

if TYPE_CHECKING:
    from cs_console.ui.widgets.callback_queue import CallbackQueue
    from cs_console.ui.widgets.clock_list import ClockList

POLL_EVERY = 2.0  # seconds between looks at the change marker


class ListActions:
    """Loading the lists, following other consoles' changes, opening and attempting."""

    # -- the lists ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="lists")
    def load_lists(self) -> None:
        from cs_console.services import worklists

        desk = self.desk
        if desk is None:
            return
        try:
            marker = worklists.changes_since(desk.console)
            clocks = worklists.my_clocks(desk.console, desk.actor)
            queue = worklists.callback_queue(desk.console, desk.actor)
        except Exception as exc:
            self.post_message(JobFailed("lists", exc))
            return
        self.post_message(ListsLoaded(clocks, queue, marker))

    def on_lists_loaded(self, message: ListsLoaded) -> None:
        self._marker = message.marker
        self._offline = False
        self.clock_list.set_rows(message.clocks)
        self.callback_queue.set_rows(message.queue)
        self.header.rows = message.clocks
        self.header.tick()

    def _poll(self) -> None:
        self._poll_marker()

    @work(thread=True, exclusive=True, group="poll")
    def _poll_marker(self) -> None:
        from cs_console.services.worklists import changes_since

        desk = self.desk
        if desk is None:
            return
        try:
            marker = changes_since(desk.console)
        except Exception as exc:
            self.post_message(JobFailed("poll", exc))
            return
        if marker != self._marker:
            self.post_message(ListsChanged())

    def on_lists_changed(self, _message: ListsChanged) -> None:
        self.load_lists()
        self.load_board()  # the incident banner (ui/screens/workspace_incidents.py)

    def on_clock_list_opened(self, message: ClockList.Opened) -> None:
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        desk = self.desk
        if desk is None:
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()

        self.app.push_screen(
            ComplaintScreen(desk.console, desk.actor, message.complaint_id), closed
        )

    def on_callback_queue_attempt_chosen(self, message: CallbackQueue.AttemptChosen) -> None:
        self._record_attempt(message.callback_id, message.outcome, message.satisfaction)

    @work(thread=True, exclusive=True, group="attempt")
    def _record_attempt(self, callback_id: int, outcome: object, satisfaction: int | None) -> None:
        from cs_console.services.callbacks import record_attempt

        desk = self.desk
        assert desk is not None
        try:
            status = record_attempt(
                desk.console,
                desk.actor,
                callback_id,
                outcome,
                satisfaction=satisfaction,  # type: ignore[arg-type]
            )
        except Exception as exc:
            self.post_message(JobFailed("attempt", exc))
            return
        self.post_message(AttemptRecorded(str(status)))

    def on_attempt_recorded(self, message: AttemptRecorded) -> None:
        self.notify(t(f"ui.callback.status.{message.status}"), markup=False)
        self.load_lists()
