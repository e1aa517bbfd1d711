"""Working the callback queue on the workspace: outcomes, their undo, and dialling.

A part of ``WorkspaceScreen`` (mixed in). The queue posts what was chosen; this asks for the
rest (the reached dialog's note and score, the wrong number dialog's number or reason, the
reveal's reason), calls the services in a worker, and says what happened in a toast that
offers the undo key while the policy's undo window lasts. No answer before the retry is due
records nothing and says when to try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from cs_console.domain.callbacks import FOLLOWUP_KINDS, retry_not_due
from cs_console.domain.enums import AttemptOutcome
from cs_console.domain.text import clean_line
from cs_console.i18n import clock_time, t
from cs_console.ui.messages import AttemptRecorded, AttemptUndone, CallbackRevealed, JobFailed

if TYPE_CHECKING:
    from datetime import datetime

    from cs_console.services.callback_attempts import AttemptResult
    from cs_console.services.worklists import QueueRow
    from cs_console.ui.widgets.callback_queue import CallbackQueue


def _who(row: QueueRow) -> str:
    return " ".join(part for part in (clean_line(row.customer), row.phone) if part)


class CallbackActions:
    """The callback queue's outcomes, undo and reveal, through the services."""

    def _local_time(self, at: datetime) -> str:
        return clock_time(at, self.desk.console.zone)

    # -- outcomes -------------------------------------------------------------------------

    def on_callback_queue_attempt_chosen(self, message: CallbackQueue.AttemptChosen) -> None:
        from cs_console.ui.screens.callback_dialogs import ReachedDialog, WrongNumberDialog

        desk, row = self.desk, message.row
        if desk is None:
            return
        if message.outcome is AttemptOutcome.NO_ANSWER:
            if retry_not_due(row.attempts, row.due_at, desk.console.now()):
                self._retry_not_due(row.due_at)  # nothing new to record
                return
            self._record_attempt(row.callback_id, AttemptOutcome.NO_ANSWER, {}, row.attempts + 1)
            return

        def answered(answer: Any) -> None:
            if answer is None:
                return
            if message.outcome is AttemptOutcome.REACHED:
                details = {"note": answer.note, "satisfaction": answer.satisfaction}
            else:
                details = {"phone": answer.phone, "reason": answer.reason}
            self._record_attempt(row.callback_id, message.outcome, details, row.attempts + 1)

        if message.outcome is AttemptOutcome.REACHED:
            needs_score = row.kind in FOLLOWUP_KINDS and row.complaint_id is not None
            title = t("lists.dialog.reached_title", who=_who(row))
            self.app.push_screen(ReachedDialog(title, needs_score=needs_score), answered)
        else:
            title = t("lists.dialog.wrong_title", who=_who(row))
            self.app.push_screen(WrongNumberDialog(title), answered)

    def _retry_not_due(self, due: datetime) -> None:
        text = t("lists.outcome.retry_not_due", time=self._local_time(due))
        self.notify(text, severity="warning", markup=False)

    @work(thread=True, exclusive=True, group="attempt")
    def _record_attempt(
        self, callback_id: int, outcome: AttemptOutcome, details: dict[str, Any], tries: int
    ) -> None:
        from cs_console.services.callback_attempts import RetryNotDue

        desk = self.desk
        assert desk is not None
        try:
            written = desk.writes.record_attempt(desk.actor, callback_id, outcome, **details)
        except RetryNotDue as refused:
            self.app.call_from_thread(self._retry_not_due, refused.due)
            return
        except Exception as exc:
            self.post_message(JobFailed("attempt", exc))
            return
        said = {**details, "tries": tries, "callback_id": callback_id}
        self.post_message(AttemptRecorded(outcome, written.result, written.pending, said))

    def on_attempt_recorded(self, message: AttemptRecorded) -> None:
        queue = self.callback_queue
        queue.forget_revealed(message.details.get("callback_id", 0))
        if message.pending:
            queue.withdraw_undo()  # an entry in the journal: its undo needs the server
            self.notify(t("journal.callback.attempt"), severity="warning", markup=False)
            self.replay_journal()
            return
        result: AttemptResult = message.result
        seconds = round(self.desk.console.policy.callbacks.undo_window.total_seconds())
        text = self._outcome_text(message.outcome, result, message.details)
        if result.undo_until is not None:
            queue.offer_undo(result.attempt_id, result.undo_until)
            text += "\n" + t("lists.outcome.undo_hint", seconds=seconds)
        self.notify(text, markup=False, timeout=min(max(seconds, 5), 10))  # the footer keeps u
        self.load_lists()

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

    def on_callback_queue_undo_chosen(self, message: CallbackQueue.UndoChosen) -> None:
        self._undo_attempt(message.attempt_id)

    @work(thread=True, exclusive=True, group="attempt")
    def _undo_attempt(self, attempt_id: int) -> None:
        from cs_console.services.callback_attempts import undo_attempt
        from cs_console.services.journal.writes import is_outage

        desk = self.desk
        assert desk is not None
        try:
            undo_attempt(desk.console, desk.actor, attempt_id)
        except Exception as exc:
            if is_outage(exc):
                self.app.call_from_thread(
                    self.notify, t("lists.outcome.undo_offline"), severity="warning", markup=False
                )
                return
            self.post_message(JobFailed("undo", exc))
            return
        self.post_message(AttemptUndone(attempt_id))

    def on_attempt_undone(self, _message: AttemptUndone) -> None:
        self.notify(t("lists.outcome.undone"), markup=False)
        self.load_lists()

    # -- dialling -------------------------------------------------------------------------

    def on_callback_queue_reveal_asked(self, message: CallbackQueue.RevealAsked) -> None:
        """p: ask why, then show the number in full for dialling (the service records it)."""
        from cs_console.ui.screens.reveal_dialog import RevealDialog

        callback_id = message.row.callback_id
        desk = self.desk
        if desk is None:
            return

        def reason_given(reason: str | None) -> None:
            if reason:
                self._reveal_number(callback_id, reason)

        self.app.push_screen(RevealDialog(desk.console.policy.security), reason_given)

    @work(thread=True, exclusive=True, group="reveal")
    def _reveal_number(self, callback_id: int, reason: str) -> None:
        from cs_console.services.customers import reveal_callback_phone

        desk = self.desk
        assert desk is not None
        try:
            phone = reveal_callback_phone(desk.console, desk.actor, callback_id, reason)
        except Exception as exc:
            self.post_message(JobFailed("reveal", exc))
            return
        self.post_message(CallbackRevealed(callback_id, phone))

    def on_callback_revealed(self, message: CallbackRevealed) -> None:
        self.callback_queue.show_revealed(message.callback_id, message.phone)
