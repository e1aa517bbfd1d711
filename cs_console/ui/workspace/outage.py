"""The outage journal on a screen that saves complaints: complaints kept in the journal
are listed as pending, a replayer sends the journal once the server answers, and the
person is told what was sent (and what the server refused).

``OutagePart`` serves the agent workspace and the outlet counter alike; the screen shows
what it says through an ``OutageView`` (the header's outage line, the list, a banner).
The writes themselves go through the desk's ``JournalledWrites`` in each action's worker;
this part keeps the state, replays, and decides which failures are worth telling while
the server is away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from cs_console.i18n import t
from cs_console.ui.jobs import job
from cs_console.ui.messages import Job, JobFailed, JournalReplayed
from cs_console.ui.workspace.parts import Part

if TYPE_CHECKING:
    from datetime import datetime

    from cs_console.domain.complaint_entry import ComplaintForm
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.journal.replay import ReplayReport, SentWrite
    from cs_console.services.worklists import ClockRow
    from cs_console.ui.desk import Desk
    from cs_console.ui.workspace.neighbours import Bench

REPLAY_EVERY = 3.0  # seconds between looks at the journal (and at a server that was away)


class OutageView(Protocol):
    """How a screen shows the outage journal."""

    def outage_changed(self, waiting: int, offline: bool, since: str) -> None:
        """Show the outage line: ``offline`` (``since`` when, as shown) and how many
        entries wait in the journal."""

    def pending_changed(self) -> None:
        """List the complaints again: ``pending_rows`` first, then those from the server."""

    def complaint_sent(self, provisional: str | None, sent: SentWrite) -> None:
        """A complaint reached the server: ``provisional`` if this screen kept it (else it
        was journalled earlier, by a session that ended), its real reference in ``sent``."""

    def complaint_refused(self, provisional: str) -> None:
        """The server refused a complaint this screen kept (the person is told already)."""

    def reload(self) -> None:
        """Load the lists again (the server has what was sent, or is back)."""


class WorkspaceOutage:
    """The workspace's ``OutageView``: the header's line, my clocks, the saved banner."""

    def __init__(self, bench: Bench) -> None:
        self.bench = bench

    def outage_changed(self, waiting: int, offline: bool, since: str) -> None:
        self.bench.header.set_outage(waiting, offline, since)

    def pending_changed(self) -> None:
        self.bench.clocks.show_rows()

    def complaint_sent(self, provisional: str | None, sent: SentWrite) -> None:
        self.bench.form.sent(provisional, sent)

    def complaint_refused(self, provisional: str) -> None:
        """The refusal's toast says it all; the banner goes with the next save."""

    def reload(self) -> None:
        self.bench.clocks.load_lists()


class OutagePart(Part):
    """Pending complaints, the outage state, and the replayer of the desk's journal."""

    def __init__(
        self,
        desk: Desk,
        view: OutageView,
        *,
        quiet: frozenset[str],
        said_once: frozenset[str],
    ) -> None:
        super().__init__(desk)
        self.view = view
        self.quiet = quiet  # jobs not told while the server is away (the header says it)
        self.said_once = said_once  # jobs whose failures are told once, then retried quietly
        self.offline = False
        self._waiting = 0
        self._kept: dict[int, str] = {}  # journal seq -> provisional reference, until sent
        self.pending_rows: list[ClockRow] = []

    def on_mount(self) -> None:
        self.every(REPLAY_EVERY, self.replay_journal)
        self.replay_journal()  # a journal left by an earlier session is sent at once

    def show_outage(self, *, offline: bool) -> None:
        """Repaint the outage line from what is known now."""
        self.offline = offline
        writes = self.desk.writes
        writes.offline = offline
        self.view.outage_changed(self._waiting, offline, self._since(writes.offline_since))

    def _since(self, since: datetime | None) -> str:
        """When the server was found away, as the header says it (the day too if not today)."""
        from cs_console.i18n import due_time

        if since is None:
            return ""
        return due_time(since, self.desk.console.now(), self.desk.console.zone)

    def worth_telling(self, message: JobFailed) -> bool:
        """A worker failed: False when the person need not be told (again). An outage is
        shown on the outage line, and writes go to the journal."""
        from cs_console.services.journal.writes import is_outage

        if is_outage(message.error):
            self.show_outage(offline=True)
            if message.job in self.quiet:
                return False
        if message.job in self.said_once:
            if self.offline:
                return False  # said once; the poll keeps trying quietly
            self.offline = True
        return True

    def keep_pending(self, registered: RegisteredComplaint, form: ComplaintForm) -> None:
        """A complaint went to the journal: list it as pending until it is sent."""
        from cs_console.domain.masking import mask_name
        from cs_console.services.worklists import ClockRow

        self._kept[-registered.id] = registered.reference
        self.pending_rows.append(
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
        self.view.pending_changed()
        self.replay_journal()  # counts what waits (and sends it if the server is back)

    def pending_row_opened(self, complaint_id: int) -> bool:
        """Enter on a pending complaint: it cannot be opened before it is sent."""
        if complaint_id >= 0:
            return False
        self.notify(t("journal.lists.pending"), severity="warning", markup=False)
        return True

    # -- the replayer ---------------------------------------------------------------------

    @job(Job.REPLAY, exclusive=True)
    def replay_journal(self) -> None:
        from cs_console.services.journal.replay import replay_journal

        writes = self.desk.writes
        if writes.journal.pending_count() == 0:
            if writes.offline:  # was the server away? then see whether it is back
                writes.check_server()
                self._send_sign_ins()
                self.post_message(JournalReplayed(None, 0, writes.offline))
            return
        report = replay_journal(self.desk.console, writes.journal, self.desk.actor.data_key)
        writes.offline = report.unreachable
        self._send_sign_ins()
        self.post_message(JournalReplayed(report, writes.journal.pending_count(), writes.offline))

    def _send_sign_ins(self) -> None:
        """The server answers again: the sign-ins tried offline go to its audit trail."""
        from cs_console.services.journal.sign_ins import send_offline_sign_ins
        from cs_console.services.journal.writes import is_outage

        writes = self.desk.writes
        if writes.offline:
            return
        try:
            send_offline_sign_ins(self.desk.console, writes.journal, self.desk.actor.data_key)
        except Exception as error:
            if not is_outage(error):
                raise
            writes.offline = True

    def on_journal_replayed(self, message: JournalReplayed) -> None:
        self._waiting = message.waiting
        self.show_outage(offline=message.offline)
        report = message.report
        if report is not None and (report.sent or report.failed):
            self._tell_what_was_sent(report)
            self.view.reload()
        elif not message.offline:
            self.view.reload()  # back after an outage: what others wrote meanwhile

    def _tell_what_was_sent(self, report: ReplayReport) -> None:
        for sent in report.sent:
            if sent.operation != "register_complaint":
                continue
            provisional = self._kept.pop(sent.seq, None)
            if provisional is not None:
                self.pending_rows = [r for r in self.pending_rows if r.reference != provisional]
            self.view.complaint_sent(provisional, sent)
        for failed in report.failed:
            provisional = self._kept.pop(failed.seq, None)
            self.pending_rows = [r for r in self.pending_rows if r.complaint_id != -failed.seq]
            self.view.pending_changed()
            if provisional is not None:
                self.view.complaint_refused(provisional)
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
