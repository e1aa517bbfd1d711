"""What the SAY NEXT box shows for a call: the step's line, an aside, or a waiting text."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from cs_console.domain.scripts import CallStep, step_line
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.ui.call_state import CallState
    from cs_console.ui.desk import Desk


def whole_hours(delta: timedelta) -> int:
    """Hours as a script says them ("within 2 hours")."""
    return int(delta.total_seconds() // 3600)


class Line(NamedTuple):
    text: str
    label: str = ""
    hint: str = ""
    parcel: bool = False  # the parcel's status sentence (read out: the contact records it)


def step_text(desk: Desk, call: CallState) -> str:
    """The script's line for the call's step, filled in for this desk."""
    return step_line(desk.script, call.step, company=desk.company, agent_no=desk.actor.agent_no)


def script_line(desk: Desk | None, call: CallState, *, tracking_query: bool = False) -> Line:
    """The line for the SAY NEXT box (``desk`` None: nobody signed in yet); while
    fact-finding in a ``tracking_query``, the parcel's status sentence if there is one."""
    if desk is None:
        return Line(t("ui.call.waiting"))
    if call.choosing_type:
        return Line(t("ui.call.choose_type"), t("ui.step.contact_type"))
    if call.aside is not None:
        text = call.aside_text
        if call.aside_then_step:  # said together: the reference, then the closing question
            text = f"{text}\n{step_text(desk, call)}"
        return Line(text, t(f"ui.aside.{call.aside}"), t("ui.call.said_hint"))
    if call.active and call.step is CallStep.FACT_FINDING and call.parcel_said and tracking_query:
        label, hint = t("parcel.say_label"), t("ui.call.fact_finding_hint")
        return Line(call.parcel_said, label, hint, parcel=True)
    if call.active and call.step is not CallStep.DONE:
        hint = (
            t("ui.call.fact_finding_hint")
            if call.step is CallStep.FACT_FINDING
            else t("ui.call.said_hint")
        )
        return Line(step_text(desk, call), t(f"ui.step.{call.step.value}"), hint)
    if call.active:
        return Line(t("ui.call.storing"))
    return Line(t("ui.call.idle"))
