"""The outage journal on the workspace: the header says when the server is unreachable,
complaints saved meanwhile show as pending (banner, my clocks), and once the journal is
sent the banner gives the complaint's real number.

A part of ``WorkspaceScreen`` (mixed in): the workspace's side of the shared
``OutageJournal`` (ui/screens/outage_journal.py), which keeps the state and replays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Static

from cs_console.domain.enums import Severity
from cs_console.i18n import t
from cs_console.ui.screens.outage_journal import REPLAY_EVERY, OutageJournal

if TYPE_CHECKING:
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.journal.replay import SentWrite

__all__ = ["REPLAY_EVERY", "JournalActions"]


class JournalActions(OutageJournal):
    """The header's outage line, the saved banner and my clocks through an outage."""

    _banner_shows = ""  # the provisional reference in the saved banner

    def show_clock_rows(self) -> None:
        """My clocks: the complaints still waiting in the journal, then the last loaded."""
        rows = [*self.pending_rows, *getattr(self, "loaded_clocks", [])]
        self.clock_list.set_rows(rows)
        self.header.rows = rows
        self.header.tick()

    def outage_changed(self, waiting: int, offline: bool) -> None:
        self.header.set_outage(waiting, offline)

    def complaint_kept(self, registered: RegisteredComplaint, form: Any) -> str:
        """A complaint went to the journal: say so, and list it as pending; returns what
        the banner says (what to tell the caller)."""
        desk = self.desk
        assert desk is not None
        hours = int(desk.console.policy.callbacks.outage_callback.total_seconds() // 3600)
        lines = [
            t("journal.form.saved", reference=registered.reference, hours=hours),
            t("journal.form.unchecked"),
        ]
        if registered.classification.severity is Severity.MAJOR:
            lines.append(t("journal.form.major_later"))
        banner = self.query_one("#saved-banner", Static)
        banner.update("\n".join(lines))
        banner.add_class("-pending")
        self._banner_shows = registered.reference
        self.keep_pending(registered, form)
        return lines[0]

    def complaint_sent(self, provisional: str | None, sent: SentWrite) -> None:
        if provisional is None:
            return  # journalled by an earlier session: the notification names it
        reference = sent.result["reference"]
        self.call.complaints = [reference if c == provisional else c for c in self.call.complaints]
        if self._banner_shows == provisional:
            banner = self.query_one("#saved-banner", Static)
            banner.update(t("journal.form.sent", reference=reference, provisional=provisional))
            banner.remove_class("-pending")
            self._banner_shows = ""
