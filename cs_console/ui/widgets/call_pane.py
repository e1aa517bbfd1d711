"""The call pane: who is calling, what the console knows about them, what to say next.

The phone and tracking number typed here are looked up (by the workspace, in a worker) and
carried into the complaint form; a complaint reference typed in either is looked up too
(Enter opens it). The caller's complaints are listed one per line: Enter opens one.
A shipping enquiry shows the checklist and a search of the prohibited-items list, answered
on the UI thread from the loaded list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantBlur
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from cs_console.domain.enums import ContactType
from cs_console.domain.prohibited import ItemStatus, ProhibitedItem, search_prohibited
from cs_console.domain.scripts import CallScript, fill
from cs_console.domain.text import clean_line
from cs_console.domain.validation import (
    normalize_phone,
    normalize_reference,
    normalize_tracking_no,
)
from cs_console.i18n import current_language, day_time, t
from cs_console.ui.widgets.choice_bar import ChoiceBar
from cs_console.ui.widgets.fields import CleanInput
from cs_console.ui.widgets.form_fields import CleanTextArea
from cs_console.ui.widgets.parcel_box import ParcelBox
from cs_console.ui.widgets.script_line import ScriptLine

if TYPE_CHECKING:
    from cs_console.services.calls import CallerHistory
    from cs_console.storage.caller_complaints import HistoryComplaint
    from cs_console.storage.contacts import ContactSummary

MAX_RESULTS = 4
MAX_LISTED = 8  # complaints in the caller's history (the service reads the latest 20)
CALLER_FIELDS = ("phone", "tracking_no")


def history_lines(history: CallerHistory, zone: tzinfo | None = None) -> list[str]:
    """Who the caller is and what they did, masked as lists must be (the complaints are
    listed apart, one selectable line each: ``complaint_line``)."""
    lines: list[str] = []
    if history.reference_missing:
        lines.append(t("ui.history.no_such_complaint", reference=history.reference_missing))
    if history.known:
        who = " ".join(p for p in (history.name_masked, history.phone_masked) if p)
        if who:
            lines.append(clean_line(who))
        lines.append(
            t(
                "ui.history.summary",
                contacts=history.contacts,
                open=history.open_complaints,
                callbacks=history.pending_callbacks,
            )
        )
        if history.recent:
            lines.append(_last_call(history.recent[0], zone))
    elif not history.reference_missing:
        lines.append(t("ui.history.new_caller"))
    last = history.parcel_last
    if history.parcel_contacts and last is not None:
        kind, when = _kind_and_when(last, zone)
        count = history.parcel_contacts
        lines.append(t("ui.history.parcel_calls", count=count, when=when, type=kind).rstrip())
    return lines


def _kind_and_when(contact: ContactSummary, zone: tzinfo | None) -> tuple[str, str]:
    kind = t(f"ui.contact_type.{contact.contact_type}") if contact.contact_type else ""
    return kind, day_time(contact.started_at, zone)


def _last_call(contact: ContactSummary, zone: tzinfo | None) -> str:
    """The caller's last call, and the parcel it was about."""
    kind, when = _kind_and_when(contact, zone)
    if contact.tracking_no:
        number = clean_line(contact.tracking_no)
        return t("ui.history.last_call_parcel", when=when, type=kind, tracking_no=number)
    return t("ui.history.last_call", when=when, type=kind).rstrip()


def repeat_line(history: CallerHistory) -> str:
    """What this call registered, and what an unresolved complaint means for it: a new one
    would be major. A complaint saved in this call is named as registered now, never as the
    unresolved one a complaint would repeat (that would read as if it repeated itself)."""
    lines = []
    if history.registered_now:
        references = ", ".join(clean_line(r) for r in history.registered_now)
        lines.append(t("ui.history.registered_now", reference=references))
    if history.repeat_of:
        parcel = "_parcel" if history.repeat_by_parcel else ""
        if history.repeat_of in history.registered_now:
            lines.append(t(f"ui.history.repeat_next{parcel}"))
        else:
            lines.append(t(f"ui.history.repeat{parcel}", reference=clean_line(history.repeat_of)))
    return "\n".join(lines)


def earlier_repeat(history: CallerHistory) -> bool:
    """An unresolved complaint from before this call: the marker is a warning."""
    return bool(history.repeat_of) and history.repeat_of not in history.registered_now


def complaint_line(complaint: HistoryComplaint) -> str:
    """One complaint of the caller's history, with the caller's role in it (one registered
    in this call says so instead)."""
    role = "this_call" if complaint.this_call else complaint.role.value
    words = (
        clean_line(complaint.reference),
        t(f"ui.severity_short.{complaint.severity}"),
        t(f"ui.category.{complaint.category}"),
        t(f"ui.status.{complaint.status}"),
        t(f"ui.history.role.{role}"),
    )
    return " ".join(words)


class CallPane(Vertical):
    """The script line on top (always in view), then caller, history, type, notes."""

    class CallerChanged(Message):
        """The phone or tracking number typed here changed."""

        def __init__(self, name: str, previous: str, value: str) -> None:
            super().__init__()
            self.name, self.previous, self.value = name, previous, value

    class Changed(Message):
        """Something typed or chosen in the call pane changed (for the draft)."""

    class ComplaintChosen(Message):
        """A complaint of the caller's history was opened (Enter on its line)."""

        def __init__(self, complaint_id: int) -> None:
            super().__init__()
            self.complaint_id = complaint_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: Sequence[ProhibitedItem] = ()
        self._values = {"phone": "", "tracking_no": ""}
        self._touched: set[str] = set()
        self._history: CallerHistory | None = None
        # A reference Enter was pressed on before its lookup answered: opened on arrival.
        self._open_when_found: str | None = None

    def compose(self) -> ComposeResult:
        yield ScriptLine(id="script-line")
        with VerticalScroll(id="call-details"):
            yield from self._details()

    def _details(self) -> ComposeResult:
        for name in CALLER_FIELDS:
            with Horizontal(classes="field-row", id=f"call-row-{name}"):
                yield Label(Text(t(f"ui.call.{name}")), classes="field-label")
                yield CleanInput(id=f"call-{name}")
            yield Static("", id=f"call-error-{name}", classes="field-error", markup=False)
        with Horizontal(classes="field-row", id="call-row-history"):
            yield Label(Text(t("ui.call.history")), classes="field-label")
            with Vertical(id="call-history-box"):
                yield Static("", id="call-history", markup=False)
                yield Static("", id="call-repeat", markup=False)
                yield OptionList(id="call-history-list")
        yield ParcelBox(id="parcel-box")  # filled by the workspace's parcel part
        yield Static(Text(t("ui.call.shortcuts")), id="call-shortcuts", markup=False)
        yield Static("", id="courtesy", markup=False)
        with Horizontal(classes="field-row", id="call-row-type"):
            yield Label(Text(t("ui.call.contact_type")), classes="field-label")
            types = [(c.value, t(f"ui.contact_type.{c.value}")) for c in ContactType]
            yield ChoiceBar(types, id="contact-type")
        with Vertical(id="shipping"):
            yield Static("", id="shipping-checklist", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(Text(t("ui.prohibited.search")), classes="field-label")
                yield CleanInput(id="prohibited-search")
            for index in range(MAX_RESULTS):
                yield Static("", id=f"prohibited-{index}", classes="prohibited-hit", markup=False)
        with Horizontal(classes="field-row area-row short", id="call-row-notes"):
            yield Label(Text(t("ui.call.notes")), classes="field-label")
            yield CleanTextArea(id="call-notes")
        with Horizontal(classes="field-row", id="call-row-outcome"):
            yield Label(Text(t("ui.call.outcome")), classes="field-label")
            yield CleanInput(id="call-outcome")

    def on_mount(self) -> None:
        self.border_title = t("ui.call.title")
        self._show_hits([])
        self.query_one("#call-history-list", OptionList).display = False

    # -- setup ----------------------------------------------------------------------------

    def set_script(self, script: CallScript) -> None:
        """Courtesy phrases and the shipping checklist, in the current language."""
        courtesy = script.courtesy
        phrases = [fill(p) for p in (courtesy.please, courtesy.sorry, courtesy.thanks)]
        self.query_one("#courtesy", Static).update(Text("\n".join(phrases)))
        checklist = "\n".join(
            f"{i}. {fill(line)}" for i, line in enumerate(script.shipping_checklist, 1)
        )
        self.query_one("#shipping-checklist", Static).update(Text(checklist))

    @property
    def script_line(self) -> ScriptLine:
        return self.query_one(ScriptLine)

    # -- values ---------------------------------------------------------------------------

    @property
    def phone(self) -> str:
        return self.query_one("#call-phone", Input).value

    @property
    def tracking_no(self) -> str:
        return self.query_one("#call-tracking_no", Input).value

    @property
    def contact_type(self) -> str:
        return self.query_one("#contact-type", ChoiceBar).value

    def set_contact_type(self, value: str) -> None:
        self.query_one("#contact-type", ChoiceBar).choose(value)

    def call_fields(self) -> dict[str, Any]:
        """What was typed for the call (kept in the draft)."""
        return {
            "phone": self.phone,
            "tracking_no": self.tracking_no,
            "contact_type": self.contact_type,
            "notes": self.query_one("#call-notes", TextArea).text,
            "outcome": self.query_one("#call-outcome", Input).value,
        }

    def load_call_fields(self, fields: dict[str, Any]) -> None:
        """Fill the pane from a draft (values of the wrong type are ignored)."""

        def text(name: str) -> str:
            value = fields.get(name, "")
            return value if isinstance(value, str) else ""

        self.query_one("#call-phone", CleanInput).set_text(text("phone"))
        self.query_one("#call-tracking_no", CleanInput).set_text(text("tracking_no"))
        self.query_one("#call-notes", CleanTextArea).set_text(text("notes"))
        self.query_one("#call-outcome", CleanInput).set_text(text("outcome"))
        kind = text("contact_type")
        self.set_contact_type(kind if kind in ContactType._value2member_map_ else "")

    def set_phone(self, phone: str) -> None:
        """Type in the caller's phone (a screen pop): looked up like a typed one."""
        self.query_one("#call-phone", CleanInput).set_text(phone)

    def clear(self) -> None:
        self.load_call_fields({})
        self.query_one("#prohibited-search", CleanInput).set_text("")
        self._touched.clear()
        self.show_history(None)
        self._show_errors()

    def show_history(self, history: CallerHistory | None, zone: tzinfo | None = None) -> None:
        """The caller's history: who, their calls, the repeat marker, and their complaints
        (a quoted reference's complaint first, under the cursor: Enter opens it)."""
        self._history = history
        lines = history_lines(history, zone) if history is not None else []
        self.query_one("#call-history", Static).update(Text("\n".join(lines)))
        repeat = repeat_line(history) if history is not None else ""
        self.query_one("#call-repeat", Static).update(Text(repeat))
        self.set_class(bool(repeat), "-repeat")
        self.set_class(history is not None and earlier_repeat(history), "-repeat-earlier")
        complaints = list(history.complaints) if history is not None else []
        found = history.found if history is not None else None
        if found is not None:
            complaints.sort(key=lambda c: c.id != found.id)
        listed = self.query_one("#call-history-list", OptionList)
        listed.clear_options()
        listed.add_options(
            [Option(Text(complaint_line(c)), id=str(c.id)) for c in complaints[:MAX_LISTED]]
        )
        listed.display = bool(complaints)
        if complaints:
            listed.highlighted = 0
        waiting, self._open_when_found = self._open_when_found, None
        if found is not None and waiting == found.reference:
            self.post_message(self.ComplaintChosen(found.id))

    def show_unavailable(self, text: str) -> None:
        """The history cannot be looked up now (the server is unreachable): say so."""
        self.query_one("#call-history", Static).update(Text(text))
        self.query_one("#call-repeat", Static).update("")
        self.query_one("#call-history-list", OptionList).clear_options().display = False
        self.remove_class("-repeat")

    @on(Input.Submitted, "#call-phone, #call-tracking_no")
    def _reference_submitted(self, event: Input.Submitted) -> None:
        """Enter on a quoted complaint reference opens that complaint once it is found."""
        event.stop()
        found = self._history.found if self._history is not None else None
        reference = normalize_reference(event.value)
        if found is not None and reference == found.reference:
            self.post_message(self.ComplaintChosen(found.id))
        else:  # typed and Enter at once: the lookup has not answered yet
            self._open_when_found = reference

    @on(OptionList.OptionSelected, "#call-history-list")
    def _complaint_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.ComplaintChosen(int(event.option.id)))

    # -- focus ----------------------------------------------------------------------------

    def focus_phone(self) -> None:
        self.query_one("#call-phone", Input).focus()

    def focus_contact_type(self) -> None:
        self.query_one("#contact-type", ChoiceBar).focus()

    # -- events ---------------------------------------------------------------------------

    def _show_errors(self) -> None:
        checks = {"phone": normalize_phone, "tracking_no": normalize_tracking_no}
        for name, check in checks.items():
            value = self._values[name]
            typed = bool(value.strip()) and normalize_reference(value) is None
            bad = name in self._touched and typed and check(value) is None
            code = "phone_invalid" if name == "phone" else "tracking_invalid"
            label = self.query_one(f"#call-error-{name}", Static)
            label.update(Text(t(f"error.{code}")) if bad else "")
            label.set_class(bad, "-shown")

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        name = (event.widget.id or "").removeprefix("call-")
        if name in CALLER_FIELDS:
            self._touched.add(name)
            self._show_errors()

    @on(Input.Changed, "#call-phone, #call-tracking_no")
    def _caller_changed(self, event: Input.Changed) -> None:
        event.stop()
        name = (event.input.id or "").removeprefix("call-")
        previous, self._values[name] = self._values[name], event.value
        self._open_when_found = None  # typed on: a waiting Enter no longer stands
        self._show_errors()
        self.post_message(self.CallerChanged(name, previous, event.value))
        self.post_message(self.Changed())

    @on(Input.Changed, "#prohibited-search")
    def _search_prohibited(self, event: Input.Changed) -> None:
        event.stop()
        self._show_hits(search_prohibited(self.items, event.value, limit=MAX_RESULTS))

    def _show_hits(self, hits: list[ProhibitedItem]) -> None:
        english = current_language() == "en"
        for index in range(MAX_RESULTS):
            line = self.query_one(f"#prohibited-{index}", Static)
            if index >= len(hits):
                line.update("")
                line.display = False
                continue
            item = hits[index]
            symbol = "✕" if item.status is ItemStatus.PROHIBITED else "▲"
            name = item.en if english else item.zh
            note = item.note_en if english else item.note_zh
            status = t(f"ui.prohibited.{item.status.value}")
            line.update(Text(f"{symbol} {status} {name}: {note}"))
            line.display = True
            line.set_class(item.status is ItemStatus.PROHIBITED, "-prohibited")
            line.set_class(item.status is ItemStatus.RESTRICTED, "-restricted")

    @on(ChoiceBar.Changed, "#contact-type")
    def _type_changed(self, event: ChoiceBar.Changed) -> None:
        event.stop()
        self.set_class(event.value == ContactType.SHIPPING.value, "-shipping")
        self.post_message(self.Changed())

    @on(Input.Changed, "#call-outcome")
    @on(TextArea.Changed, "#call-notes")
    def _notes_changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())
