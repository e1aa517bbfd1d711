"""The complaint registration form (快递投诉登记表), typed while the caller talks.

Only the fields the chosen category needs are shown (a delay asks for days late, a damage
for value, fee and whether the item itself is broken), so Tab visits what matters. Errors
from ``check_complaint_form`` appear under a field once the person has typed in it and
left it, or all at once when they try to save: never while the first character is typed,
and never for an empty field the cursor only passed through.

Enter in a one-line field goes to the next field still to fill in (the phone and parcel
carried from the call pane are skipped); choosing the type with its digit goes on to the
first field that type needs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from cs_console.domain.complaint_entry import ComplaintForm, check_complaint_form
from cs_console.domain.enums import Category
from cs_console.domain.policy import Limits
from cs_console.i18n import t
from cs_console.ui.widgets.choice_bar import ChoiceBar
from cs_console.ui.widgets.fields import CleanInput
from cs_console.ui.widgets.form_fields import CleanTextArea, TickBox

TEXT_FIELDS = (
    "customer_name",
    "phone",
    "tracking_no",
    "days_late",
    "declared_value",
    "shipping_fee",
    "insured_amount",
)
AREA_FIELDS = ("description", "request")
BOX_FIELDS = ("insured", "item_damaged", "repairable")
# The fields each category needs beyond name, phone, parcel, description and request.
CATEGORY_FIELDS: dict[str, frozenset[str]] = {
    Category.DELAY: frozenset({"days_late"}),
    Category.LOSS: frozenset({"declared_value", "insured", "insured_amount"}),
    Category.DAMAGE: frozenset(
        {
            "declared_value",
            "shipping_fee",
            "item_damaged",
            "repairable",
            "insured",
            "insured_amount",
        }
    ),
    Category.ATTITUDE: frozenset(),
    Category.OTHER: frozenset(),
}
ALL_CATEGORY_FIELDS = frozenset().union(*CATEGORY_FIELDS.values())
# Where the cursor goes for "the first thing still to fill in", in screen order.
FILL_ORDER = (
    "customer_name",
    "phone",
    "tracking_no",
    "category",
    "days_late",
    "declared_value",
    "shipping_fee",
    "insured_amount",
    "description",
    "request",
)


def relevant_fields(form: ComplaintForm) -> frozenset[str]:
    """The category-specific fields that count for ``form`` (insured amount only if insured)."""
    fields = set(CATEGORY_FIELDS.get(form.category, frozenset()))
    if not form.insured:
        fields.discard("insured_amount")
    return frozenset(fields)


def effective_form(form: ComplaintForm) -> ComplaintForm:
    """``form`` with the fields its category does not use reset, as it is checked and saved.

    What was typed in a hidden field stays in the draft, but cannot block or change a
    complaint of another category.
    """
    keep = relevant_fields(form)
    defaults = ComplaintForm()
    cleared = {name: getattr(defaults, name) for name in ALL_CATEGORY_FIELDS if name not in keep}
    if "insured" not in keep and form.category in CATEGORY_FIELDS:
        cleared["insured_amount"] = ""
    return replace(form, **cleared)


class ComplaintFormPane(Vertical):
    """The registration form; ``typed_form()`` is what was typed, ``form()`` what counts."""

    class Changed(Message):
        """Something in the form changed (typing, a choice, a tick).

        ``field`` is the field that changed ("" when the whole form was loaded), ``typed``
        whether the person changed it there (not carried or restored), ``value`` its text.
        """

        def __init__(self, field: str = "", *, typed: bool = False, value: str = "") -> None:
            super().__init__()
            self.field, self.typed, self.value = field, typed, value

    FIELD_LABELS: ClassVar[dict[str, str]] = {}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.limits: Limits | None = None
        self._touched: set[str] = set()  # typed in, then left: its errors show
        self._typed: set[str] = set()  # typed in (by the person, not carried or restored)
        self._reveal = False
        self._extra_errors: dict[str, str] = {}
        self._days_suggested: int | None = None  # from the parcel's tracking
        self._days_offered: tuple[int | None, bool] = (None, False)

    # -- layout ---------------------------------------------------------------------------

    def _row(self, name: str, widget: Widget, classes: str = "") -> ComposeResult:
        with Horizontal(classes=f"field-row {classes}".strip(), id=f"row-{name}"):
            yield Label(Text(t(f"ui.field.{name}")), classes="field-label")
            yield widget
        yield Static("", id=f"error-{name}", classes="field-error", markup=False)

    def compose(self) -> ComposeResult:
        yield from self._row("customer_name", CleanInput(id="customer_name"))
        yield Static("", id="name-on-file", classes="name-on-file", markup=False)
        yield from self._row("phone", CleanInput(id="phone"))
        yield from self._row("tracking_no", CleanInput(id="tracking_no"))
        categories = [(c.value, t(f"ui.category.{c.value}")) for c in Category]
        yield from self._row("category", ChoiceBar(categories, id="category"))
        yield from self._row("days_late", CleanInput(id="days_late"), "for-delay")
        yield Static("", id="days-late-hint", classes="name-on-file", markup=False)
        yield from self._row(
            "declared_value", CleanInput(id="declared_value"), "for-loss for-damage"
        )
        yield from self._row("shipping_fee", CleanInput(id="shipping_fee"), "for-damage")
        # One tick box a line: three side by side do not fit 80 columns in every language.
        with Vertical(classes="box-row for-loss for-damage", id="row-boxes"):
            for name, classes in (
                ("item_damaged", "for-damage"),
                ("repairable", "for-damage"),
                ("insured", ""),
            ):
                yield TickBox(Text(t(f"ui.field.{name}")), id=name, compact=True, classes=classes)
        yield from self._row("insured_amount", CleanInput(id="insured_amount"), "for-insured")
        yield Static("", id="error-boxes", classes="field-error", markup=False)
        yield from self._row("description", CleanTextArea(id="description"), "area-row")
        yield from self._row("request", CleanTextArea(id="request"), "area-row short")

    def on_mount(self) -> None:
        self._sync_classes(self.typed_form())

    # -- reading and writing --------------------------------------------------------------

    def typed_form(self) -> ComplaintForm:
        """Exactly what is in the fields now (kept in the draft)."""
        values: dict[str, str | bool] = {}
        for name in TEXT_FIELDS:
            values[name] = self.query_one(f"#{name}", Input).value
        for name in AREA_FIELDS:
            values[name] = self.query_one(f"#{name}", TextArea).text
        for name in BOX_FIELDS:
            values[name] = self.query_one(f"#{name}", Checkbox).value
        values["category"] = self.query_one("#category", ChoiceBar).value
        return ComplaintForm(**values)  # type: ignore[arg-type]

    def form(self) -> ComplaintForm:
        """What counts for the preview and for saving (hidden fields left out)."""
        return effective_form(self.typed_form())

    def is_blank(self) -> bool:
        return self.typed_form() == ComplaintForm()

    def has_typing(self, carried: dict[str, str]) -> bool:
        """Anything in the form beyond the values ``carried`` from the call pane (field
        name -> value there): a form holding only the caller's phone and parcel is empty."""
        form = self.typed_form()
        same: dict[str, Any] = {
            name: "" for name, value in carried.items() if getattr(form, name) == value
        }
        return replace(form, **same) != ComplaintForm()

    def load(self, form: ComplaintForm) -> None:
        """Show ``form`` (a restored draft, or an empty form after saving)."""
        quiet = (Input.Changed, TextArea.Changed, Checkbox.Changed, ChoiceBar.Changed)
        with self.prevent(*quiet):
            for name in TEXT_FIELDS:
                self.query_one(f"#{name}", CleanInput).set_text(getattr(form, name))
            for name in AREA_FIELDS:
                self.query_one(f"#{name}", CleanTextArea).set_text(getattr(form, name))
            for name in BOX_FIELDS:
                self.query_one(f"#{name}", Checkbox).value = bool(getattr(form, name))
            self.query_one("#category", ChoiceBar).choose(
                form.category if form.category in CATEGORY_FIELDS else ""
            )
        self._touched.clear()
        self._typed.clear()
        self._reveal = False
        self._extra_errors = {}
        self._sync_classes(form)
        self.refresh_errors()
        self.post_message(self.Changed())

    def clear(self) -> None:
        self.load(ComplaintForm())

    def show_name_on_file(self, masked: str | None) -> None:
        """The name on file for the typed phone, masked (``张*``), or nothing."""
        found = self.query("#name-on-file").results(Static)
        label = next(found, None)
        if label is None:  # a late answer while the screen is being taken down
            return
        label.update(Text(t("ui.form.name_on_file", name=masked)) if masked else "")
        label.set_class(bool(masked), "-shown")

    def carry(self, name: str, previous: str, value: str) -> None:
        """Copy a value typed in the call pane, unless the person typed their own here."""
        field = self.query_one(f"#{name}", CleanInput)
        if field.value in ("", previous):
            field.set_text(value)

    # -- focus ----------------------------------------------------------------------------

    def focus_field(self, name: str) -> None:
        target = "boxes" if name in BOX_FIELDS else name
        widget = self.query_one(f"#{name}") if target != "boxes" else self.query_one("#insured")
        widget.focus()

    def focus_first_empty(self) -> None:
        """F3: the cursor goes to the first field still to fill in (or the name)."""
        if not self.focus_next_empty():
            self.focus_field("customer_name")

    def focus_next_empty(self, after: str = "") -> bool:
        """The cursor to the first field still to fill in after ``after`` (from the top
        when ""); False if every one is filled."""
        form = self.form()
        shown = relevant_fields(form)
        start = FILL_ORDER.index(after) + 1 if after in FILL_ORDER else 0
        for name in FILL_ORDER[start:]:
            if name in ALL_CATEGORY_FIELDS and name not in shown:
                continue
            if not str(getattr(form, name)).strip():
                self.focus_field(name)
                return True
        return False

    # -- errors ---------------------------------------------------------------------------

    def errors(self) -> dict[str, str]:
        """Every problem of the form as it would be saved (field name -> error code)."""
        if self.limits is None:
            return {}
        _, problems = check_complaint_form(self.form(), self.limits)
        return {name: str(code) for name, code in problems.items()}

    def reveal_errors(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Show every error now (a save was tried); returns them, in screen order."""
        self._reveal = True
        self._extra_errors = dict(extra or {})
        problems = {**self.errors(), **self._extra_errors}
        self.refresh_errors()
        order = {name: index for index, name in enumerate(FILL_ORDER)}
        return dict(sorted(problems.items(), key=lambda item: order.get(item[0], 99)))

    def refresh_errors(self) -> None:
        problems = {**self.errors(), **self._extra_errors}
        for name in (*TEXT_FIELDS, *AREA_FIELDS, "category"):
            shown = problems.get(name) if (self._reveal or name in self._touched) else None
            label = self.query_one(f"#error-{name}", Static)
            label.update(Text(t(f"error.{shown}")) if shown else "")
            label.set_class(bool(shown), "-shown")
            self.query_one(f"#row-{name}").set_class(bool(shown), "-invalid")

    def _sync_classes(self, form: ComplaintForm) -> None:
        for category in CATEGORY_FIELDS:
            self.set_class(form.category == category, f"-{category}")
        self.set_class(form.insured, "-insured")
        hint = self.query_one("#days-late-hint", Static)  # a delay's, when there is a parcel
        hint.set_class(hint.has_class("-for-parcel") and form.category == "delay", "-shown")

    # -- events ---------------------------------------------------------------------------

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        name = event.widget.id or ""
        if name in self._typed:
            self._touched.add(name)
            self.refresh_errors()

    def suggest_days_late(self, days: int | None, *, late: bool) -> None:
        """The parcel's days late (None: no parcel), offered under "days late": Enter in
        the empty field takes it; what is in the field is never replaced."""
        if (days, late) == self._days_offered:
            return  # the same parcel's figure again: nothing to redraw
        self._days_offered = (days, late)
        self._days_suggested = days if late else None
        hint = self.query_one("#days-late-hint", Static)
        field = self.query_one("#days_late", CleanInput)
        field.placeholder = str(days) if late else ""
        if days is None:
            hint.update("")
        elif late:
            hint.update(Text(t("parcel.form.days_late", count=days)))
        else:
            hint.update(Text(t("parcel.form.on_time")))
        hint.set_class(days is not None, "-for-parcel")
        self._sync_classes(self.typed_form())

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter: on to the next field still to fill in (or simply the next one)."""
        event.stop()
        suggested = self._days_suggested
        if event.input.id == "days_late" and not event.value.strip() and suggested is not None:
            event.input.value = str(suggested)  # the agent's Enter takes the suggestion
        if not self.focus_next_empty(event.input.id or ""):
            self.screen.focus_next()

    @on(ChoiceBar.Picked, "#category")
    def _category_picked(self, event: ChoiceBar.Picked) -> None:
        """The type chosen with its digit: on to what it needs (its fields are shown now)."""
        event.stop()
        self.call_after_refresh(self.focus_next_empty, "category")

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(ChoiceBar.Changed)
    def _field_changed(self, event: Message) -> None:
        event.stop()
        control = getattr(event, "control", None)
        changed = getattr(control, "id", None) or ""
        typed = bool(control is not None and control.has_focus)
        if typed:
            self._typed.add(changed)
        if changed in self._extra_errors:
            del self._extra_errors[changed]
        form = self.typed_form()
        self._sync_classes(form)
        self.refresh_errors()
        value = getattr(form, changed, "")
        self.post_message(self.Changed(changed, typed=typed, value=str(value)))
