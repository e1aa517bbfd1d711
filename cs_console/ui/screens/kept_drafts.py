"""Complaint forms kept for later: the question when a call ends with an unsaved form, and
the list of kept forms (F12) to put one back into the form of a later call.

Both are dialogs returning through ``dismiss``; the workspace's draft keeper writes.
What the lines show is the person's own typing, shown plain (``Text``), never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cs_console.domain.complaint_entry import from_payload
from cs_console.domain.masking import mask_name, mask_phone
from cs_console.domain.text import clean_line
from cs_console.i18n import day_time, t
from cs_console.ui.screens.draft_restore import draft_summary
from cs_console.ui.widgets.binding_text import translate_bindings

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from cs_console.services.drafts import KeptDraft

LINE_CHARS = 60


class UnsavedFormScreen(ModalScreen[str | None]):
    """The call ends with an unsaved form: "save", "keep" (for later), "discard", or None
    (Esc: back to the call, nothing changed). No default: the agent chooses."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('save')", "ui.key.unsaved_save", id="unsaved-save"),
        Binding("k", "choose('keep')", "ui.key.unsaved_keep", id="unsaved-keep"),
        Binding("d", "choose('discard')", "ui.key.unsaved_discard", id="unsaved-discard"),
        Binding("escape", "choose('')", "ui.key.back_to_call", id="unsaved-back"),
    ]

    def __init__(self, summary: list[str]) -> None:
        super().__init__()
        translate_bindings(self)
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-dialog", classes="dialog"):
            yield Static(Text(t("ui.unsaved.title")), classes="dialog-title")
            yield Static(Text("\n".join(self.summary)), id="unsaved-summary")
            yield Static(Text(t("ui.unsaved.hint")), classes="dialog-hint")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


def kept_line(draft: KeptDraft, zone: ZoneInfo) -> str:
    """One line naming a kept form: when, and the first things typed in it; the person's
    name and phone masked, as in every list."""
    form = from_payload(draft.payload.get("form"))
    when = day_time(draft.saved_at, zone)
    parts = [mask_name(form.customer_name), mask_phone(form.phone), form.tracking_no]
    parts.append(form.description)
    words = " ".join(clean_line(part).strip() for part in parts if clean_line(part).strip())
    words = words or t("ui.kept.empty")
    if len(words) > LINE_CHARS:
        words = words[:LINE_CHARS] + "..."
    return f"{when}  {words}"


class KeptDraftsScreen(ModalScreen["tuple[str, KeptDraft] | None"]):
    """The forms kept for later: Enter puts one in the form, d deletes it, Esc closes."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "delete", "ui.key.discard", id="kept-delete"),
        Binding("escape", "close", "ui.key.close", id="kept-close"),
    ]

    def __init__(self, drafts: list[KeptDraft], zone: ZoneInfo) -> None:
        super().__init__()
        translate_bindings(self)
        self.drafts, self.zone = drafts, zone

    def compose(self) -> ComposeResult:
        with Vertical(id="kept-dialog", classes="dialog"):
            yield Static(Text(t("ui.kept.title")), classes="dialog-title")
            if self.drafts:
                options = [
                    Option(Text(kept_line(draft, self.zone)), id=draft.kind)
                    for draft in self.drafts
                ]
                yield OptionList(*options, id="kept-list")
            else:
                yield Static(Text(t("ui.kept.none")), id="kept-none")
            yield Static(Text(t("ui.kept.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        if self.drafts:
            self.query_one("#kept-list").focus()

    def _highlighted(self) -> KeptDraft | None:
        if not self.drafts:
            return None
        index = self.query_one("#kept-list", OptionList).highlighted
        return self.drafts[index] if index is not None else None

    @on(OptionList.OptionSelected, "#kept-list")
    def _restore(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("restore", self.drafts[event.option_index]))

    def action_delete(self) -> None:
        draft = self._highlighted()
        if draft is not None:
            self.dismiss(("delete", draft))

    def action_close(self) -> None:
        self.dismiss(None)


def unsaved_summary(payload: dict) -> list[str]:
    """What the unsaved form holds, for the question at the end of the call."""
    return draft_summary({"form": payload.get("form")})
