"""The console's long-lived objects kept out of Python's full garbage collections.

A full (generation 2) collection walks every container object the process holds: once
signed in, about 110,000 (Textual, Rich, SQLAlchemy, the modules, the screens), 60 ms on
the bench machine. The once-a-second tick of "my clocks" allocates enough to set one off
every few minutes, and that one tick took 39-60 ms instead of 3 (scripts/bench.py tick:
the p95 and max). ``gc.freeze()`` moves what exists into a permanent generation that the
collector no longer walks; what is made afterwards is collected as before.

Called once the signed-in desk is on screen, after a collection (what is garbage then is
freed, not frozen). What was frozen and becomes cyclic garbage later (the login screen) is
never freed: a one-off, small next to what freezing saves on every full collection.
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect, then freeze every object that survives (see the module's text)."""
    gc.collect()
    gc.freeze()
