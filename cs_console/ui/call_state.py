"""Where a call is: its contact, when it started, which script line comes next.

Plain Python (no Textual), so the order of the script is tested without a terminal. The
line on screen is either the next step of the call (greeting, identify, privacy notice,
fact-finding, closing question, farewell) or an *aside* said out of order (empathy, the
reply promise, the complaint reference), which ctrl+g clears.

The steps follow what happens in the call, not only ctrl+g: a valid tracking number or
phone typed is the parcel identified; personal data asked for (a phone typed, the form
opened, a name typed) brings the privacy notice once, and typing personal data after it
was on screen means it was said; a saved complaint's reference is said together with the
closing question, so the call never goes back to "identify".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cs_console.domain.scripts import CallStep, next_step

# Steps said once the caller's business is done; F8 jumps to the first of them.
ENDING = (CallStep.CLOSING_QUESTION, CallStep.FAREWELL)


class Said(StrEnum):
    """What marking the current line said (ctrl+g) leads to."""

    ASIDE_DONE = "aside_done"  # an out-of-order line was said; the step line is back
    ANSWERED = "answered"  # the greeting: the response time is recorded
    NEXT = "next"  # the next step's line is shown
    STAY = "stay"  # fact-finding lasts until the agent ends the call
    FINISH = "finish"  # the farewell was said: store the contact
    NOTHING = "nothing"  # no call


@dataclass
class CallState:
    """One call in progress (or none: ``started_at`` is None)."""

    started_at: datetime | None = None
    contact_id: int | None = None
    step: CallStep = CallStep.DONE
    aside: str | None = None  # a script key: empathy, reply_promise, complaint_registered …
    aside_text: str = ""
    answered_at: datetime | None = None  # greeting said, not yet sent (no contact id yet)
    complaints: list[str] = field(default_factory=list)  # references registered this call
    finishing: bool = False  # end_call is running
    privacy_said: bool = False
    privacy_asked_by: str = ""  # what brought the privacy notice on screen (phone, form …)
    aside_then_step: bool = False  # the aside is said with the step's line (shown under it)
    choosing_type: bool = False  # F8 waits for the contact type before the closing
    parcel_said: str = ""  # the parcel's status sentence, read out while fact-finding
    parcel_said_state: str = ""  # the state that sentence says (a TrackingState value)
    parcel_state: str = ""  # the state shown on the SAY NEXT box: stored with the contact

    @classmethod
    def start(cls, now: datetime) -> CallState:
        return cls(started_at=now, step=CallStep.GREETING)

    @property
    def active(self) -> bool:
        return self.started_at is not None

    @property
    def ending(self) -> bool:
        return self.step in ENDING

    def show_aside(self, key: str, text: str, *, then_step: bool = False) -> None:
        self.aside, self.aside_text = key, text
        self.aside_then_step = then_step and self.active

    def _clear_aside(self) -> None:
        self.aside, self.aside_text, self.aside_then_step = None, "", False

    # -- what happened in the call moves the script on ------------------------------------

    def parcel_identified(self, *, by_phone: bool) -> bool:
        """A valid tracking number or phone was typed; True if the line on screen changed.

        A phone is personal data: the privacy notice comes next (once per call).
        """
        if self.step is CallStep.IDENTIFY:
            if by_phone and not self.privacy_said:
                self.step, self.privacy_asked_by = CallStep.PRIVACY_NOTICE, "phone"
            else:
                self.step = CallStep.FACT_FINDING
            return True
        return by_phone and self.personal_data_asked("phone")

    def personal_data_asked(self, by: str) -> bool:
        """Personal data is asked for (``by``: the form opened, a name typed …): the privacy
        notice comes first, once a call. True if the line on screen changed."""
        if self.privacy_said or self.step not in (CallStep.IDENTIFY, CallStep.FACT_FINDING):
            return False
        self.step, self.privacy_asked_by = CallStep.PRIVACY_NOTICE, by
        return True

    def personal_data_typed(self, by: str) -> bool:
        """Personal data is typed (``by``: the field). If the privacy notice was already on
        screen before (brought by something else), it was said: the call moves on."""
        if self.step is not CallStep.PRIVACY_NOTICE or self.privacy_asked_by == by:
            return False
        self.step, self.privacy_said = CallStep.FACT_FINDING, True
        return True

    def complaint_registered(self, reference: str, text: str) -> None:
        """A complaint was saved: its reference and deadline are said next, with the
        closing question after them (one ctrl+g for both), never "identify" again."""
        self.complaints.append(reference)
        if self.active and self.step is not CallStep.DONE:
            self.step, self.privacy_said = CallStep.CLOSING_QUESTION, True
        self.show_aside("complaint_registered", text, then_step=self.step in ENDING)

    def resume(self) -> None:
        """The caller has another matter (the form is opened again while closing)."""
        if self.active and self.ending:
            self.step = CallStep.FACT_FINDING
            self.aside_then_step = False

    def mark_said(self) -> Said:
        """The agent said the line on screen: move on, and tell the caller what to do."""
        if self.aside is not None:
            then_step = self.aside_then_step
            self._clear_aside()
            if not then_step:
                return Said.ASIDE_DONE
        if not self.active:
            return Said.NOTHING
        step = self.step
        if step is CallStep.PRIVACY_NOTICE:
            self.privacy_said = True
        if step is CallStep.FACT_FINDING:
            return Said.STAY
        if step is CallStep.FAREWELL or step is CallStep.DONE:
            self.step = CallStep.DONE
            return Said.FINISH
        self.step = next_step(step)
        return Said.ANSWERED if step is CallStep.GREETING else Said.NEXT

    def begin_ending(self) -> bool:
        """F8: go to the closing question; True if the call was already ending (finish now).

        After a save the reference and the closing question are on screen together: F8 then
        leaves the closing question alone on screen (it was not said yet).
        """
        then_step = self.aside_then_step
        self._clear_aside()
        if then_step and self.step is CallStep.CLOSING_QUESTION:
            return False
        if self.ending or self.step is CallStep.DONE:
            return True
        self.step = CallStep.CLOSING_QUESTION
        return False
