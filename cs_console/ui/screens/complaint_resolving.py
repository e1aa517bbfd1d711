"""Agreeing a resolution (s) and a supervisor's approval of one above the policy (o).

A part of ``ComplaintScreen`` (mixed in): it uses the screen's console, actor, loaded view
and its ``_start`` (run a service call in the action worker, then say what happened).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cs_console.i18n import t
from cs_console.ui.screens.approval_dialog import ApprovalDialog
from cs_console.ui.screens.complaint_detail_dialogs import Resolution, ResolutionDialog
from cs_console.ui.screens.complaint_text import remedy, suggestion_of

if TYPE_CHECKING:
    from textual.app import App

    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.worklists import ComplaintView


class ResolvingActions:
    """The resolution dialog and the approval dialog, and the services behind them."""

    app: App
    console: ServiceContext
    actor: Actor
    complaint_id: int
    view: ComplaintView | None
    typed_resolution: Resolution | None
    _start: Callable[[Callable[[], object], str | Callable[[object], str]], None]
    load: Callable[[], object]

    @property
    def loaded_version(self) -> int | None:
        """The version on screen: a save is refused if someone else saved after it."""
        return self.view.version if self.view is not None else None

    def action_resolve(self) -> None:
        if self.view is None:
            return
        dialog = ResolutionDialog(
            self.view.compensation_kind,
            self.view.compensation_fen,
            self.console.policy,
            suggestion_of(self.view, self.console),
            self.typed_resolution,
        )
        self.app.push_screen(dialog, self._resolution_chosen)

    def _resolution_chosen(self, resolution: Resolution | None) -> None:
        if resolution is None:
            return
        self.typed_resolution, version = resolution, self.loaded_version

        def call() -> object:
            from cs_console.services.complaint_progress import record_resolution

            return record_resolution(
                self.console,
                self.actor,
                self.complaint_id,
                kind=resolution.kind,
                amount_fen=resolution.amount_fen,
                accepted=resolution.accepted,
                note=resolution.note,
                reason=resolution.reason,
                expected_version=version,
            )

        self._start(call, lambda outcome: t(f"detail.done.{outcome}"))

    def action_claim(self) -> None:
        """c: the complaint's claim (理赔), opened from here when there is none yet."""
        from cs_console.ui.screens.claim_screen import ClaimScreen

        if self.view is None:
            return
        from cs_console.domain.claims import ClaimKind

        # A damage complaint's claim is for damage; a loss (and anything else) for a loss.
        kind = ClaimKind.DAMAGE if self.view.category == "damage" else ClaimKind.LOSS
        screen = ClaimScreen(self.console, self.actor, complaint_id=self.complaint_id,
                             reference=self.view.reference, kind=kind)  # fmt: skip
        self.app.push_screen(screen, self._claim_closed)

    def _claim_closed(self, changed: bool | None) -> None:
        if changed:
            self.load()

    def action_approve(self) -> None:
        """o: a supervisor approves or rejects a resolution above the policy's suggestion."""
        view = self.view
        if view is None or view.approval is None:
            return
        suggestion = suggestion_of(view, self.console)
        suggested = remedy(suggestion.kind.value, suggestion.amount_fen)
        dialog = ApprovalDialog(
            remedy(view.approval.kind, view.approval.amount_fen),
            t("detail.approval.suggested", amount=suggested),
            view.approval.reason,
        )
        self.app.push_screen(dialog, self._approval_decided)

    def _approval_decided(self, decision: tuple[bool, str] | None) -> None:
        if decision is None:
            return
        approve, note = decision
        version = self.loaded_version

        def call() -> None:
            from cs_console.services.resolutions import decide_compensation

            decide_compensation(
                self.console,
                self.actor,
                self.complaint_id,
                approve=approve,
                note=note,
                expected_version=version,
            )

        self._start(call, t("detail.done.approved" if approve else "detail.done.rejected"))
