"""A parcel's full timeline over the call (Enter on the parcel box; Escape closes).

Every event, newest first, with its time and place, then the hubs, the delivering outlet,
the route and where the answer came from. The provider's text is shown literally. A
timeline longer than ``MAX_SHOWN`` events shows the newest of them and says how many more
there are (``cs-console track`` prints them all).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.domain.text import clean_line
from cs_console.domain.tracking import Tracking
from cs_console.i18n import full_time, t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.parcel_box import event_line

MAX_SHOWN = 500


def timeline_text(tracking: Tracking, zone: tzinfo | None) -> Text:
    """Every event (up to ``MAX_SHOWN``) on its own line, places after the text."""
    lines = Text()
    for event in tracking.events[:MAX_SHOWN]:
        line = event_line(event.at, event.text, zone)
        if event.place:
            line.append(f"  @{clean_line(event.place)}", style="dim")
        lines.append_text(line)
        lines.append("\n")
    hidden = len(tracking.events) - MAX_SHOWN
    if hidden > 0:
        lines.append(t("parcel.timeline.more", count=hidden), style="dim")
    return lines


class ParcelTimelineScreen(ModalScreen[None]):
    """The whole timeline of one parcel; Escape goes back to the call."""

    DEFAULT_CSS = """
    ParcelTimelineScreen { align: center middle; }
    #timeline-box {
        width: 90%;
        height: 90%;
        border: round $accent;
        border-title-color: $text-accent;
        background: $surface;
        padding: 0 1;
    }
    #timeline-events { height: 1fr; }
    #timeline-events > Static { width: 1fr; height: auto; }
    #timeline-summary { height: auto; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "parcel.key.close", id="parcel-timeline-close"),
    ]

    def __init__(self, tracking: Tracking, zone: tzinfo | None) -> None:
        super().__init__()
        translate_bindings(self)
        self.tracking, self.zone = tracking, zone

    def compose(self) -> ComposeResult:
        tracking = self.tracking
        with Vertical(id="timeline-box"):
            with VerticalScroll(id="timeline-events"):
                yield Static(timeline_text(tracking, self.zone), markup=False)
            summary = t(
                "parcel.timeline.summary",
                hubs=" → ".join(clean_line(h) for h in tracking.hubs) or "-",
                outlet=clean_line(tracking.outlet) or "-",
                route=clean_line(tracking.route) or "-",
                source=tracking.source,
                fetched_at=full_time(tracking.fetched_at, self.zone),
            )
            yield Static(Text(summary), id="timeline-summary", markup=False)
            yield Static(Text(t("parcel.timeline.hint")), markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#timeline-box")
        state = t(f"tracking.state.{self.tracking.state.value}")
        box.border_title = t(
            "parcel.timeline.title", number=clean_line(self.tracking.tracking_no), state=state
        )
        self.query_one("#timeline-events").focus()

    def action_close(self) -> None:
        self.dismiss(None)
