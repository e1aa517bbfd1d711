"""Offering back what was typed last time (the terminal closed mid-call, the app crashed).

Enter (or Escape) restores; only "d" throws the draft away, so backing out never loses it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.domain.complaint_entry import from_payload
from cs_console.domain.text import clean_line
from cs_console.i18n import day_time, t
from cs_console.ui.widgets.binding_text import translate_bindings

PREVIEW_CHARS = 40


def draft_summary(payload: dict[str, Any]) -> list[str]:
    """A few lines telling the person which draft this is (their own typing, shown plain)."""
    form = from_payload(payload.get("form"))
    given = payload.get("call")
    call: dict[str, Any] = given if isinstance(given, dict) else {}
    lines = []
    if payload.get("call_started"):
        lines.append(t("ui.draft.call_in_progress"))
    phone = form.phone or str(call.get("phone") or "")
    for label, value in (
        ("customer_name", form.customer_name),
        ("phone", phone),
        ("tracking_no", form.tracking_no or str(call.get("tracking_no") or "")),
        ("description", form.description),
    ):
        value = clean_line(value).strip()
        if value:
            short = value if len(value) <= PREVIEW_CHARS else value[:PREVIEW_CHARS] + "..."
            lines.append(t("ui.draft.field_line", field=t("ui.field." + label), value=short))
    return lines


class DraftRestoreScreen(ModalScreen[str]):
    """Dismisses "restore" or "discard"."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "restore", "ui.key.restore", id="draft-restore"),
        Binding("escape", "restore", "ui.key.restore", show=False, id="draft-restore-escape"),
        Binding("d", "discard", "ui.key.discard", id="draft-discard"),
    ]

    def __init__(self, payload: dict[str, Any], saved_at: datetime | None, zone: ZoneInfo) -> None:
        super().__init__()
        translate_bindings(self)
        self.payload, self.saved_at, self.zone = payload, saved_at, zone

    def compose(self) -> ComposeResult:
        when = day_time(self.saved_at, self.zone) if self.saved_at else ""
        with Vertical(id="draft-dialog", classes="dialog"):
            yield Static(Text(t("ui.draft.title", when=when)), classes="dialog-title")
            yield Static(Text("\n".join(draft_summary(self.payload))), id="draft-summary")
            yield Static(Text(t("ui.draft.hint")), classes="dialog-hint")

    def action_restore(self) -> None:
        self.dismiss("restore")

    def action_discard(self) -> None:
        self.dismiss("discard")
