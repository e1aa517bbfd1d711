"""Whether stdin and stderr are terminals: a person to ask and to draw for, or a pipe."""

from __future__ import annotations

import sys


def stdin_is_terminal() -> bool:
    """Whether a person can be asked (a password prompt); a pipe is never prompted."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False


def stderr_is_terminal() -> bool:
    """Whether stderr is drawn on a terminal (progress bars, tables sized to it)."""
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):
        return False
