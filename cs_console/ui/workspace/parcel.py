"""The parcel in the call: the box under the tracking number, its status read out, days late.

``ParcelPart`` looks up the parcel of the call (the call pane's tracking number, else the
one the caller's history names) in a worker once typing pauses, and never waits for it:
a newer number drops an older answer when it comes. What it finds fills the parcel box,
gives the SAY NEXT box the status sentence for a tracking query (``CallState.parcel_said``;
the state shown is the one the stored contact records), and suggests the complaint form's
"days late" (Enter in the empty field takes it; what the agent typed is never replaced).
A provider that fails is one line in the box; the call goes on.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from cs_console.domain.parcel_status import (
    Lateness,
    ParcelStatus,
    days_from_today,
    read_status,
)
from cs_console.domain.tracking import Tracking, TrackingState
from cs_console.domain.validation import normalize_tracking_no, tracking_not_phone
from cs_console.i18n import current_language, spoken_day, spoken_moment, t
from cs_console.ui.jobs import job
from cs_console.ui.messages import Job, JobFailed
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from textual.timer import Timer

    from cs_console.services.tracking.lookup import TrackingLookup
    from cs_console.ui.desk import Desk
    from cs_console.ui.widgets.parcel_box import ParcelBox
    from cs_console.ui.workspace.neighbours import Bench

LOOKUP_DEBOUNCE = 0.12  # seconds after the last keystroke in the tracking number
# States read out as "it is at X, left / arrived at T, expected on D".
_ON_THE_WAY = frozenset({TrackingState.IN_TRANSIT, TrackingState.PICKED_UP})


class ParcelLoaded(Message):
    """The lookup of ``number`` answered: a tracking, or the one line to show instead."""

    def __init__(self, number: str, tracking: Tracking | None, line: str = "") -> None:
        super().__init__()
        self.number, self.tracking, self.line = number, tracking, line


def eta_words(promised: datetime, now: datetime, zone: tzinfo) -> str:
    """When the parcel is expected, as said on the phone: today, tomorrow, a day."""
    days = days_from_today(promised, now, zone)
    if days < 0:
        return t("parcel.eta.soon")
    if days <= 1:
        return t("parcel.eta.today" if days == 0 else "parcel.eta.tomorrow")
    return t("parcel.eta.day", day=spoken_day(promised, zone))


def status_sentence(status: ParcelStatus, now: datetime, zone: tzinfo) -> str:
    """The sentence the agent reads out ("您的快件目前在【北京转运中心】，已于 …")."""
    values = {"place": status.place, "when": spoken_moment(status.at, zone)}
    if status.state in _ON_THE_WAY:
        eta = eta_words(status.promised, now, zone)
        return t(f"parcel.say.{status.move.value}", eta=eta, **values)
    if status.state in (TrackingState.OUT_FOR_DELIVERY, TrackingState.SIGNED):
        return t(f"parcel.say.{status.state.value}", **values)
    if status.state is TrackingState.TROUBLE:
        return t("parcel.say.trouble", **values)
    state = t(f"tracking.state.{status.state.value}")
    return t("parcel.say.other", state=state, **values)


class ParcelPart(WorkspacePart):
    """The parcel box, its lookup, and what the call and the form take from it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+j",
            "parcel_timeline",
            "parcel.key.timeline",
            show=False,
            priority=True,
            id="parcel-timeline",
        ),
    ]

    def __init__(self, desk: Desk, bench: Bench) -> None:
        super().__init__(desk, bench)
        self.lookup: TrackingLookup | None = None  # made in the first worker (reads settings)
        self.wanted = ""  # the number the box is for (normalised), "" for none
        self.tracking: Tracking | None = None  # its answer, once it came
        self._from_history = ""  # the parcel the caller's history names
        self._timer: Timer | None = None

    @property
    def box(self) -> ParcelBox:
        from cs_console.ui.widgets.parcel_box import ParcelBox

        return self.bench.call_pane.query_one("#parcel-box", ParcelBox)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "parcel_timeline":
            return True if self.tracking is not None and self.tracking.events else None
        return super().check_action(action, parameters)

    # -- which number ---------------------------------------------------------------------

    def number_changed(self) -> None:
        """The call pane's tracking number (or caller field) changed: looked up once typing
        pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.after(LOOKUP_DEBOUNCE, self._follow)

    def history_parcel(self, tracking_no: str | None) -> None:
        """The caller's history names a parcel (their last call's): shown while the call
        pane has no number of its own."""
        self._from_history = normalize_tracking_no(tracking_no or "") or ""
        self._follow()

    def forget(self) -> None:
        """The call ended: no parcel until the next one."""
        self._from_history = ""
        self._follow()

    def _number(self) -> str:
        """The parcel field's number, else one typed in the caller field (F6), else the
        one the caller's history names."""
        pane = self.bench.call_pane
        if pane.tracking_no.strip():
            return normalize_tracking_no(pane.tracking_no) or ""
        return tracking_not_phone(pane.phone) or self._from_history

    def _follow(self) -> None:
        self._timer = None
        number = self._number()
        if number == self.wanted:
            return
        self.wanted, self.tracking = number, None
        self._read_out(None)
        if not number:
            self.box.hide()
            return
        self.box.show_line(number, t("parcel.box.looking_up"))
        self._look_up(number)

    # -- the lookup -----------------------------------------------------------------------

    @job(Job.TRACKING, group="parcel")
    def _look_up(self, number: str) -> None:
        from cs_console.config.tracking_settings import load_carriers
        from cs_console.services.tracking.provider import TrackingUnavailable, UnknownNumber
        from cs_console.services.tracking.setup import open_tracking

        if self.lookup is None:
            self.lookup = open_tracking(self.desk.console)
        try:
            tracking = self.lookup.track(number)
        except UnknownNumber as unknown:
            line = t("tracking.unknown.number", number=number, message=unknown.message)
            self.post_message(ParcelLoaded(number, None, line))
            return
        except TrackingUnavailable as failed:
            line = t(f"tracking.unavailable.{failed.reason}", detail=failed.detail)
            self.post_message(ParcelLoaded(number, None, line))
            return
        if tracking.carrier != "own":
            found = next((c for c in load_carriers() if c.code == tracking.carrier), None)
            name = found.name(current_language()) if found else tracking.carrier
            line = t("tracking.not_ours", number=number, carrier=name)
            self.post_message(ParcelLoaded(number, None, line))
            return
        self.post_message(ParcelLoaded(number, tracking))

    def on_parcel_loaded(self, message: ParcelLoaded) -> None:
        if message.number != self.wanted:
            return  # the number changed since it was asked: a newer answer is coming
        if message.tracking is None:
            self.box.show_line(message.number, message.line, problem=True)
            return
        self.tracking = message.tracking
        console = self.desk.console
        promise = console.policy.tracking.promise
        status = read_status(message.tracking, promise, console.now(), console.zone)
        self.box.show_tracking(message.tracking, status, console.zone, console.now())
        self._read_out(status)
        # ctrl+j is possible now: checked when pressed (check_action); its binding is not
        # shown in the footer, so no refresh of the bindings (a footer rebuild, ~100 ms).

    def on_job_failed(self, message: JobFailed) -> None:
        if message.job == Job.TRACKING and self.wanted:  # the screen's toast says why
            line = t("tracking.unavailable.unreachable", detail=message.text)
            self.box.show_line(self.wanted, line, problem=True)

    # -- what the call and the form take from it ------------------------------------------

    def _read_out(self, status: ParcelStatus | None) -> None:
        """The status sentence for the SAY NEXT box (shown while the call reads as a
        tracking query: ``CallPart.tracking_query``), and the form's days-late suggestion."""
        call_part, console = self.bench.call, self.desk.console
        call = call_part.call
        if status is not None and call.active:
            call.parcel_said = status_sentence(status, console.now(), console.zone)
            call.parcel_said_state = status.state.value
        else:
            call.parcel_said = call.parcel_said_state = ""
        call_part.show_script()  # the keys do not change with it: no footer rebuilt
        late = status is not None and status.lateness in (Lateness.LATE, Lateness.SIGNED_LATE)
        days = status.days_late if status is not None else None
        self.bench.form_pane.suggest_days_late(days, late=late)

    def action_parcel_timeline(self) -> None:
        """Enter on the box (or ctrl+j): every event of the parcel, over the call."""
        from cs_console.ui.screens.parcel_timeline import ParcelTimelineScreen

        if self.tracking is not None:
            self.app.push_screen(ParcelTimelineScreen(self.tracking, self.desk.console.zone))
