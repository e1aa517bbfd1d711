"""My clocks, and loading the lists: after every save, and whenever any console wrote
(``ChangeWatcher``: on PostgreSQL the writes' notifications, at once; on SQLite the change
marker, looked at every ``POLL_EVERY`` seconds, so another console's write shows within
2 s). A failed look is the watcher's ``JobFailed`` (``Job.POLL``), told once.

``ClocksPart`` loads my clocks and the callback queue in one worker (one marker for both)
and shows my clocks, the complaints still waiting in the outage journal first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from cs_console.ui.change_watcher import ChangeWatcher
from cs_console.ui.jobs import job
from cs_console.ui.messages import Job, ListsLoaded
from cs_console.ui.workspace.layout import show_lists
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.neighbours import Bench

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

    def compose(self) -> ComposeResult:
        yield ChangeWatcher(self.desk.console, every=POLL_EVERY, job=Job.POLL)

    def on_mount(self) -> None:
        self.load_lists()

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
        from cs_console.services import worklists

        desk = self.desk
        clocks = worklists.my_clocks(desk.console, desk.actor)
        queue = worklists.callback_queue(desk.console, desk.actor)
        self.post_message(ListsLoaded(clocks, queue))

    def on_lists_loaded(self, message: ListsLoaded) -> None:
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

    def on_change_watcher_data_changed(self, _message: ChangeWatcher.DataChanged) -> None:
        self.load_lists()  # written by any console, or the server is back
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
