"""The base of the workspace's parts, and the bench through which they reach each other.

A part is a non-visual widget the screen mounts once someone is signed in and the panes
are built: it owns a piece of the workspace's state, the keys that act on it (``BINDINGS``
with ids; the screen lends them its key chain, see ``keys.py``), and the thread workers
that call the services (``ui.jobs.job``: a failure is posted as ``JobFailed``). It gets the
signed-in desk when it is made, typed, never looked up.

The panes are the visual widgets (``CallPane``, ``ComplaintFormPane`` …); a part drives
the panes it is given on the bench, and asks the other parts through their typed methods
there, or posts a message that the screen routes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.widget import Widget

from cs_console.ui.closing import while_open
from cs_console.ui.widgets.binding_text import translate_bindings

if TYPE_CHECKING:
    from textual.timer import Timer

    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.neighbours import Bench


class Part(Widget):
    """A piece of a desk screen with its state, keys and workers, for one signed-in desk."""

    DEFAULT_CSS = "Part { display: none; }"
    # Shown greyed out until a saved draft was offered: typing first would be overwritten.
    WAITS_FOR_DRAFT: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk

    def after(self, delay: float, callback: Callable[[], object]) -> Timer:
        """``callback`` in ``delay`` seconds, unless the console is closing by then."""
        return self.set_timer(delay, while_open(self, callback))

    def every(self, interval: float, callback: Callable[[], object]) -> Timer:
        """``callback`` every ``interval`` seconds while the console is open."""
        return self.set_interval(interval, while_open(self, callback))


class WorkspacePart(Part):
    """A part of the agent workspace: the desk, and the bench of its neighbours."""

    def __init__(self, desk: Desk, bench: Bench) -> None:
        super().__init__(desk)
        self.bench = bench

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: possible now; None: shown greyed out (not before the draft was offered)."""
        if action in self.WAITS_FOR_DRAFT and not self.bench.drafts.ready:
            return None
        return True
