"""Timers that stand down once the console is closing.

Textual runs a timer's callback on the next turn of its widget's message loop. A timer
that fired just before the console began to close therefore runs after, when the fields a
callback reads may already be removed, and reading them would end the console with an
error instead of closing it. ``while_open`` wraps such a callback.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump


def while_open(node: MessagePump, callback: Callable[[], object]) -> Callable[[], None]:
    """``callback``, run only while ``node`` is still part of a running console."""

    def run() -> None:
        if node.is_attached:
            callback()

    return run
