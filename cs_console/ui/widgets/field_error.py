"""The line under a field or a dialog that says what is wrong (``.field-error``).

It takes no room while empty: the style shows it only with the ``-shown`` class.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def show_error(line: Static, text: str) -> None:
    """Say ``text`` on ``line`` literally (no markup), or hide the line when it is empty."""
    line.update(Text(text))
    line.set_class(bool(text), "-shown")
