"""A claim (理赔) on its own screen, opened from a loss or damage complaint (c) or from the
approvals list: open it, tick its evidence, propose the sum, approve or refuse, record the
payout. Every step is a service call in a worker; the keys follow the claim's state and the
person's approval limit (greyed out otherwise). Typed text is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from cs_console.domain.approvals import may_approve
from cs_console.domain.claims import (
    ClaimKind,
    ClaimStatus,
    EvidenceItem,
    EvidenceStatus,
    PayoutMethod,
)
from cs_console.domain.clocks import STATE_SYMBOLS, clock_state, format_remaining
from cs_console.domain.text import clean_line
from cs_console.i18n import money, t
from cs_console.ui.closing import while_open
from cs_console.ui.error_words import error_text
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.fields import CleanInput

if TYPE_CHECKING:
    from cs_console.services.claims import ClaimView
    from cs_console.services.context import Actor, ServiceContext


def claim_field(field: str) -> str:
    """A claim's field as a refusal names it (its reference is the payment's)."""
    return t(f"claim.named.{field}")


class ClaimScreen(ModalScreen[bool]):
    """One claim; dismisses with whether anything changed."""

    CSS_PATH = "../styles/claim.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "record", "claim.key.record", id="claim-record"),
        Binding("ctrl+t", "propose", "claim.key.propose", id="claim-propose"),
        Binding("ctrl+o", "approve", "claim.key.approve", id="claim-approve"),
        # Not ctrl+x: the fields' own "cut" took it where the refusal's reason is typed.
        Binding("ctrl+r", "refuse", "claim.key.refuse", id="claim-refuse"),
        Binding("ctrl+y", "pay", "claim.key.pay", id="claim-pay"),
        Binding("escape", "close", "claim.key.close", id="claim-close"),
    ]

    class Loaded(Message):
        def __init__(self, view: ClaimView | None) -> None:
            super().__init__()
            self.view = view

    class Said(Message):
        def __init__(self, text: str, *, error: bool, view: ClaimView | None = None) -> None:
            super().__init__()
            self.text, self.error, self.view = text, error, view

    def __init__(
        self,
        console: ServiceContext,
        actor: Actor,
        *,
        complaint_id: int | None = None,
        reference: str = "",
        claim_id: int | None = None,
        kind: ClaimKind = ClaimKind.LOSS,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.actor, self.kind = console, actor, kind
        self.complaint_id, self.reference, self.claim_id = complaint_id, reference, claim_id
        self.view: ClaimView | None = None
        self.busy, self.changed = True, False

    def compose(self) -> ComposeResult:
        kinds = [(t(f"claim.kind.{m.value}"), m.value) for m in ClaimKind]
        items = [(t(f"claim.evidence.{m.value}"), m.value) for m in EvidenceItem]
        methods = [(t(f"claim.method.{m.value}"), m.value) for m in PayoutMethod]
        with VerticalScroll(id="claim-screen"):
            yield Static(t("detail.loading"), id="claim-summary")
            yield Static(id="claim-evidence")
            yield Label(t("claim.field.kind"), id="claim-kind-label")
            yield Select(kinds, compact=True, id="claim-kind", value=self.kind.value,
                         allow_blank=False)  # fmt: skip
            yield Label(t("claim.field.item"))
            yield Select(items, compact=True, id="claim-item",
                         allow_blank=False)  # fmt: skip
            yield Select(
                [(t("claim.field.received"), "received"), (t("claim.field.waived"), "waived")],
                compact=True, id="claim-status", allow_blank=False,
            )  # fmt: skip
            yield Label(t("claim.field.amount"))
            yield CleanInput(max_length=20, id="claim-amount")
            yield Label(t("claim.field.text"))
            yield CleanInput(max_length=500, id="claim-text")
            yield Label(t("claim.field.method"))
            yield Select(methods, compact=True, id="claim-method",
                         allow_blank=False)  # fmt: skip
            yield Static(id="claim-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#claim-screen").border_title = t("claim.screen.title")
        self.query_one("#claim-amount").focus()
        self.set_interval(1, while_open(self, self._tick))
        self.load()

    # -- workers --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="claim-load")
    def load(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.claims import claim_of_complaint, claim_view
        from cs_console.services.context import ServiceError

        try:
            if self.claim_id is None and self.complaint_id is not None:
                self.claim_id = claim_of_complaint(self.console, self.actor, self.complaint_id)
            view = None
            if self.claim_id is not None:
                view = claim_view(self.console, self.actor, self.claim_id)
        except (ServiceError, SQLAlchemyError) as exc:
            self.post_message(self.Said(error_text(exc), error=True))
            return
        self.post_message(self.Loaded(view))

    @work(thread=True, exclusive=True, group="claim-action")
    def perform(self, call: Callable[[], ClaimView], done: Callable[[ClaimView], str]) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from cs_console.services.context import ServiceError

        try:
            view = call()
        except (ServiceError, SQLAlchemyError) as exc:
            self.post_message(self.Said(error_text(exc, claim_field), error=True))
            return
        self.claim_id = view.id
        self.post_message(self.Said(done(view), error=False, view=view))

    def on_claim_screen_loaded(self, message: Loaded) -> None:
        self.view, self.busy = message.view, False
        self._show()
        self.refresh_bindings()

    def on_claim_screen_said(self, message: Said) -> None:
        line = self.query_one("#claim-message", Static)
        line.update(Text(message.text))
        line.set_class(message.error, "-error")
        self.busy = False
        if message.view is not None:
            # The claim as the step left it, not read again: whoever refused its sum may not
            # see it any more.
            self.view, self.changed = message.view, True
            self.query_one("#claim-text", Input).value = ""
            self.query_one("#claim-amount", Input).value = ""
            self._show()
        self.refresh_bindings()

    def on_input_changed(self) -> None:
        """An error said about what was typed goes once the person types again."""
        line = self.query_one("#claim-message", Static)
        if line.has_class("-error"):
            line.update("")
            line.remove_class("-error")

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return True
        view = self.view
        if self.busy:
            return None
        status = view.status if view is not None else None
        if action == "record":
            fresh = view is None and self.complaint_id is not None
            return True if fresh or status is ClaimStatus.OPEN else None
        if action == "propose":
            return True if status is ClaimStatus.OPEN and view and not view.missing else None
        if action in ("approve", "refuse"):
            if view is None or status is not ClaimStatus.PENDING:
                return None
            limits = self.console.policy.approval_limits
            why = may_approve(self.actor.id, self.actor.role, view.proposed_by,
                              view.proposed_fen, limits)  # fmt: skip
            return True if why is None else None
        if action == "pay":
            return True if status is ClaimStatus.APPROVED else None
        return True

    def _typed(self) -> str:
        return self.query_one("#claim-text", Input).value

    def _amount(self, *, required: bool) -> int | None | bool:
        """The amount typed in fen; None when left empty and not required; False (and the
        reason said) when it is not an amount."""
        from cs_console.domain.validation import parse_money_fen

        text = self.query_one("#claim-amount", Input).value
        if not text.strip() and not required:
            return None
        fen, problem = parse_money_fen(text, self.console.policy.limits)
        if fen is None:
            reason = t(f"error.{problem.value}") if problem else ""
            self.post_message(self.Said(f"{t('claim.field.amount')}: {reason}", error=True))
            return False
        return fen

    def _start(self, call: Callable[[], ClaimView], done: Callable[[ClaimView], str]) -> None:
        self.busy = True
        self.refresh_bindings()
        self.perform(call, done)

    def action_record(self) -> None:
        """ctrl+s: open the claim (kind, amount claimed), or record the chosen evidence."""
        from cs_console.services import claims as service

        if self.view is None:
            amount = self._amount(required=True)
            if amount is False or amount is None:
                return
            kind = ClaimKind(str(self.query_one("#claim-kind", Select).value))
            reference = self.reference

            def open_it() -> ClaimView:
                return service.open_claim(self.console, self.actor, reference, kind, int(amount))

            self._start(open_it, lambda v: t("claim.screen.opened", id=v.id))
            return
        claim_id = self.view.id
        item = EvidenceItem(str(self.query_one("#claim-item", Select).value))
        status = EvidenceStatus(str(self.query_one("#claim-status", Select).value))
        note, version = self._typed(), self.view.version

        def record() -> ClaimView:
            return service.record_evidence(self.console, self.actor, claim_id, item, status,
                                           note, expected_version=version)  # fmt: skip

        self._start(record, lambda v: t("claim.evidence_recorded", id=v.id,
                                        item=t(f"claim.evidence.{item.value}")))  # fmt: skip

    def action_propose(self) -> None:
        """ctrl+t: propose the amount typed (empty: the payable amount), the reason typed."""
        from cs_console.services.claim_decisions import propose_claim

        amount = self._amount(required=False)
        if amount is False or self.view is None:
            return
        claim_id, reason, version = self.view.id, self._typed(), self.view.version

        def propose() -> ClaimView:
            return propose_claim(self.console, self.actor, claim_id,
                                 amount_fen=amount if isinstance(amount, int) else None,
                                 reason=reason, expected_version=version)  # fmt: skip

        self._start(propose, self._proposed)

    def _proposed(self, view: ClaimView) -> str:
        amount = money(view.proposed_fen or 0)
        if view.waiting_for is not None:
            role = t(f"claim.role.{view.waiting_for.value}")
            return t("claim.proposed", id=view.id, amount=amount, role=role)
        return t("claim.decided", id=view.id, amount=amount, due=self._when(view.payout_due))

    def _decide(self, approve: bool) -> None:
        from cs_console.services.claim_decisions import decide_claim

        if self.view is None:
            return
        claim_id, reason, version = self.view.id, self._typed(), self.view.version

        def decide() -> ClaimView:
            return decide_claim(self.console, self.actor, claim_id, approve=approve,
                                reason=reason, expected_version=version)  # fmt: skip

        def said(view: ClaimView) -> str:
            if not approve:
                return t("claim.refused", id=view.id)
            amount = money(view.proposed_fen or 0)
            return t("claim.approved", id=view.id, amount=amount, due=self._when(view.payout_due))

        self._start(decide, said)

    def action_approve(self) -> None:
        """ctrl+o: approve the sum waiting, the reason typed."""
        self._decide(True)

    def action_refuse(self) -> None:
        """ctrl+r: refuse the sum waiting, the reason typed."""
        self._decide(False)

    def action_pay(self) -> None:
        """ctrl+y: the payout made today by the chosen method, the payment's reference typed."""
        from cs_console.services.claim_decisions import record_payout

        if self.view is None:
            return
        claim_id, reference, version = self.view.id, self._typed(), self.view.version
        method = PayoutMethod(str(self.query_one("#claim-method", Select).value))
        today = self.console.now().astimezone(self.console.zone).date()

        def pay() -> ClaimView:
            return record_payout(self.console, self.actor, claim_id, method=method,
                                 reference=reference, paid_on=today,
                                 expected_version=version)  # fmt: skip

        self._start(pay, lambda v: t("claim.paid", id=v.id, amount=money(v.paid_fen or 0),
                                     method=t(f"claim.method.{method.value}")))  # fmt: skip

    def action_close(self) -> None:
        self.dismiss(self.changed)

    # -- display --------------------------------------------------------------------------

    def _when(self, at: object) -> str:
        from datetime import datetime

        if not isinstance(at, datetime):
            return ""
        return at.astimezone(self.console.zone).strftime("%Y-%m-%d %H:%M")

    def _tick(self) -> None:
        if self.view is not None:
            self._show_summary(self.view)

    def _show(self) -> None:
        view = self.view
        for chooser in ("#claim-kind-label", "#claim-kind"):  # a claim's kind is set on opening
            self.query_one(chooser).display = view is None
        if view is None:
            self.query_one("#claim-summary", Static).update(
                Text(t("claim.screen.none", reference=clean_line(self.reference)))
            )
            self.query_one("#claim-evidence", Static).update("")
            return
        self._show_summary(view)
        lines = Text()
        for item in view.required:
            got = view.evidence.get(item)
            mark = "✓" if got else "·"
            state = t(f"claim.field.{got[0].value}") if got else t("claim.screen.missing")
            note = clean_line(got[1]) if got else ""
            lines.append(f"{mark} {t('claim.evidence.' + item.value)}  {state}  {note}\n")
        self.query_one("#claim-evidence", Static).update(lines)

    def _show_summary(self, view: ClaimView) -> None:
        now, policy = self.console.now(), self.console.policy.clocks
        text = Text()
        text.append(f"{t('claim.screen.claim', id=view.id)}  ", "bold")
        text.append(f"{clean_line(view.complaint_reference)}  {clean_line(view.claimant)}  ")
        # Open with every item in: what is left is to propose the sum (again, after a refusal).
        status = "ready" if view.status == "open" and not view.missing else view.status
        text.append(f"{t('claim.kind.' + view.kind.value)}  {t('claim.status.' + status)}\n")
        text.append(t("claim.screen.amounts", claimed=money(view.claimed_fen),
                      payable=money(view.payable.amount_fen),
                      rule=t("claim.rule." + view.payable.rule.value)))  # fmt: skip
        if view.proposed_fen is not None:
            text.append("  " + t("claim.screen.proposed", amount=money(view.proposed_fen),
                                 who=clean_line(view.proposer)))  # fmt: skip
        if view.waiting_for is not None:
            text.append("  " + t("claim.screen.waiting",
                                 role=t(f"claim.role.{view.waiting_for.value}")))  # fmt: skip
        if view.approver:
            text.append("  " + t("claim.screen.approver", who=clean_line(view.approver)))
        if view.proposal_reason:  # why the sum is above the payable amount
            text.append("\n" + t("claim.screen.reason", reason=clean_line(view.proposal_reason)))
        for clock in view.clocks:
            state = clock_state(clock, now, policy)
            left = format_remaining(clock.due - now) if clock.done_at is None else ""
            text.append(f"\n{STATE_SYMBOLS[state]} {t('lists.clock.' + clock.kind.value)}  "
                        f"{self._when(clock.due)}  {left}")  # fmt: skip
        self.query_one("#claim-summary", Static).update(text)
