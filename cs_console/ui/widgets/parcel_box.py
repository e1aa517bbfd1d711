"""The parcel box in the call pane: the state, the last three events, hubs, outlet, late.

The workspace's parcel part fills it (``show_tracking``, or one line: looking up, another
carrier's number, tracking unavailable, unknown number); Enter on it asks for the full
timeline (``TimelineAsked``). Events and places are the provider's text: shown literally
(``Text``), at most two lines each beside their time (the timeline shows them whole).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from cs_console.domain.parcel_status import Lateness, ParcelStatus
from cs_console.domain.text import clean_line
from cs_console.domain.tracking import OUTLET_SUFFIXES, Tracking, TrackingEvent, short_hub
from cs_console.i18n import clock_time, day_time, spoken_day, t
from cs_console.ui.widgets.binding_text import translate_bindings

EVENTS_SHOWN = 3


def event_line(at: datetime, text: str, zone: tzinfo | None) -> Text:
    """One event on one line: "12-05 18:20 【武汉光谷网点】派件员 …" (the timeline's)."""
    line = Text(day_time(at, zone), style="dim")
    line.append(" ")
    line.append(clean_line(text))
    return line


def state_line(tracking: Tracking, status: ParcelStatus | None) -> Text:
    """The state, and whether the parcel is late against the promise: "运输中 · ▲ 晚 2 天"."""
    words = Text(t(f"tracking.state.{tracking.state.value}"), style="bold")
    if status is not None:
        late = status.lateness in (Lateness.LATE, Lateness.SIGNED_LATE)
        symbol = "▲" if late else "✓"
        key = f"parcel.late.{status.lateness.value}"
        words.append(f" · {symbol} {t(key, count=status.days_late)}", style="bold" if late else "")
    return words


def short_outlet(name: str) -> str:
    """An outlet's name without its kind: ``杭州西湖网点`` -> ``杭州西湖``."""
    for suffix in OUTLET_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def event_time(at: datetime, now: datetime, zone: tzinfo | None) -> str:
    """The time of an event today ("18:20"), else its day above it ("12-05\n18:20")."""
    if zone is not None and at.astimezone(zone).date() == now.astimezone(zone).date():
        return clock_time(at, zone)
    return day_time(at, zone).replace(" ", "\n")


def summary_line(tracking: Tracking, status: ParcelStatus | None, zone: tzinfo | None) -> Text:
    """Hubs and the delivering outlet by their short names, and the promised day."""
    parts = []
    if tracking.hubs:
        parts.append(" → ".join(clean_line(short_hub(hub)) for hub in tracking.hubs))
    if tracking.outlet:
        outlet = clean_line(short_outlet(tracking.outlet))
        parts.append(t("parcel.box.outlet", outlet=outlet))
    if status is not None:
        parts.append(t("parcel.box.promised", day=spoken_day(status.promised, zone)))
    return Text(" · ".join(parts))


class ParcelBox(Vertical, can_focus=True):
    """A bordered box under the tracking number; hidden until a number is looked up."""

    DEFAULT_CSS = """
    ParcelBox {
        display: none;
        height: auto;
        border: round $secondary;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        padding: 0 1;
    }
    ParcelBox.-shown { display: block; }
    ParcelBox:focus { border: round $accent; }
    ParcelBox.-late #parcel-line { color: $text-warning; }
    ParcelBox.-problem #parcel-line { color: $text-warning; }
    ParcelBox Static { width: 1fr; height: auto; }
    ParcelBox .parcel-event { height: auto; }
    ParcelBox .parcel-time { width: 6; color: $text-muted; }
    ParcelBox .parcel-text { max-height: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "timeline", "parcel.key.timeline", show=False, id="parcel-open"),
    ]

    class TimelineAsked(Message):
        """Enter on the box: the full timeline of the parcel shown."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.tracking: Tracking | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="parcel-line", markup=False)
        for index in range(EVENTS_SHOWN):  # the time in a column, the text beside it
            with Horizontal(id=f"parcel-event-{index}", classes="parcel-event"):
                yield Static("", classes="parcel-time", markup=False)
                yield Static("", classes="parcel-text", markup=False)
        yield Static("", id="parcel-summary", markup=False)

    def _lines(
        self,
        line: Text | str,
        events: list[TrackingEvent],
        summary: Text | str,
        zone: tzinfo | None = None,
        now: datetime | None = None,
    ) -> None:
        first = self.query_one("#parcel-line", Static)
        first.update(line)
        first.display = bool(line)
        for index in range(EVENTS_SHOWN):
            row = self.query_one(f"#parcel-event-{index}")
            row.display = index < len(events)
            if index < len(events):
                event = events[index]
                when = event_time(event.at, now or event.at, zone)
                row.query_one(".parcel-time", Static).update(when)
                row.query_one(".parcel-text", Static).update(Text(clean_line(event.text)))
        last = self.query_one("#parcel-summary", Static)
        last.update(summary)
        last.display = bool(summary)

    def hide(self) -> None:
        """No number to look up: the box goes."""
        self.tracking = None
        self.set_class(False, "-shown", "-late", "-problem")

    def show_line(self, number: str, text: str, *, problem: bool = False) -> None:
        """One line instead of the parcel: looking up, not ours, unavailable, unknown."""
        self.tracking = None
        self.border_title = t("parcel.box.title", number=clean_line(number))
        self.border_subtitle = ""
        self._lines(Text(clean_line(text)), [], "")
        self.set_class(True, "-shown").set_class(problem, "-problem").remove_class("-late")

    def show_tracking(
        self, tracking: Tracking, status: ParcelStatus | None, zone: tzinfo, now: datetime
    ) -> None:
        """The parcel: its state and lateness, the newest three events, then the summary."""
        self.tracking = tracking
        self.border_title = t("parcel.box.title", number=clean_line(tracking.tracking_no))
        self.border_subtitle = t("parcel.box.enter_hint")
        line = state_line(tracking, status)
        if not tracking.events:
            line.append(f" · {t('parcel.box.no_events')}")
        events = list(tracking.events[:EVENTS_SHOWN])
        self._lines(line, events, summary_line(tracking, status, zone), zone, now)
        late = status is not None and status.lateness in (Lateness.LATE, Lateness.SIGNED_LATE)
        self.set_class(True, "-shown").set_class(late, "-late").remove_class("-problem")

    def action_timeline(self) -> None:
        if self.tracking is not None:
            self.post_message(self.TimelineAsked())
