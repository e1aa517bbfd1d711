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
the app has handled what was queued (a few rounds, so that the messages the key started, and
theirs, are handled too); then they go to whatever has the focus. Printable characters go on
at once, as Textual hands them (waiting after each would make a burst of text several times
slower); so a character that itself moves the cursor (the callback score's digit) does not
hold back the next one. A key typed at a person's pace finds nothing in hand and goes at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

ROUNDS = 6  # at most: the key, what it posted, what that posted ...
NODE_WAIT = 0.25  # seconds one node may take before the next key goes anyway (a node closing)


async def _drained(node: MessagePump) -> bool:
    """Wait until ``node`` has handled what is queued for it now; whether anything was."""
    queued = not node._message_queue.empty()
    done = asyncio.get_running_loop().create_future()

    def arrived() -> None:
        if not done.done():
            done.set_result(None)

    if not node.call_later(arrived):  # closed: nothing more will be handled there
        return False
    try:
        await asyncio.wait_for(done, NODE_WAIT)
    except TimeoutError:
        return False
    return queued


async def settled(nodes: list[MessagePump]) -> None:
    """Until a round finds nothing queued on ``nodes`` (the focused field up to the app)."""
    for _ in range(ROUNDS):
        busy = False
        for node in nodes:
            busy = await _drained(node) or busy
        if not busy:
            return


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
