"""Where a call is: its contact, when it started, which script line comes next.

Plain Python (no Textual), so the order of the script is tested without a terminal. The
line on screen is either the next step of the call (greeting, identify, privacy notice,
fact-finding, closing question, farewell) or an *aside* said out of order (empathy, the
reply promise, the complaint reference), which ctrl+g clears.
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

    @classmethod
    def start(cls, now: datetime) -> CallState:
        return cls(started_at=now, step=CallStep.GREETING)

    @property
    def active(self) -> bool:
        return self.started_at is not None

    @property
    def ending(self) -> bool:
        return self.step in ENDING

    def show_aside(self, key: str, text: str) -> None:
        self.aside, self.aside_text = key, text

    def mark_said(self) -> Said:
        """The agent said the line on screen: move on, and tell the caller what to do."""
        if self.aside is not None:
            self.aside, self.aside_text = None, ""
            return Said.ASIDE_DONE
        if not self.active:
            return Said.NOTHING
        step = self.step
        if step is CallStep.FACT_FINDING:
            return Said.STAY
        if step is CallStep.FAREWELL or step is CallStep.DONE:
            self.step = CallStep.DONE
            return Said.FINISH
        self.step = next_step(step)
        return Said.ANSWERED if step is CallStep.GREETING else Said.NEXT

    def begin_ending(self) -> bool:
        """F8: go to the closing question; True if the call was already ending (finish now)."""
        self.aside, self.aside_text = None, ""
        if self.ending or self.step is CallStep.DONE:
            return True
        self.step = CallStep.CLOSING_QUESTION
        return False
