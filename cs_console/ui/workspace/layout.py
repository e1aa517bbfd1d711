"""The workspace's columns: the lists beside the form on a wide screen, behind F7 on a
narrow one (the screen's ``-wide``/``-narrow`` breakpoint classes, ``-lists-flipped``)."""

from __future__ import annotations

from textual.dom import DOMNode

WIDE_FROM = 110  # columns: below this the lists fold away behind F7


def lists_visible(screen: DOMNode) -> bool:
    flipped = screen.has_class("-lists-flipped")
    return flipped if screen.has_class("-narrow") else not flipped


def show_lists(screen: DOMNode) -> None:
    """My clocks and the callbacks on screen (in the form's place at 80 columns)."""
    if not lists_visible(screen):
        screen.toggle_class("-lists-flipped")


def show_form(screen: DOMNode) -> None:
    """The form on screen (brought back if the lists had taken its place at 80 columns)."""
    if screen.has_class("-narrow"):
        screen.remove_class("-lists-flipped")
