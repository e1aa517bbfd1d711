"""The outage journal on the workspace: the header says when the server is unreachable,
complaints saved meanwhile show as pending (banner, my clocks), and a replayer sends the
journal once the server answers, telling the agent what was sent.

A part of ``WorkspaceScreen`` (mixed in). The writes themselves go through the desk's
``JournalledWrites`` in each action's worker; this part shows the state and replays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import Static

from cs_console.config.language import t
from cs_console.domain.enums import Severity
from cs_console.ui.messages import JobFailed, JournalReplayed

if TYPE_CHECKING:
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.journal_replay import ReplayReport
    from cs_console.services.worklists import ClockRow

REPLAY_EVERY = 3.0  # seconds between looks at the journal (and at a server that was away)


class JournalActions:
    """Pending complaints, the outage line in the header, and the replayer."""

    def start_replayer(self) -> None:
        self._waiting = 0
        self._kept: dict[int, str] = {}  # journal seq -> provisional reference, until sent
        self._banner_shows = ""  # the provisional reference in the saved banner
        self._pending_rows: list[ClockRow] = []
        self.set_interval(REPLAY_EVERY, self.replay_journal)
        self.replay_journal()  # a journal left by an earlier session is sent at once

    def show_clock_rows(self) -> None:
        """My clocks: the complaints still waiting in the journal, then the last loaded."""
        rows = [*getattr(self, "_pending_rows", []), *getattr(self, "loaded_clocks", [])]
        self.clock_list.set_rows(rows)
        self.header.rows = rows
        self.header.tick()

    def show_outage(self, *, offline: bool) -> None:
        """Repaint the header's outage line from what is known now."""
        self._offline = offline
        if self.desk is not None:
            self.desk.writes.offline = offline
            self.header.set_outage(getattr(self, "_waiting", 0), offline)

    def complaint_kept(self, registered: RegisteredComplaint, form: Any) -> None:
        """A complaint went to the journal: say so, and list it as pending."""
        from cs_console.domain.masking import mask_name
        from cs_console.services.worklists import ClockRow

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

    @work(thread=True, exclusive=True, group="replay")
    def replay_journal(self) -> None:
        from cs_console.services.journal_replay import replay_journal

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
        banner = self.query_one("#saved-banner", Static)
        for sent in report.sent:
            provisional = self._kept.pop(sent.seq, None)
            if provisional is None:
                continue
            reference = sent.result["reference"]
            self._pending_rows = [r for r in self._pending_rows if r.reference != provisional]
            self.call.complaints = [
                reference if c == provisional else c for c in self.call.complaints
            ]
            if self._banner_shows == provisional:
                banner.update(t("journal.form.sent", reference=reference, provisional=provisional))
                banner.remove_class("-pending")
                self._banner_shows = ""
        for failed in report.failed:
            self._kept.pop(failed.seq, None)
            self._pending_rows = [r for r in self._pending_rows if r.complaint_id != -failed.seq]
            self.show_clock_rows()
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

    def pending_row_opened(self, complaint_id: int) -> bool:
        """Enter on a pending complaint: it cannot be opened before it is sent."""
        if complaint_id >= 0:
            return False
        self.notify(t("journal.lists.pending"), severity="warning", markup=False)
        return True
