"""The small panels of the overview: the queue, today's measures, the hourly chart, agents.

Each shows what the overview service computed; none reads the database. Measures carry a
symbol as well as a colour (✓ met, ▲ below target). Names of people are data: they reach
the screen as ``Text`` cells, never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import DataTable, Sparkline, Static

from cs_console.domain.enums import ComplaintStatus, Severity
from cs_console.domain.measures import format_measure, format_target, measure_symbol
from cs_console.domain.text import clean_line
from cs_console.i18n import t

if TYPE_CHECKING:
    from datetime import datetime

    from cs_console.domain.measures import Measure
    from cs_console.services.overview import AgentNow, QueueNow

OPEN = [s for s in ComplaintStatus if s.is_open]


def _pad(text: str, width: int) -> str:
    return set_cell_size(text, max(width, cell_len(text)))


def queue_content(queue: QueueNow) -> Content:
    """Open complaints (major among them) by state, callbacks pending and overdue."""
    names = [t(f"overview.status.{s.value}") for s in OPEN]
    width = max(cell_len(n) for n in [*names, t("overview.open"), t("overview.callbacks")])
    major = queue.by_severity(Severity.MAJOR.value)
    parts: list[str | tuple[str, str]] = [
        f"{_pad(t('overview.open'), width)} {queue.open_total:>6}  ",
        (f"{t('overview.major')} {major}", "$text-warning" if major else ""),
        "\n",
    ]
    for status, name in zip(OPEN, names, strict=True):
        parts.append(f"{_pad(name, width)} {queue.by_status(status.value):>6}\n")
    overdue = queue.callbacks_overdue
    parts += [
        f"{_pad(t('overview.callbacks'), width)} {queue.callbacks_pending:>6}  ",
        (f"{t('overview.overdue')} {overdue}", "$text-error" if overdue else ""),
    ]
    return Content.assemble(*parts)


def measures_content(found: tuple[Measure, ...]) -> Content:
    """One line per measure: ✓ or ▲, name, value, target."""
    names = [t(f"measure.{m.kind.value}") for m in found]
    width = max(cell_len(n) for n in names)
    parts: list[str | tuple[str, str]] = []
    for measure, name in zip(found, names, strict=True):
        value = format_measure(measure.value, measure.is_share)
        target = format_target(measure.target, measure.is_share)
        met = measure.met  # None: no target, or nothing to measure yet
        style = "" if met is None else ("$text-success" if met else "$text-warning bold")
        # The symbol first: a narrow panel crops the end of the line, never the verdict.
        parts += [(measure_symbol(measure), style), f" {_pad(name, width)} {value:>7} {target}\n"]
    return Content.assemble(*parts)


class HourAxis(Static):
    """Hour labels under the chart, every ``every`` hours, placed where their bar is."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.hours: list[datetime] = []
        self.every = 6

    def render(self) -> Text:
        width, count = self.size.width, len(self.hours)
        line = [" "] * width
        for index, hour in enumerate(self.hours):
            if hour.hour % self.every:
                continue
            at = index * width // max(count, 1)
            label = f"{hour.hour:02d}"
            if at + len(label) <= width:
                line[at : at + len(label)] = label
        return Text("".join(line))


class HourChart(Vertical):
    """Complaints per hour as bars (Textual's Sparkline), hour labels and the peak."""

    def compose(self) -> ComposeResult:
        yield Sparkline([], id="hour-bars")
        yield HourAxis(id="hour-axis")
        yield Static("", id="hour-peak", markup=False)

    def show(self, per_hour: tuple[tuple[datetime, int], ...]) -> None:
        counts = [n for _, n in per_hour]
        self.query_one(Sparkline).data = counts
        axis = self.query_one(HourAxis)
        axis.hours = [hour for hour, _ in per_hour]
        axis.refresh()
        self.query_one("#hour-peak", Static).update(t("overview.peak", n=max(counts, default=0)))


AGENT_COLUMNS = (
    "agent_no",
    "name",
    "state",
    "open",
    "breaches",
    "contacts",
    "in_time",
    "satisfaction",
)


class AgentTable(DataTable):
    """One row per agent; refilled on every refresh (tens of rows, no countdowns)."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        for key in AGENT_COLUMNS:
            self.add_column(t(f"overview.column.{key}"), key=key)

    def show(self, agents: tuple[AgentNow, ...]) -> None:
        current = self.cursor_row
        self.clear()
        for agent in agents:
            on_call = t("overview.agent.on_call") if agent.on_call else t("overview.agent.idle")
            in_time = agent.answered_today.ratio
            mean = agent.satisfaction_today.ratio
            self.add_row(
                Text(clean_line(agent.agent_no)),
                Text(clean_line(agent.display_name)),
                Text(("● " if agent.on_call else "  ") + on_call),
                Text(str(agent.open_complaints), justify="right"),
                Text(str(agent.breaches), justify="right", style="bold" if agent.breaches else ""),
                Text(str(agent.contacts_today), justify="right"),
                Text(format_measure(in_time, True), justify="right"),
                Text(format_measure(mean, False), justify="right"),
                key=str(agent.id),
            )
        if agents:
            self.move_cursor(row=min(current, len(agents) - 1))

    @property
    def current_agent_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value
        return int(key) if key else None


def titled(widget: Widget, key: str) -> Widget:
    widget.border_title = t(key)
    return widget
