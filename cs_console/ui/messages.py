"""Messages posted by the app's and the workspace's thread workers with their results.

Workers run service calls off the UI thread and post one of these; handlers run on the UI
thread. Widget-level messages (``ComplaintFormPane.Changed`` …) live in their widgets.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from textual.message import Message

from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.domain.enums import AttemptOutcome
    from cs_console.domain.prohibited import ProhibitedItem
    from cs_console.domain.scripts import CallScript
    from cs_console.services.accounts import Login
    from cs_console.services.complaints import RegisteredComplaint
    from cs_console.services.context import ServiceContext
    from cs_console.services.drafts import KeptDraft
    from cs_console.services.journal.replay import ReplayReport
    from cs_console.services.journal.writes import JournalledWrites
    from cs_console.services.worklists import ClockRow, QueueRow


def describe_error(exc: BaseException) -> str:
    """A refused or failed service call in plain words for the agent.

    Only the services' refusals carry an ``error.`` key; a database driver's exception has a
    ``code`` attribute of its own (SQLAlchemy's "e3q8"), which is no key of ours.
    """
    from cs_console.services.context import ServiceError

    if isinstance(exc, ServiceError):
        fields = getattr(exc, "fields", None)
        if isinstance(fields, dict) and fields:
            return "; ".join(
                f"{t('ui.field.' + name)}: {t('error.' + str(problem))}"
                for name, problem in fields.items()
            )
        return t("error." + exc.code)
    from cs_console.services.journal.writes import is_outage  # loaded by the failed worker

    if is_outage(exc):
        return t("error.server_unreachable")
    return t("ui.error.unexpected", detail=type(exc).__name__)


class FirstPaint(Message):
    """The app's first frame is on the terminal (posted to its screen, bubbles to the app):
    slow building and loading may start now."""


class ConsoleReady(Message):
    """The console (engine, policy, clock) and the call texts are loaded."""

    def __init__(
        self,
        console: ServiceContext,
        company: str,
        script: CallScript,
        items: tuple[ProhibitedItem, ...],
        writes: JournalledWrites,
    ) -> None:
        super().__init__()
        self.console, self.company, self.script, self.items = console, company, script, items
        self.writes = writes


class StartFailed(Message):
    """The console cannot open (database not initialised, bad policy file …)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SignedIn(Message):
    def __init__(self, login: Login) -> None:
        super().__init__()
        self.login = login


class SignInFailed(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Job(StrEnum):
    """What a worker tried: the title of the toast that says it failed (``ui.job.<value>``)."""

    START_CALL = "start_call"
    MARK_ANSWERED = "mark_answered"
    END_CALL = "end_call"
    SAVE = "save"
    PROMISE = "promise"
    HISTORY = "history"
    LISTS = "lists"
    POLL = "poll"
    BOARD = "board"
    ATTEMPT = "attempt"
    UNDO = "undo"
    REVEAL = "reveal"
    DRAFT = "draft"
    KEPT = "kept"
    REPLAY = "replay"
    LIST = "list"  # the outlet's list
    REPEAT = "repeat"  # the outlet's repeat check
    ORDERS = "orders"  # the outlet's work orders
    SEND_ORDER = "send_order"  # a work order sent from the workspace
    TRACKING = "tracking"  # the parcel box's lookup


class JobFailed(Message):
    """A worker's service call was refused or failed; ``job`` names what was tried (a
    ``Job``; other screens give their own names)."""

    def __init__(self, job: str, error: BaseException) -> None:
        super().__init__()
        self.job, self.error = job, error
        self.text = describe_error(error)
        self.fields: dict[str, str] = dict(getattr(error, "fields", None) or {})


class CallStarted(Message):
    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id


class CallEnded(Message):
    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id


class ListsLoaded(Message):
    def __init__(self, clocks: list[ClockRow], queue: list[QueueRow]) -> None:
        super().__init__()
        self.clocks, self.queue = clocks, queue


class ComplaintSaved(Message):
    """A complaint was registered (or kept in the outage journal: ``registered.pending``)."""

    def __init__(self, registered: RegisteredComplaint, form: Any = None) -> None:
        super().__init__()
        self.registered, self.form = registered, form


class CallbackPromised(Message):
    def __init__(self, due: datetime, pending: bool = False) -> None:
        super().__init__()
        self.due, self.pending = due, pending


class AttemptRecorded(Message):
    """An attempt was stored (``result``: its ``AttemptResult``), or journalled
    (``pending``); ``details`` are what was asked for it (note, score, number, reason)."""

    def __init__(
        self,
        outcome: AttemptOutcome,
        result: Any,
        pending: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.outcome, self.result, self.pending = outcome, result, pending
        self.details = details or {}


class AttemptUndone(Message):
    """An attempt's outcome was taken back."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__()
        self.attempt_id = attempt_id


class CallbackRevealed(Message):
    """A callback's number, in full for dialling (the reveal is recorded)."""

    def __init__(self, callback_id: int, phone: str) -> None:
        super().__init__()
        self.callback_id, self.phone = callback_id, phone


class JournalReplayed(Message):
    """The replayer looked at the outage journal: what it sent, and what still waits."""

    def __init__(self, report: ReplayReport | None, waiting: int, offline: bool) -> None:
        super().__init__()
        self.report, self.waiting, self.offline = report, waiting, offline


class DraftFound(Message):
    """The person's saved workspace draft (``payload`` None: there is none)."""

    def __init__(self, payload: dict[str, Any] | None, saved_at: datetime | None) -> None:
        super().__init__()
        self.payload, self.saved_at = payload, saved_at


class KeptDraftsLoaded(Message):
    """The person's complaint forms kept for later; ``show``: open the list (F12)."""

    def __init__(self, drafts: list[KeptDraft], *, show: bool = False) -> None:
        super().__init__()
        self.drafts, self.show = drafts, show
