"""What the workspace's panes post, routed to the part that acts on it.

The panes (call pane, form, lists) bubble their messages up to the screen; the parts sit
beside them, so the screen hands each message on. Until someone is signed in there are
no parts, and nothing acts on what is typed (it stays on screen, and goes in the draft).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cs_console.ui.messages import ComplaintSaved
from cs_console.ui.workspace.keys import KeyLender

if TYPE_CHECKING:
    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.callback_queue import CallbackQueue
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.widgets.parcel_box import ParcelBox
    from cs_console.ui.workspace.neighbours import Bench


class PaneRoutes(KeyLender):
    """The screen's routes from the panes to the parts."""

    bench: Bench | None = None  # the parts, once signed in and built

    def _route(self, act: Callable[[Bench], object]) -> None:
        if self.bench is not None:  # typed before anyone signed in: nothing acts on it
            act(self.bench)

    def on_call_pane_changed(self, _message: CallPane.Changed) -> None:
        self._route(lambda bench: bench.call.pane_changed())

    def on_call_pane_caller_changed(self, m: CallPane.CallerChanged) -> None:
        self._route(lambda bench: bench.caller.caller_typed(m.name, m.previous, m.value))
        if m.name in ("tracking_no", "phone"):  # F6 takes a tracking number in the caller field
            self._route(lambda bench: bench.parcel.number_changed())

    def on_parcel_box_timeline_asked(self, _m: ParcelBox.TimelineAsked) -> None:
        self._route(lambda bench: bench.parcel.action_parcel_timeline())

    def on_call_pane_complaint_chosen(self, m: CallPane.ComplaintChosen) -> None:
        self._route(lambda bench: bench.caller.open_complaint(m.complaint_id))

    def on_complaint_form_pane_changed(self, m: ComplaintFormPane.Changed) -> None:
        self._route(lambda bench: bench.form.form_changed(m.field, m.value, typed=m.typed))
        self._route(lambda bench: bench.call.query_may_have_changed())

    def on_callback_queue_attempt_chosen(self, m: CallbackQueue.AttemptChosen) -> None:
        self._route(lambda bench: bench.callbacks.attempt_chosen(m.outcome, m.row))

    def on_callback_queue_undo_chosen(self, m: CallbackQueue.UndoChosen) -> None:
        self._route(lambda bench: bench.callbacks.undo_attempt(m.attempt_id))

    def on_callback_queue_reveal_asked(self, m: CallbackQueue.RevealAsked) -> None:
        self._route(lambda bench: bench.callbacks.reveal_asked(m.row.callback_id))

    def on_clock_list_opened(self, m: ClockList.Opened) -> None:
        self._route(lambda bench: bench.clocks.open_complaint(m.complaint_id))

    def on_complaint_saved(self, m: ComplaintSaved) -> None:
        self._route(lambda bench: bench.form.saved(m))
