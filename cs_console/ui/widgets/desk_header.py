"""The workspace header: company, who is signed in, the call and its timer, what needs care.

The call timer is derived from the stored start and the console's clock at every tick,
never counted up (timers skip late ticks; see docs/pitfalls.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.closing import while_open
from cs_console.ui.widgets.outage_line import OutageLine

if TYPE_CHECKING:
    from cs_console.domain.policy import ClockPolicy
    from cs_console.services.worklists import ClockRow


def call_timer(started: datetime, now: datetime) -> str:
    """mm:ss since ``started`` (hours folded into minutes: a 75-minute call is 75:00)."""
    seconds = max(int((now - started).total_seconds()), 0)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def breached_count(rows: Sequence[ClockRow], now: datetime, policy: ClockPolicy) -> int:
    """How many complaints have a clock past due."""
    from cs_console.domain.clocks import clock_state  # loaded after the first paint
    from cs_console.domain.enums import ClockState

    return sum(
        1
        for row in rows
        if any(clock_state(c, now, policy) is ClockState.BREACHED for c in row.clocks)
    )


class DeskHeader(Horizontal):
    """One line: brand · agent · call state · breached counter · server outage."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock: Callable[[], datetime] | None = None
        self.policy: ClockPolicy | None = None
        self.call_started: datetime | None = None
        self.rows: Sequence[ClockRow] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text(t("ui.app.title")), id="brand", markup=False)
        yield Static(Text(t("ui.header.signing_in")), id="who", markup=False)
        yield Static("", id="call-state", markup=False)
        yield Static("", id="alerts", markup=False)
        yield OutageLine(id="outage")

    def on_mount(self) -> None:
        self.set_interval(1, while_open(self, self.tick))
        self.tick()

    def set_identity(self, company: str, agent_no: str, name: str) -> None:
        brand = f"{clean_line(company)} · {t('ui.app.title')}"
        self.query_one("#brand", Static).update(Text(brand))
        who = t("ui.header.agent", agent_no=clean_line(agent_no), name=clean_line(name))
        self.query_one("#who", Static).update(Text(who))

    def set_outage(self, waiting: int, offline: bool, since: str = "") -> None:
        """Say the server is unreachable (since when, and how much waits in the outage
        journal), or that the journal is being sent; nothing once all is sent and the
        server answers."""
        shown = self.query_one("#outage", OutageLine).set_outage(waiting, offline, since)
        self.set_class(shown, "-outage")

    def set_message(self, text: str) -> None:
        self.query_one("#who", Static).update(Text(text))

    def tick(self) -> None:
        """Repaint the call timer and the breached counter from the clock."""
        state = self.query_one("#call-state", Static)
        if self.clock is None:
            state.update("")
            return
        now = self.clock()
        if self.call_started is not None:
            text = t("ui.header.in_call", timer=call_timer(self.call_started, now))
        else:
            text = t("ui.header.idle")
        state.update(Text(text))
        state.set_class(self.call_started is not None, "-in-call")
        alerts = self.query_one("#alerts", Static)
        count = breached_count(self.rows, now, self.policy) if self.policy else 0
        alerts.update(Text(t("ui.header.breached", count=count)) if count else "")
        alerts.set_class(bool(count), "-breached")
