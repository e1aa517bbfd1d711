"""Working the callback queue (F4): outcomes, their undo, and dialling.

The queue pane posts what was chosen; ``CallbacksPart`` asks for the rest (the reached
dialog's note and score, the wrong number dialog's number or reason, the reveal's reason),
calls the services in a worker, and says what happened in a toast that offers the undo
key while the policy's undo window lasts. No answer before the retry is due records
nothing and says when to try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from cs_console.domain.callbacks import FOLLOWUP_KINDS, retry_not_due
from cs_console.domain.enums import AttemptOutcome
from cs_console.domain.text import clean_line
from cs_console.i18n import clock_time, t
from cs_console.ui.jobs import job
from cs_console.ui.messages import AttemptRecorded, AttemptUndone, CallbackRevealed, Job
from cs_console.ui.workspace.layout import show_lists
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from datetime import datetime

    from cs_console.services.callback_attempts import AttemptResult
    from cs_console.services.worklists import QueueRow


def _who(row: QueueRow) -> str:
    return " ".join(part for part in (clean_line(row.customer), row.phone) if part)


class CallbacksPart(WorkspacePart):
    """The callback queue's outcomes, undo and reveal, through the services."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f4,ctrl+b",
            "callback_queue",
            "ui.key.callback_queue",
            key_display="F4",
            id="callback-queue",
        ),
    ]
    WAITS_FOR_DRAFT = frozenset({"callback_queue"})

    def action_callback_queue(self) -> None:
        show_lists(self.screen)
        self.bench.queue_pane.focus()

    def show(self, rows: list[QueueRow]) -> None:
        self.bench.queue_pane.set_rows(rows)

    def _local_time(self, at: datetime) -> str:
        return clock_time(at, self.desk.console.zone)

    # -- outcomes -------------------------------------------------------------------------

    def attempt_chosen(self, outcome: AttemptOutcome, row: QueueRow) -> None:
        """An outcome chosen on the queue: asked for what it needs, then recorded."""
        from cs_console.ui.screens.callback_dialogs import ReachedDialog, WrongNumberDialog

        if outcome is AttemptOutcome.NO_ANSWER:
            if retry_not_due(row.attempts, row.due_at, self.desk.console.now()):
                self._retry_not_due(row.due_at)  # nothing new to record
                return
            self._record_attempt(row.callback_id, AttemptOutcome.NO_ANSWER, {}, row.attempts + 1)
            return

        def answered(answer: Any) -> None:
            if answer is None:
                return
            if outcome is AttemptOutcome.REACHED:
                details = {"note": answer.note, "satisfaction": answer.satisfaction}
            else:
                details = {"phone": answer.phone, "reason": answer.reason}
            self._record_attempt(row.callback_id, outcome, details, row.attempts + 1)

        if outcome is AttemptOutcome.REACHED:
            needs_score = row.kind in FOLLOWUP_KINDS and row.complaint_id is not None
            title = t("lists.dialog.reached_title", who=_who(row))
            self.app.push_screen(ReachedDialog(title, needs_score=needs_score), answered)
        else:
            title = t("lists.dialog.wrong_title", who=_who(row))
            self.app.push_screen(WrongNumberDialog(title), answered)

    def _retry_not_due(self, due: datetime) -> None:
        text = t("lists.outcome.retry_not_due", time=self._local_time(due))
        self.notify(text, severity="warning", markup=False)

    @job(Job.ATTEMPT, exclusive=True)
    def _record_attempt(
        self, callback_id: int, outcome: AttemptOutcome, details: dict[str, Any], tries: int
    ) -> None:
        from cs_console.services.callback_attempts import RetryNotDue

        desk = self.desk
        try:
            written = desk.writes.record_attempt(desk.actor, callback_id, outcome, **details)
        except RetryNotDue as refused:  # another console's attempt came first
            self.app.call_from_thread(self._retry_not_due, refused.due)
            return
        said = {**details, "tries": tries, "callback_id": callback_id}
        self.post_message(AttemptRecorded(outcome, written.result, written.pending, said))

    def on_attempt_recorded(self, message: AttemptRecorded) -> None:
        queue = self.bench.queue_pane
        queue.forget_revealed(message.details.get("callback_id", 0))
        if message.pending:
            queue.withdraw_undo()  # an entry in the journal: its undo needs the server
            self.notify(t("journal.callback.attempt"), severity="warning", markup=False)
            self.bench.outage.replay_journal()
            return
        result: AttemptResult = message.result
        seconds = round(self.desk.console.policy.callbacks.undo_window.total_seconds())
        text = self._outcome_text(message.outcome, result, message.details)
        if result.undo_until is not None:
            queue.offer_undo(result.attempt_id, result.undo_until)
            text += "\n" + t("lists.outcome.undo_hint", seconds=seconds)
        self.notify(text, markup=False, timeout=min(max(seconds, 5), 10))  # the footer keeps u
        self.bench.clocks.load_lists()

    def _outcome_text(
        self, outcome: AttemptOutcome, result: AttemptResult, details: dict[str, Any]
    ) -> str:
        from cs_console.domain.masking import mask_phone
        from cs_console.domain.validation import normalize_phone

        policy = self.desk.console.policy
        score = details.get("satisfaction")
        if result.second_followup_due is not None:
            hours = policy.clocks.second_followup.total_seconds() / 3600
            return t("lists.outcome.reopened", score=score, hours=f"{hours:g}")
        if result.closed_complaint:
            return t("lists.outcome.closed", score=score)
        if outcome is AttemptOutcome.REACHED:
            return t("lists.outcome.reached")
        if outcome is AttemptOutcome.NO_ANSWER:
            tries = details.get("tries", 0)
            if result.retry_due is None:
                return t("lists.outcome.gave_up", n=tries)
            return t(
                "lists.outcome.no_answer",
                time=self._local_time(result.retry_due),
                n=tries,
                max=policy.callbacks.max_attempts,
            )
        if result.corrected:
            phone = mask_phone(normalize_phone(details.get("phone", "")) or "")
            return t("lists.outcome.corrected", phone=phone)
        return t("lists.outcome.closed_wrong")

    # -- undo -----------------------------------------------------------------------------

    @job(Job.UNDO, exclusive=True, group="attempt")
    def undo_attempt(self, attempt_id: int) -> None:
        """u: take the outcome back (while the server is away, it cannot be)."""
        from cs_console.services.callback_attempts import undo_attempt
        from cs_console.services.journal.writes import is_outage

        try:
            undo_attempt(self.desk.console, self.desk.actor, attempt_id)
        except Exception as exc:
            if not is_outage(exc):
                raise
            self.app.call_from_thread(
                self.notify, t("lists.outcome.undo_offline"), severity="warning", markup=False
            )
            return
        self.post_message(AttemptUndone(attempt_id))

    def on_attempt_undone(self, _message: AttemptUndone) -> None:
        self.notify(t("lists.outcome.undone"), markup=False)
        self.bench.clocks.load_lists()

    # -- dialling -------------------------------------------------------------------------

    def reveal_asked(self, callback_id: int) -> None:
        """p: ask why, then show the number in full for dialling (the service records it)."""
        from cs_console.ui.screens.reveal_dialog import RevealDialog

        def reason_given(reason: str | None) -> None:
            if reason:
                self._reveal_number(callback_id, reason)

        self.app.push_screen(RevealDialog(self.desk.console.policy.security), reason_given)

    @job(Job.REVEAL, exclusive=True)
    def _reveal_number(self, callback_id: int, reason: str) -> None:
        from cs_console.services.customers import reveal_callback_phone

        desk = self.desk
        phone = reveal_callback_phone(desk.console, desk.actor, callback_id, reason)
        self.post_message(CallbackRevealed(callback_id, phone))

    def on_callback_revealed(self, message: CallbackRevealed) -> None:
        self.bench.queue_pane.show_revealed(message.callback_id, message.phone)
