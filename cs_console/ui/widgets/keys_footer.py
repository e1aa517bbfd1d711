"""A ``Footer`` whose keys are there as soon as it is mounted.

Textual's ``Footer`` composes its keys only once the screen announces its bindings, a frame
or two after it is mounted; this one composes them at once (then updates as usual).
"""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """``Footer`` composing the screen's keys at once (then updating as usual)."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        # textual 8.2 (pinned): ``_bindings_ready`` gates ``compose``; the screen's bindings
        # are known when the footer is mounted, so they can be shown from the start.
        self.set_reactive(Footer._bindings_ready, True)
