"""The outage journal on a screen that saves complaints: complaints kept in the journal are
listed as pending, a replayer sends the journal once the server answers, and the person is
told what was sent (and what the server refused).

Mixed into the agent workspace (ui/screens/workspace_journal.py) and the outlet counter
(ui/screens/outlet_journal.py). The writes themselves go through the desk's
``JournalledWrites`` in each action's worker; this part keeps the state and replays. The
screen provides ``desk`` and ``load_lists()``, and shows things through the hooks below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from cs_console.i18n import t
from cs_console.ui.messages import JobFailed, JournalReplayed

if TYPE_CHECKING:
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.journal.replay import ReplayReport, SentWrite
    from cs_console.services.worklists import ClockRow

REPLAY_EVERY = 3.0  # seconds between looks at the journal (and at a server that was away)


class OutageJournal:
    """Pending complaints, the outage state, and the replayer of the desk's journal."""

    # -- hooks: how the screen shows it ---------------------------------------------------

    def outage_changed(self, waiting: int, offline: bool) -> None:
        """Show the outage line: ``offline`` and how many entries wait in the journal."""

    def show_clock_rows(self) -> None:
        """List the complaints: ``pending_rows`` first, then those loaded from the server."""

    def complaint_sent(self, provisional: str | None, sent: SentWrite) -> None:
        """A complaint reached the server: ``provisional`` if this screen kept it (else it
        was journalled earlier, by a session that ended), its real reference in ``sent``."""

    def complaint_refused(self, provisional: str) -> None:
        """The server refused a complaint this screen kept (the person is told already)."""

    # -- state ----------------------------------------------------------------------------

    def start_replayer(self) -> None:
        self._waiting = 0
        self._kept: dict[int, str] = {}  # journal seq -> provisional reference, until sent
        self._pending_rows: list[ClockRow] = []
        self.set_interval(REPLAY_EVERY, self.replay_journal)
        self.replay_journal()  # a journal left by an earlier session is sent at once

    @property
    def pending_rows(self) -> list[ClockRow]:
        return getattr(self, "_pending_rows", [])

    def show_outage(self, *, offline: bool) -> None:
        """Repaint the outage line from what is known now."""
        self._offline = offline
        if self.desk is not None:
            self.desk.writes.offline = offline
            self.outage_changed(getattr(self, "_waiting", 0), offline)

    def keep_pending(self, registered: RegisteredComplaint, form: Any) -> None:
        """A complaint went to the journal: list it as pending until it is sent."""
        from cs_console.domain.masking import mask_name
        from cs_console.services.worklists import ClockRow

        self._kept[-registered.id] = registered.reference
        self._pending_rows.append(
            ClockRow(
                complaint_id=registered.id,
                reference=registered.reference,
                severity=registered.classification.severity.value,
                category=form.category,
                status="registered",
                customer=mask_name(form.customer_name),
                clocks=(registered.verify, registered.resolve),
            )
        )
        self.show_clock_rows()
        self.replay_journal()  # counts what waits (and sends it if the server is back)

    def pending_row_opened(self, complaint_id: int) -> bool:
        """Enter on a pending complaint: it cannot be opened before it is sent."""
        if complaint_id >= 0:
            return False
        self.notify(t("journal.lists.pending"), severity="warning", markup=False)
        return True

    # -- the replayer ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="replay")
    def replay_journal(self) -> None:
        from cs_console.services.journal.replay import replay_journal

        desk = self.desk
        if desk is None:
            return
        writes = desk.writes
        try:
            if writes.journal.pending_count() == 0:
                if writes.offline:  # was the server away? then see whether it is back
                    writes.check_server()
                    self.post_message(JournalReplayed(None, 0, writes.offline))
                return
            report = replay_journal(desk.console, writes.journal, desk.actor.data_key)
        except Exception as exc:
            self.post_message(JobFailed("replay", exc))
            return
        writes.offline = report.unreachable
        self.post_message(JournalReplayed(report, writes.journal.pending_count(), writes.offline))

    def on_journal_replayed(self, message: JournalReplayed) -> None:
        self._waiting = message.waiting
        self.show_outage(offline=message.offline)
        report = message.report
        if report is not None and (report.sent or report.failed):
            self._tell_what_was_sent(report)
            self.load_lists()
        elif not message.offline:
            self.load_lists()  # back after an outage: what others wrote meanwhile

    def _tell_what_was_sent(self, report: ReplayReport) -> None:
        for sent in report.sent:
            if sent.operation != "register_complaint":
                continue
            provisional = self._kept.pop(sent.seq, None)
            if provisional is not None:
                self._pending_rows = [r for r in self._pending_rows if r.reference != provisional]
            self.complaint_sent(provisional, sent)
        for failed in report.failed:
            provisional = self._kept.pop(failed.seq, None)
            self._pending_rows = [r for r in self._pending_rows if r.complaint_id != -failed.seq]
            self.show_clock_rows()
            if provisional is not None:
                self.complaint_refused(provisional)
            what = t(f"journal.operation.{failed.operation}")
            self.notify(
                t("journal.replay.refused", what=what, reason=t(f"error.{failed.error}")),
                title=t("journal.replay.refused_title"),
                severity="error",
                markup=False,
                timeout=30,
            )
        if report.sent:
            lines = [t("journal.replay.sent", count=len(report.sent))]
            if report.references:
                lines.append(
                    t("journal.replay.complaints", references=", ".join(report.references))
                )
            self.notify("\n".join(lines), title=t("journal.replay.title"), markup=False, timeout=15)
