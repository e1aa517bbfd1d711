"""The monthly scorecard of one agent, and the supervisor's 40 %: attitude and compliance.

The agent list on the left, the month, the two ratings, and the card as it stands (the
measured part, the rating, deductions, the score and its band, the retraining flag).
Moving to another agent or month shows their card; ctrl+s saves the rating and shows the
new card. Reads and writes run in thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cs_console.domain.measures import format_measure
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.messages import describe_error
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.fields import CleanInput, NumberInput

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.overview import AgentNow
    from cs_console.services.reports import AgentCard


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def card_text(card: AgentCard, weights: tuple[float, float]) -> Text:
    """The scorecard in two or three lines of plain text."""
    sc, counts = card.card, card.month.counts
    band = t(f"band.{sc.band.value}") if sc.band else t("band.unrated")
    lines = [
        t("ratings.card", measured=_number(sc.measured), mw=weights[0], rated=_number(sc.rated),
          rw=weights[1], deductions=sc.deductions, score=_number(sc.score), band=band),
        t("ratings.facts", answered=format_measure(counts.answered.ratio, True),
          first=format_measure(counts.first_contact.ratio, True),
          satisfaction=format_measure(counts.satisfaction.ratio, False),
          breaches=card.month.breach_complaints, late=card.month.late_complaints,
          attitude=card.month.attitude_complaints),
    ]  # fmt: skip
    if sc.retraining:
        lines.append(t("ratings.retraining", count=card.month.attitude_complaints))
    return Text("\n".join(lines))


class RatingsScreen(ModalScreen[None]):
    """Pick an agent and a month, see the card, enter the supervisor's ratings."""

    CSS_PATH = "../styles/overview.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "detail.form.save", priority=True, id="ratings-save"),
        Binding("escape", "close", "overview.key.close", id="ratings-close"),
    ]

    def __init__(
        self,
        console: ServiceContext,
        actor: Actor,
        agents: tuple[AgentNow, ...],
        month: str,
        chosen: int | None = None,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.agents, self.month = console, actor, agents, month
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Horizontal(id="ratings-dialog", classes="dialog"):
            yield OptionList(
                *(
                    Option(Text(f"{clean_line(a.agent_no)}  {clean_line(a.display_name)}"),
                           id=a.username)
                    for a in self.agents
                ),
                id="ratings-agents",
            )  # fmt: skip
            with Vertical(id="ratings-form"):
                yield Label(Text(t("ratings.month")))
                yield CleanInput(self.month, id="ratings-month", max_length=7, select_on_focus=True)
                yield Label(Text(t("ratings.attitude")))
                yield NumberInput(id="ratings-attitude", digits=3, select_on_focus=True)
                yield Label(Text(t("ratings.compliance")))
                yield NumberInput(id="ratings-compliance", digits=3, select_on_focus=True)
                yield Static("", id="ratings-card", markup=False)
                yield Static("", id="ratings-error", classes="field-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ratings-dialog").border_title = t("ratings.title")
        options = self.query_one("#ratings-agents", OptionList)
        ids = [a.id for a in self.agents]
        if ids:
            options.highlighted = ids.index(self.chosen) if self.chosen in ids else 0
        options.focus()

    @property
    def username(self) -> str | None:
        options = self.query_one("#ratings-agents", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionHighlighted)
    def _agent_moved(self) -> None:
        self._load()

    @on(OptionList.OptionSelected)
    def _agent_chosen(self) -> None:
        self.query_one("#ratings-attitude").focus()

    @on(Input.Changed, "#ratings-month")
    def _month_changed(self) -> None:
        self._load()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def _load(self) -> None:
        if self.username:
            self._fetch(self.username, self.query_one("#ratings-month", Input).value.strip())

    @work(thread=True, exclusive=True, group="ratings-card")
    def _fetch(self, username: str, month: str) -> None:
        from cs_console.services.scoring import agent_card

        try:
            card = agent_card(self.console, self.actor, username, month)
        except Exception as exc:
            self.app.call_from_thread(self._show, None, describe_error(exc))
            return
        self.app.call_from_thread(self._show, card, "")

    def _show(self, card: AgentCard | None, error: str, fill: bool = True) -> None:
        self.query_one("#ratings-error", Static).update(Text(error))
        if card is None:
            return
        scoring = self.console.policy.scoring
        weights = (scoring.measured_weight, scoring.rated_weight)
        self.query_one("#ratings-card", Static).update(card_text(card, weights))
        if fill:
            rating = card.rating
            self.query_one("#ratings-attitude", Input).value = (
                str(rating.attitude) if rating else ""
            )
            self.query_one("#ratings-compliance", Input).value = (
                str(rating.compliance) if rating else ""
            )

    def action_save(self) -> None:
        from cs_console.domain.scorecard import Rating

        username = self.username
        values = []
        for name in ("attitude", "compliance"):
            text = self.query_one(f"#ratings-{name}", Input).value.strip()
            if not text.isdigit():
                self._show(None, f"{t('ui.field.' + name)}: {t('error.rating_range')}")
                self.query_one(f"#ratings-{name}").focus()
                return
            values.append(int(text))
        if username:
            month = self.query_one("#ratings-month", Input).value.strip()
            self._save(username, month, Rating(*values))

    @work(thread=True, exclusive=True, group="ratings-save")
    def _save(self, username: str, month: str, rating: object) -> None:
        from cs_console.services.scoring import rate_agent

        try:
            card = rate_agent(self.console, self.actor, username, month, rating)  # type: ignore[arg-type]
        except Exception as exc:
            self.app.call_from_thread(self._show, None, describe_error(exc))
            return
        self.app.call_from_thread(self._show, card, "", False)
        self.app.call_from_thread(self.notify, t("ratings.saved"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
