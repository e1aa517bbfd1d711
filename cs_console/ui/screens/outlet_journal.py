"""The outage journal on the outlet counter: the outage line in the header, walk-ins saved
meanwhile listed as pending, and a banner that follows each one until the server has it
(``已发送：投诉编号 C-… (离线登记为 C-…-P001)``), or refused it.

A part of ``OutletScreen`` (mixed in): the outlet's ``OutageView`` of the shared
``OutagePart`` (ui/workspace/outage.py), which keeps the state and replays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.ui.widgets.outage_line import OutageLine

if TYPE_CHECKING:
    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.journal.replay import SentWrite
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.workspace.outage import OutagePart

WAITING, SENT, REFUSED = "waiting", "sent", "refused"


class OutletJournal(Screen[None]):
    """The outlet's outage line, pending walk-ins in its list, and the journal banner."""

    # provisional reference -> (waiting / sent / refused, real reference); the screen's own
    _told: dict[str, tuple[str, str]]
    outage: OutagePart
    loaded_rows: list[ClockRow]  # the outlet's complaints, as last loaded

    @property
    def outlet_list(self) -> ClockList:
        from cs_console.ui.widgets.clock_list import ClockList

        return self.query_one("#outlet-complaints", ClockList)

    def pending_changed(self) -> None:
        """The outlet's list: walk-ins still in the journal first, then the last loaded."""
        self.outlet_list.set_rows([*self.outage.pending_rows, *self.loaded_rows])

    def outage_changed(self, waiting: int, offline: bool, since: str) -> None:
        self.query_one("#outage", OutageLine).set_outage(waiting, offline, since)

    # -- the banner: one line per walk-in saved offline -----------------------------------

    def walk_in_kept(self, registered: RegisteredComplaint, form: ComplaintForm) -> None:
        """A walk-in went to the journal: banner and list say it waits."""
        self._told[registered.reference] = (WAITING, "")
        self._show_banner()
        self.outage.keep_pending(registered, form)

    def forget_told(self) -> None:
        """A new complaint was saved: lines about walk-ins already sent (or refused) go."""
        for provisional, (state, _reference) in list(self._told.items()):
            if state != WAITING:
                del self._told[provisional]
        self._show_banner()

    def complaint_sent(self, provisional: str | None, sent: SentWrite) -> None:
        # A walk-in journalled by an earlier session (closed or crashed) is told all the same.
        self._told[provisional or sent.provisional] = (SENT, sent.result["reference"])
        self._show_banner()

    def complaint_refused(self, provisional: str) -> None:
        self._told[provisional] = (REFUSED, "")
        self._show_banner()

    def _show_banner(self) -> None:
        lines = []
        for provisional, (state, reference) in self._told.items():
            if state == SENT:
                lines.append(t("journal.form.sent", reference=reference, provisional=provisional))
            else:
                lines.append(t(f"outlet.pending.{state}", reference=provisional))
        banner = self.query_one("#saved-banner", Static)
        banner.update(Text("\n".join(lines)))
        banner.set_class(bool(lines), "-shown")
        waiting = any(state != SENT for state, _reference in self._told.values())
        banner.set_class(waiting, "-pending")
