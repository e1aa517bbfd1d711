"""The new complaint's reference, filling the screen so the customer can copy it down.

Shown after a walk-in complaint is saved; any key (or a click) goes back to a fresh form.
The reference is drawn big (``Digits``) and repeated as plain text underneath, which a
screen reader, a copy with the mouse and a test can read. A complaint kept in the outage
journal (the server was unreachable) shows its provisional reference, in amber, with what
that means for the customer (``pending``).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Digits, Static

from cs_console.domain.text import clean_line
from cs_console.i18n import t


class ReferenceScreen(ModalScreen[None]):
    """投诉编号 C-20261122-0042, big; dismissed by any key."""

    CSS_PATH = "../styles/outlet.tcss"

    def __init__(self, reference: str, *, pending: bool = False) -> None:
        super().__init__()
        self.reference = clean_line(reference)
        self.pending = pending

    def compose(self) -> ComposeResult:
        if self.pending:
            title, label = t("outlet.pending.title"), t("outlet.pending.label")
            hints = [t("outlet.pending.saved"), t("outlet.pending.unchecked")]
            hints.append(t("outlet.pending.tell_customer"))
        else:
            title, label = t("outlet.saved"), t("outlet.reference_label")
            hints = [t("outlet.copy_hint")]
        with Vertical(id="reference-box", classes="-pending" if self.pending else ""):
            yield Static(Text(title), id="reference-title")
            yield Static(Text(label), id="reference-label")
            yield Digits(self.reference, id="reference-digits")
            yield Static(Text(self.reference), id="reference-text")
            yield Static(Text("\n".join(hints)), id="reference-hint")
            yield Static(Text(t("outlet.any_key")), id="reference-any-key")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()  # the key only closes this screen; nothing else acts on it
        self.dismiss(None)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.dismiss(None)
