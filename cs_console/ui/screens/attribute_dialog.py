"""The supervisor says who is responsible for a complaint (docs/domain.md, Measures).

Responsibility "agent" names the agent the complaint counts against: their monthly card
loses ``breach_deduction`` points (5) for it. The other deduction, ``late_escalation_deduction``
(8), is not recorded by anyone: it follows from the verify clock and who held the complaint
(domain/scorecard.py), and the form says so. Saved through the service ``cs-console
attribute`` uses (``services.scoring.attribute_complaint``); here the reason is required.
Dismisses with the words for what was recorded, or None when backed out of (nothing saved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from cs_console.domain.enums import Responsibility
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.messages import describe_error
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.worklists import ComplaintView
    from cs_console.storage.overview import StaffRow

AGENT = Responsibility.AGENT.value
NOBODY = "none"  # clears what was recorded (the CLI's "none")


class AttributeDialog(ModalScreen[str | None]):
    """Who is responsible, the agent it counts against, why; Enter or ctrl+s saves."""

    CSS_PATH = "../styles/complaint_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "detail.form.save", id="attribute-save"),
        Binding("escape", "cancel", "detail.form.cancel", id="attribute-cancel"),
    ]

    class StaffLoaded(Message):
        def __init__(self, staff: list[StaffRow]) -> None:
            super().__init__()
            self.staff = staff

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Saved(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, console: ServiceContext, actor: Actor, view: ComplaintView) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.view = console, actor, view
        self.names: dict[str, str] = {}  # user name: "工号 name", for the words saved
        self.busy = False

    def compose(self) -> ComposeResult:
        scoring = self.console.policy.scoring
        choices = [
            (t("attribute.choice.agent", points=scoring.breach_deduction), AGENT),
            *((t(f"attribute.who.{r.value}"), r.value) for r in Responsibility if r.value != AGENT),
            (t("attribute.choice.none"), NOBODY),
        ]
        with Vertical(id="attribute-form", classes="complaint-form"):
            yield Label(Text(t("attribute.form.who")))
            yield Select(
                choices,
                value=self.view.responsibility or AGENT,
                allow_blank=False,
                compact=True,
                id="attribute-who",
            )
            yield Label(Text(t("attribute.form.agent")))
            yield Select([], prompt=t("attribute.form.choose"), compact=True, id="attribute-agent")
            yield Static(id="attribute-agent-error", classes="field-error", markup=False)
            yield Label(Text(t("attribute.form.reason")))
            yield CleanInput(id="attribute-reason")
            yield Static(id="attribute-reason-error", classes="field-error", markup=False)
            yield Static(id="attribute-error", classes="field-error", markup=False)
            late = t("attribute.form.late", points=scoring.late_escalation_deduction)
            yield Static(Text(late), classes="form-note")
            yield Static(Text(t("attribute.form.hint")), classes="form-note")
        yield Footer()

    def on_mount(self) -> None:
        reference = clean_line(self.view.reference)
        self.query_one("#attribute-form").border_title = Content(
            t("attribute.form.title", reference=reference)
        )
        self._agent_needed(str(self.query_one("#attribute-who", Select).value))
        self.query_one("#attribute-reason", CleanInput).focus()
        self._load_staff()

    # -- the people a complaint may count against -----------------------------------------

    @work(thread=True, exclusive=True, group="attribute-staff")
    def _load_staff(self) -> None:
        from cs_console.services.scoring import scored_staff

        try:
            staff = scored_staff(self.console, self.actor)
        except Exception as exc:
            self.post_message(self.Failed(describe_error(exc)))
            return
        self.post_message(self.StaffLoaded(staff))

    def on_attribute_dialog_staff_loaded(self, message: StaffLoaded) -> None:
        staff = message.staff
        self.names = {
            p.username: f"{clean_line(p.agent_no)} {clean_line(p.display_name)}" for p in staff
        }
        people = self.query_one("#attribute-agent", Select)
        people.set_options(
            (Text(f"{self.names[p.username]}  {t('detail.role.' + p.role)}"), p.username)
            for p in staff
        )
        # Whoever it counts against already, else the owner (首问负责制: they handled it).
        default = self.view.responsible_agent_id or self.view.owner_id
        chosen = next((p.username for p in staff if p.id == default), None)
        if chosen is not None:
            people.value = chosen

    @on(Select.Changed, "#attribute-who")
    def _who_changed(self, event: Select.Changed) -> None:
        self._agent_needed(str(event.value))

    def _agent_needed(self, who: str) -> None:
        """Only "agent" names someone: otherwise the agent field is off (and not saved)."""
        self.query_one("#attribute-agent", Select).disabled = who != AGENT
        if who != AGENT:
            self._say("#attribute-agent-error", "")

    # -- saving ---------------------------------------------------------------------------

    @on(Input.Submitted, "#attribute-reason")
    def _reason_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        # Imported here: the phone-number metadata behind validation is not needed to paint.
        from cs_console.domain.reasons import reason_problem

        if self.busy:
            return
        who = str(self.query_one("#attribute-who", Select).value)
        people = self.query_one("#attribute-agent", Select)
        reason = self.query_one("#attribute-reason", CleanInput).value.strip()
        missing_agent = who == AGENT and people.value is Select.NULL
        # The service's rule, asked here too so the answer shows under the field: a few
        # real words, never only invisible characters or markup.
        problem = reason_problem(reason, self.console.policy.security)
        self._say("#attribute-agent-error", t("error.required") if missing_agent else "")
        self._say("#attribute-reason-error", t(f"error.{problem.value}") if problem else "")
        if missing_agent:
            people.focus()
        elif problem is not None:
            self.query_one("#attribute-reason", CleanInput).focus()
        else:
            self.busy = True
            self._say("#attribute-error", "")
            self._save(who, str(people.value) if who == AGENT else None, reason)

    @work(thread=True, exclusive=True, group="attribute-save")
    def _save(self, who: str, agent: str | None, reason: str) -> None:
        from cs_console.services.scoring import attribute_complaint

        responsibility = None if who == NOBODY else Responsibility(who)
        try:
            attribute_complaint(
                self.console, self.actor, self.view.id, responsibility, agent, reason
            )
        except Exception as exc:
            self.post_message(self.Failed(describe_error(exc)))
            return
        words = t(f"attribute.who.{who}")
        if agent is not None:
            words = f"{words} {self.names.get(agent, agent)}"
        self.post_message(self.Saved(t("attribute.shown.recorded", who=words)))

    def on_attribute_dialog_failed(self, message: Failed) -> None:
        self.busy = False
        self._say("#attribute-error", message.text)

    def on_attribute_dialog_saved(self, message: Saved) -> None:
        self.dismiss(message.text)

    def _say(self, selector: str, text: str) -> None:
        show_error(self.query_one(selector, Static), text)

    def action_cancel(self) -> None:
        self.dismiss(None)
