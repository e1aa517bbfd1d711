"""A one-line field that never lets terminal escapes in: pasted text is cleaned as it arrives.

Typed keys cannot carry an escape sequence, but a paste (or a restored draft) can; OSC 52
in a pasted name would otherwise be stored and later reach a terminal (docs/pitfalls.md).
The app may switch the cursor blink off (snapshot tests) through ``App.cursor_blink``.

Every field is capped (``FIELD_CAP``), and whole numbers are typed into ``NumberInput``,
whose check is linear: Textual 8.2.8's ``type="integer"`` pattern, ``[-+]?(?:\\d*|\\d+_)*``,
backtracks catastrophically (24 digits and a letter took 0.74 s, four times longer with each
two more digits), which froze the console for minutes on a held-down key.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input

from cs_console.domain.text import clean_line


def blink(widget: Widget) -> bool:
    """Whether text cursors blink (the app may switch it off for snapshots)."""
    return bool(getattr(widget.app, "cursor_blink", True))


# Every field's length is capped here (tests/ui/test_no_input_freezes.py checks no field is
# made another way): no field needs more; the policy's own limits apply on save.
FIELD_CAP = 1000  # characters in a one-line field
AREA_CAP = 10_000  # characters in a multi-line field (above max_description_chars)


class CleanInput(Input):
    """A one-line field: pasted or restored text is flattened and cleaned."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("select_on_focus", False)
        kwargs.setdefault("max_length", FIELD_CAP)
        cap = kwargs["max_length"]
        assert isinstance(cap, int) and 0 < cap <= FIELD_CAP, "every field is capped"
        super().__init__(clean_line(value)[:cap], **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.cursor_blink = blink(self)

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(clean_line(text))

    def replace(self, text: str, start: int, end: int) -> None:
        text = clean_line(text)
        if self.max_length:  # a paste past the cap keeps what fits (Textual refuses it all)
            start, end = sorted((max(0, start), min(len(self.value), end)))
            text = text[: max(self.max_length - len(self.value) + end - start, 0)]
        super().replace(text, start, end)

    def set_text(self, value: str) -> None:
        """Put a stored value in the field (cleaned), cursor at its end."""
        self.value = clean_line(value)[: self.max_length or FIELD_CAP]
        self.cursor_position = len(self.value)


class NumberInput(CleanInput):
    """A whole number of at most ``digits`` digits; anything else is not let in."""

    def __init__(self, value: str = "", *, digits: int, **kwargs: object) -> None:
        super().__init__(value, restrict=r"[0-9]*", max_length=digits, **kwargs)
