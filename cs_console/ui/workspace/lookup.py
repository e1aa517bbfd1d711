"""The caller looked up once typing pauses, on the agent's workspace and the outlet counter.

``CallerLookup`` reads what to look the caller up by (their phone and tracking number,
from wherever its owner has them), waits ``DEBOUNCE`` seconds after the last change, asks
the services in a thread worker, and gives the answer to its owner only if the same key is
still on screen: an answer for a number typed on since is dropped, a newer look-up is
coming. The workspace looks up the caller's history (which names the complaint a new one
would repeat), the outlet only the repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.message import Message

from cs_console.ui.jobs import job
from cs_console.ui.workspace.parts import Part

if TYPE_CHECKING:
    from textual.timer import Timer

    from cs_console.ui.desk import Desk
    from cs_console.ui.messages import Job

Key = tuple[str, str]  # phone, tracking number
NOTHING: Key = ("", "")
A = TypeVar("A")


class LookedUp(Message, Generic[A]):
    """The services' answer for ``key``, back on the UI thread."""

    def __init__(self, key: Key, answer: A) -> None:
        super().__init__()
        self.key, self.answer = key, answer


class CallerLookup(Part, Generic[A]):
    """A debounced look-up of the caller by the key on screen (see the module's doc)."""

    DEBOUNCE = 0.3  # seconds after the last keystroke in phone / tracking number

    def __init__(
        self,
        desk: Desk,
        name: Job,
        key: Callable[[], Key],
        look: Callable[[Key], A],
        found: Callable[[Key, A], None],
    ) -> None:
        super().__init__(desk)
        self._run = job(name, exclusive=True)(CallerLookup._ask)
        self._key, self._look, self._found = key, look, found
        self._looked_up = NOTHING
        self._timer: Timer | None = None

    def schedule(self) -> None:
        """What is typed changed: look the caller up once typing pauses (if the key did)."""
        if self._key() == self._looked_up:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.after(self.DEBOUNCE, self._look_up)

    def again(self) -> None:
        """Look up again even if the key is the same (something of theirs was stored)."""
        self._looked_up = NOTHING
        self.schedule()

    def forget(self) -> None:
        """The next caller is someone else: whatever is typed next is looked up."""
        self._looked_up = NOTHING

    def _look_up(self) -> None:
        self._timer = None
        self._looked_up = self._key()
        self._run(self, self._looked_up)

    def _ask(self, key: Key) -> None:  # in the worker
        self.post_message(LookedUp(key, self._look(key)))

    def on_looked_up(self, message: LookedUp[A]) -> None:
        message.stop()
        if message.key == self._key():  # else typed on meanwhile; a newer look-up is coming
            self._found(message.key, message.answer)
