"""Fixes for Textual 8.2.8 and Rich 15.0.0 that Chinese text needs, applied once when the
console app is made: double-width characters no longer blanked under overlays
(``wide_chars``, Textualize/textual#6357) and Chinese line breaking (``line_breaks``).
Each refuses to patch a version it was not written for.
"""

from __future__ import annotations


def apply_textual_fixes() -> None:
    """Install both fixes (idempotent)."""
    from cs_console.ui.textual_fixes import line_breaks, wide_chars

    wide_chars.apply()
    line_breaks.apply()
