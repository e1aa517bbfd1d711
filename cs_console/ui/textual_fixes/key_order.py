"""Keys in turn: a key reaches the focused field only once the key before it has been handled.

Textual 8.2.8's ``App.on_event`` hands each key the terminal sends to the focused widget by
posting it into that widget's queue, and takes the next key at once. What a key does beyond
the field runs later: Tab's ``focus_next`` once the key has bubbled back up to the app (where
the bindings are looked up), Enter's ``Input.Submitted`` once the field's parent handles it.
A burst read in one chunk (a barcode scanner's number and Tab or Enter, a paste without
bracketed paste, ``tmux send-keys "abc" Tab "def"``) was therefore queued whole on the first
field: everything landed there and the Tab moved the cursor after. ``Pilot.press`` waits for
the app to be idle after every key, so tests did not see it.

``KeysInTurn`` (a mixin before ``App``) hands a key that may move the cursor (one that is
not a printable character: Tab, Enter, a function key, ctrl+…) on, then keeps the keys (and
pastes) that arrive after it until it has settled: every node from the field it went to up to
the app has handled what was queued, twice (the key goes up, then what it started); then
they go to whatever has the focus. Printable characters go on
at once, as Textual hands them (waiting after each would make a burst of text several times
slower); so a character that itself moves the cursor (the callback score's digit) does not
hold back the next one. A key typed at a person's pace finds nothing in hand and goes at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

ROUNDS = 2  # the key's way up to the app; then what it started (Submitted, a deferred focus)
NODE_WAIT = 0.25  # seconds one node may take before the next key goes anyway (a node closing)


async def _drained(node: MessagePump) -> None:
    """Wait until ``node`` has handled what is queued for it now."""
    done = asyncio.get_running_loop().create_future()

    def arrived() -> None:
        if not done.done():
            done.set_result(None)

    if not node.call_later(arrived):  # closed: nothing more will be handled there
        return
    with suppress(TimeoutError):
        await asyncio.wait_for(done, NODE_WAIT)


async def settled(path: list[MessagePump]) -> None:
    """Until the nodes on ``path`` (the focused field up to the app), one after the other,
    have handled the key (it bubbles up one node at a time, to the app's bindings), and then
    once more what the key started: Enter's ``Submitted`` goes up the same way and its
    handler moves the cursor, which Textual's ``focus()`` does in a callback on the app.
    Not "until nothing is queued": a clock ticking every second would always keep a node
    busy."""
    for _ in range(ROUNDS):
        for node in path:
            if node.is_attached or node is path[-1]:  # (the app is never "attached")
                await _drained(node)


class KeysInTurn:
    """Mixin for the App: a key or paste is handed on once the one before it has settled."""

    _in_turn: deque[events.Event]
    _in_hand = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if not hasattr(self, "_in_turn"):
                self._in_turn = deque()
            self._in_turn.append(event)
            if not self._in_hand:
                await self._hand_on()
            return
        await super().on_event(event)  # type: ignore[misc]

    def _path_of_keys(self) -> list[MessagePump]:
        """Where the App sends a key now: the focused widget (or screen) up to the app."""
        app: Any = self
        try:
            target = app.focused or app.screen
        except Exception:  # no screen yet (starting) or any more (closing)
            return [app]
        return list(target.ancestors_with_self)

    async def _hand_on(self) -> None:
        """Hand the waiting keys on (Textual's own handling) up to one that may move the
        cursor (Tab, Enter, a function key), then wait for that one to settle."""
        while self._in_turn:
            event = self._in_turn.popleft()
            path = self._path_of_keys()
            await super().on_event(event)  # type: ignore[misc]
            if isinstance(event, events.Key) and not event.is_printable:
                self._in_hand = True
                task = asyncio.create_task(settled(path))
                task.add_done_callback(lambda _task: self._next_turn())
                return
        self._in_hand = False

    def _next_turn(self) -> None:
        app: Any = self
        if not app.call_later(self._hand_on):  # the app is closing
            self._in_hand = False
