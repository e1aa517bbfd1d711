"""My clocks, and loading the lists: after every save, and whenever the database's change
marker moved (looked at every ``POLL_EVERY`` seconds: another console's write shows
within 2 s). On PostgreSQL the part also listens for the writes' notifications
(LISTEN/NOTIFY), so they show at once; the marker stays as the fallback.

``ClocksPart`` loads my clocks and the callback queue in one worker (one marker for both)
and shows my clocks, the complaints still waiting in the outage journal first.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from cs_console.ui.jobs import job
from cs_console.ui.messages import Job, ListsChanged, ListsLoaded
from cs_console.ui.workspace.layout import show_lists
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.bench import Bench

# Seconds between looks at the change marker (one index-only lookup, well under 1 ms):
# a change is seen within this, and the lists reloaded well within 2 seconds.
POLL_EVERY = 1.0


class ClocksPart(WorkspacePart):
    """Loading the lists, following other consoles' changes, opening a clock."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "my_clocks", "ui.key.my_clocks", key_display="F10", id="my-clocks"),
    ]
    WAITS_FOR_DRAFT = frozenset({"my_clocks"})

    def __init__(self, desk: Desk, bench: Bench) -> None:
        super().__init__(desk, bench)
        self.loaded: list[ClockRow] = []  # my clocks as last loaded from the server
        self._marker: int | None = None
        self._stop_following = threading.Event()

    def on_mount(self) -> None:
        self.load_lists()
        self.set_interval(POLL_EVERY, self._poll_marker)
        self._follow()

    def on_unmount(self) -> None:
        self._stop_following.set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "my_clocks" and not self.screen.has_class("-wide"):
            return False  # F10 is for wide screens; on a narrow one F7 shows and enters them
        return super().check_action(action, parameters)

    def action_my_clocks(self) -> None:
        """F10: into my clocks (Enter opens the complaint), the lists shown if folded away."""
        show_lists(self.screen)
        self.bench.clocks_pane.focus()

    # -- the lists ------------------------------------------------------------------------

    @job(Job.LISTS, exclusive=True)
    def load_lists(self) -> None:
        from cs_console.services import changes, worklists

        desk = self.desk
        marker = changes.changes_since(desk.console)
        clocks = worklists.my_clocks(desk.console, desk.actor)
        queue = worklists.callback_queue(desk.console, desk.actor)
        self.post_message(ListsLoaded(clocks, queue, marker))

    def on_lists_loaded(self, message: ListsLoaded) -> None:
        self._marker = message.marker
        outage = self.bench.outage
        if outage.offline:
            outage.show_outage(offline=False)
        self.loaded = message.clocks
        self.show_rows()
        self.bench.callbacks.show(message.queue)

    def show_rows(self) -> None:
        """My clocks: the complaints still waiting in the journal, then the last loaded."""
        rows = [*self.bench.outage.pending_rows, *self.loaded]
        self.bench.clocks_pane.set_rows(rows)
        self.bench.header.rows = rows
        self.bench.header.tick()

    @job(Job.POLL, exclusive=True)
    def _poll_marker(self) -> None:
        from cs_console.services.changes import changes_since

        marker = changes_since(self.desk.console)
        if marker != self._marker or self.bench.outage.offline:  # changed, or server back
            self.post_message(ListsChanged())

    def _follow(self) -> None:
        """Listen for other consoles' writes (PostgreSQL), until the part goes away."""
        stop = self._stop_following

        def changed() -> None:
            self.post_message(ListsChanged())

        def follow() -> None:
            from cs_console.services.changes import follow_changes

            # The server went away: the change marker's polling carries on.
            with contextlib.suppress(Exception):
                follow_changes(self.desk.console, changed, stop)

        self.run_worker(follow, thread=True, group="follow", exit_on_error=False)

    def on_lists_changed(self, _message: ListsChanged) -> None:
        self.load_lists()
        self.bench.incidents.load_board()

    # -- opening a clock ------------------------------------------------------------------

    def open_complaint(self, complaint_id: int) -> None:
        """Enter on a clock: the complaint screen (not for one still in the journal)."""
        from cs_console.ui.screens.complaint_detail import ComplaintScreen

        if self.bench.outage.pending_row_opened(complaint_id):
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.load_lists()

        self.app.push_screen(
            ComplaintScreen(self.desk.console, self.desk.actor, complaint_id), closed
        )
