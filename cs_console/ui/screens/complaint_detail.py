"""One complaint in full, with the steps its owner takes next: verify, resolve, hand over;
with a reason that is recorded, the customer's full name and phone (p); and, for
supervisors only, who is responsible for it (a: the agent it counts against).

Everything a customer typed is shown as literal text (``Content.assemble`` with plain
string parts, never markup). Reads and writes run in thread workers and come back as
messages; the services are imported inside the workers, so opening this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from cs_console.domain.approvals import covers
from cs_console.domain.enums import Approval, ComplaintStatus, Role
from cs_console.domain.permissions import Action, can
from cs_console.domain.text import clean_line
from cs_console.i18n import t
from cs_console.ui.closing import while_open
from cs_console.ui.error_words import error_code, error_text
from cs_console.ui.screens.attribute_dialog import AttributeDialog
from cs_console.ui.screens.complaint_detail_dialogs import HandOverDialog, Resolution
from cs_console.ui.screens.complaint_orders import OrderActions
from cs_console.ui.screens.complaint_resolving import ResolvingActions
from cs_console.ui.screens.complaint_text import clocks, customer_text, history, summary
from cs_console.ui.screens.reveal_dialog import RevealDialog
from cs_console.ui.widgets.binding_text import translate_bindings

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.worklists import ComplaintView

HAND_OVER_ROLES = (Role.SPECIALIST.value, Role.SUPERVISOR.value, Role.AGENT.value)
GONE = ("complaint_not_visible", "not_your_outlet")  # the reload after an action is refused
CHANGED = "complaint_changed"  # someone else saved first: reload, keep what this person typed
# What each key needs the role to be allowed (domain.permissions); greyed out otherwise.
ACTION_NEEDS = {
    "verify": Action.VERIFY,
    "resolve": Action.RECORD_RESOLUTION,
    "hand_over": Action.HAND_OVER,
    "reveal": Action.REVEAL_PERSONAL_DATA,
    "attribute": Action.RATE_AGENTS,
    "approve": Action.APPROVE_COMPENSATION,
    "send_order": Action.SEND_WORK_ORDER,
    "claim": Action.VIEW_CLAIMS,
}
# Keys not even shown to a role that may never use them (a supervisor's; approvers').
SUPERVISOR_KEYS = {"attribute": Action.RATE_AGENTS, "approve": Action.APPROVE_COMPENSATION}
CLAIMABLE = ("loss", "damage")
# Still possible once closed: calling its customer back, saying who caused it.
STILL_AFTER_CLOSING = ("reveal", "attribute", "claim")


class ComplaintScreen(ResolvingActions, OrderActions, ModalScreen[bool]):
    """A complaint's facts, clocks and history; dismisses with whether anything changed."""

    CSS_PATH = "../styles/complaint_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "verify", "detail.key.verify", id="complaint-verify"),
        Binding("s", "resolve", "detail.key.resolve", id="complaint-resolve"),
        Binding("h", "hand_over", "detail.key.hand_over", id="complaint-hand-over"),
        Binding("p", "reveal", "detail.key.reveal", id="complaint-reveal"),
        Binding("a", "attribute", "detail.key.attribute", id="complaint-attribute"),
        Binding("o", "approve", "detail.key.approve", id="complaint-approve"),
        Binding("w", "send_order", "orders.send.key.order", id="complaint-send-order"),
        Binding("c", "claim", "detail.key.claim", id="complaint-claim"),
        Binding("escape", "close", "detail.key.close", id="complaint-close"),
    ]

    class Loaded(Message):
        def __init__(self, view: ComplaintView) -> None:
            super().__init__()
            self.view = view

    class Failed(Message):
        def __init__(self, text: str, code: str | None = None) -> None:
            super().__init__()
            self.text, self.code = text, code

    class Done(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class AccountsLoaded(Message):
        def __init__(self, choices: list[tuple[str, str]]) -> None:
            super().__init__()
            self.choices = choices

    class Revealed(Message):
        def __init__(self, name: str, phone: str) -> None:
            super().__init__()
            self.name, self.phone = name, phone

    def __init__(self, console: ServiceContext, actor: Actor, complaint_id: int) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.complaint_id = console, actor, complaint_id
        self.view: ComplaintView | None = None
        self.changed = False
        self.busy = True
        self.gone = False  # handed to someone this person may not follow: nothing left to do
        self._done = ""
        # What the person typed in a form whose save was refused (someone else saved first):
        # offered again, as typed, the next time they open that form.
        self.typed_resolution: Resolution | None = None
        self.typed_hand_over: tuple[str, str] | None = None
        self.people: dict[str, str] = {}  # user name -> how the hand-over list shows them

    def compose(self) -> ComposeResult:
        with Vertical(id="complaint-detail"):
            with VerticalScroll(id="complaint-body"):
                yield Static(t("detail.loading"), id="complaint-summary")
                yield Static(id="complaint-revealed")
                yield Static(id="complaint-text")
                yield Static(id="complaint-clocks")
                yield Static(id="complaint-history")
            yield Static(id="complaint-message")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#complaint-detail").border_title = t("detail.title")
        self.query_one("#complaint-body").focus()
        self.set_interval(1, while_open(self, self._tick))
        self.load()

    def _tick(self) -> None:
        # The countdowns are derived from the due times and the clock: repaint, never count.
        if self.view is not None:
            self.query_one("#complaint-clocks", Static).update(clocks(self.view, self.console))

    # -- workers --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="complaint-load")
    def load(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.context import ServiceError
        from cs_console.services.worklists import complaint_view

        try:
            view = complaint_view(self.console, self.actor, self.complaint_id)
        except (ServiceError, SQLAlchemyError) as exc:
            self.post_message(self.Failed(error_text(exc), error_code(exc)))
            return
        self.post_message(self.Loaded(view))

    @work(thread=True, exclusive=True, group="complaint-action")
    def perform(self, call: Callable[[], object], done: str | Callable[[object], str]) -> None:
        """Run ``call``; ``done`` says what happened (or says it from what ``call`` returned)."""
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.context import ServiceError

        try:
            result = call()
        except (ServiceError, SQLAlchemyError) as exc:
            self.post_message(self.Failed(error_text(exc), error_code(exc)))
            return
        self.post_message(self.Done(done if isinstance(done, str) else done(result)))

    @work(thread=True, exclusive=True, group="complaint-action")
    def reveal(self, reason: str) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.context import ServiceError
        from cs_console.services.customers import reveal_customer

        try:
            name, phone = reveal_customer(self.console, self.actor, self.complaint_id, reason)
        except (ServiceError, SQLAlchemyError) as exc:
            self.post_message(self.Failed(error_text(exc)))
            return
        self.post_message(self.Revealed(name, phone))

    @work(thread=True, exclusive=True, group="complaint-accounts")
    def load_accounts(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.accounts import list_accounts

        try:
            accounts = list_accounts(self.console)
        except SQLAlchemyError as exc:
            self.post_message(self.Failed(error_text(exc)))
            return
        owner = self.view.owner_id if self.view else None
        choices = [
            (
                t(
                    "detail.person.with_role",
                    agent_no=a.agent_no,
                    name=clean_line(a.display_name),
                    role=t("detail.role." + a.role),
                ),
                a.username,
            )
            for a in accounts
            if a.active and a.role in HAND_OVER_ROLES and a.id != owner
        ]
        self.post_message(self.AccountsLoaded(choices))

    # -- results --------------------------------------------------------------------------

    def on_complaint_screen_loaded(self, message: Loaded) -> None:
        self.view, self.busy = message.view, False
        self._show(message.view)
        self.refresh_bindings()

    def on_complaint_screen_failed(self, message: Failed) -> None:
        self.busy = False
        if self.view is not None and message.code in GONE:
            # Just handed to someone outside this person's team: what was done is what counts.
            self.gone = True
            self._message(f"{self._done} {t('detail.handed_away')}".strip(), error=False)
            self.refresh_bindings()
            return
        self._message(message.text, error=True)
        if message.code == CHANGED:
            self.busy = True  # the newest version loads before anything else can be saved
            self.load()
        if self.view is None:
            self.query_one("#complaint-summary", Static).update("")
        self.refresh_bindings()

    def tell_done(self, text: str) -> None:
        self.post_message(self.Done(text))

    def on_complaint_screen_done(self, message: Done) -> None:
        self.typed_resolution = self.typed_hand_over = None
        self.changed, self._done = True, message.text
        self._message(message.text, error=False)
        self.load()

    def on_complaint_screen_accounts_loaded(self, message: AccountsLoaded) -> None:
        self.busy = False
        self.refresh_bindings()
        self.people = {username: label for label, username in message.choices}
        dialog = HandOverDialog(message.choices, self.typed_hand_over)
        self.app.push_screen(dialog, self._hand_over_chosen)

    def on_complaint_screen_revealed(self, message: Revealed) -> None:
        self.busy = False
        self.refresh_bindings()
        # The customer's own text: cleaned, and plain parts of the content (never markup).
        shown = self.query_one("#complaint-revealed", Static)
        shown.update(
            Content.assemble(
                (t("detail.reveal.shown"), "bold"),
                "\n",
                (t("detail.reveal.name"), "bold"),
                f"  {clean_line(message.name)}    ",
                (t("detail.reveal.phone"), "bold"),
                f"  {clean_line(message.phone)}",
            )
        )
        shown.add_class("-shown")

    def _hide_revealed(self) -> None:
        """The full name and phone leave the screen (the summary shows them masked)."""
        shown = self.query_one("#complaint-revealed", Static)
        shown.update("")
        shown.remove_class("-shown")

    def _message(self, text: str, *, error: bool) -> None:
        line = self.query_one("#complaint-message", Static)
        line.update(Content(text))
        line.set_class(error, "-error")

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return True
        view = self.view
        needs = ACTION_NEEDS.get(action)
        if action in SUPERVISOR_KEYS and not can(self.actor.role, SUPERVISOR_KEYS[action]):
            return False
        if view is None or self.busy or self.gone or (needs and not can(self.actor.role, needs)):
            return None
        if action == "claim":  # a loss or damage complaint's claim (理赔)
            return True if view.category in CLAIMABLE else None
        if action in STILL_AFTER_CLOSING:
            return True
        if view.status == ComplaintStatus.CLOSED.value:
            return None
        if action == "approve":  # a proposal waits, not this person's own, within their limit
            proposal = view.approval
            if proposal is None or proposal.status != Approval.PENDING:
                return None
            limits = self.console.policy.approval_limits
            mine = proposal.proposed_by == self.actor.id
            allowed = not mine and covers(self.actor.role, proposal.amount_fen, limits)
            return True if allowed else None
        if action == "verify" and view.clocks and view.clocks[0].done_at is not None:
            return None
        return True

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def _start(self, call: Callable[[], object], done: str | Callable[[object], str]) -> None:
        self.busy = True
        self.refresh_bindings()
        self.perform(call, done)

    def action_verify(self) -> None:
        version = self.loaded_version

        def call() -> None:
            from cs_console.services.complaint_progress import mark_verified

            mark_verified(self.console, self.actor, self.complaint_id, expected_version=version)

        self._start(call, t("detail.done.verified"))

    def action_reveal(self) -> None:
        """p: ask why, then show the full name and phone (the service records the reveal)."""

        def reason_given(reason: str | None) -> None:
            if reason:
                self.busy = True
                self.refresh_bindings()
                self.reveal(reason)

        self.app.push_screen(RevealDialog(self.console.policy.security), reason_given)

    def action_attribute(self) -> None:
        """a: who is responsible; the dialog saves it through the service, then this reloads."""
        if self.view is None:
            return

        def recorded(words: str | None) -> None:
            if words:
                self.post_message(self.Done(words))

        self.app.push_screen(AttributeDialog(self.console, self.actor, self.view), recorded)

    def action_hand_over(self) -> None:
        self.busy = True
        self.refresh_bindings()
        self.load_accounts()

    def _hand_over_chosen(self, choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        username, reason = choice
        self.typed_hand_over, version = choice, self.loaded_version
        self._hide_revealed()  # the complaint goes to someone else: so do the full details

        def call() -> None:
            from cs_console.services.complaint_progress import hand_over

            hand_over(
                self.console,
                self.actor,
                self.complaint_id,
                username,
                reason,
                expected_version=version,
            )

        self._start(call, t("detail.done.handed_over", name=self.people.get(username, username)))

    # -- display --------------------------------------------------------------------------

    def _show(self, view: ComplaintView) -> None:
        self.query_one("#complaint-detail").border_title = Content(
            f"{t('detail.title')} {clean_line(view.reference)}"
        )
        self.query_one("#complaint-summary", Static).update(summary(view, self.console))
        self.query_one("#complaint-text", Static).update(customer_text(view))
        self.query_one("#complaint-clocks", Static).update(clocks(view, self.console))
        self.query_one("#complaint-history", Static).update(history(view, self.console))
