"""Fixes for Textual 8.2.8 and Rich 15.0.0 that Chinese text needs, applied once when the
console app is made: double-width characters no longer blanked under overlays
(``wide_chars``, Textualize/textual#6357), Chinese line breaking (``line_breaks``), and a
key rebound by the keymap keeping its place in the footer (``keymap_order``).
Each refuses to patch a version it was not written for. ``key_order.KeysInTurn`` is a mixin
of the app, not a patch: a burst of keys (a barcode scanner) is handled one key after another.
"""

from __future__ import annotations


def apply_textual_fixes() -> None:
    """Install the fixes (idempotent)."""
    from cs_console.ui.textual_fixes import keymap_order, line_breaks, wide_chars

    wide_chars.apply()
    line_breaks.apply()
    keymap_order.apply()
