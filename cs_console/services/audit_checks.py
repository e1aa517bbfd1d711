"""Checking the audit trail: is the hash chain intact, and if not, where does it break?

``audit_alarm`` is what administrators and supervisors are shown when they sign in (and
``doctor`` prints): the chain's first problem, and this machine's daily anchors that the
chain no longer holds (services.audit_anchors); None while all is well.
"""

from __future__ import annotations

from dataclasses import dataclass

from cs_console.domain.permissions import Action, can
from cs_console.i18n import t
from cs_console.services.audit_anchors import (
    AnchorFileError,
    AnchorReport,
    anchor_checks,
    daily_anchor_file,
    read_anchors,
)
from cs_console.services.context import Actor, ServiceContext, require
from cs_console.storage.audit import AuditReport
from cs_console.storage.audit_verify import verify_chain
from cs_console.storage.engine import read_session
from cs_console.storage.sealing import DataKey


@dataclass(frozen=True)
class AuditAlarm:
    """A broken trail: the chain's report, and the daily anchors checked (None: no file)."""

    report: AuditReport
    anchors: AnchorReport | None

    @property
    def anchors_not_held(self) -> int:
        if self.anchors is None:
            return 0
        return sum(check.status != "held" for check in self.anchors.checks)

    def describe(self) -> str:
        """One line for a person, in the current language (console and ``doctor``)."""
        report = self.report
        reasons: list[str] = []
        if not report.ok:
            problem = t(f"audit.problem.{report.problem}")
            reasons.append(
                t("audit.alarm.chain_no_id", problem=problem)
                if report.first_bad_id is None
                else t("audit.alarm.chain", problem=problem, id=report.first_bad_id)
            )
        if held := self.anchors_not_held:
            reasons.append(t("audit.alarm.anchors", count=held))
        if backdated := len(self.anchors.backdated) if self.anchors is not None else 0:
            reasons.append(t("audit.alarm.backdated", count=backdated))
        return t("audit.alarm.line", reasons=t("audit.alarm.separator").join(reasons))


def verify_audit(console: ServiceContext, actor: Actor) -> AuditReport:
    """Walk the whole audit trail; administrators and supervisors only."""
    require(actor, Action.VERIFY_AUDIT)
    with read_session(console.engine) as session:
        return verify_chain(session=session, key=actor.data_key)


def trail_alarm(console: ServiceContext, key: DataKey | None = None) -> AuditAlarm | None:
    """The chain walked (its seals checked with ``key``; ``doctor`` runs with nobody signed
    in and has none) and this machine's daily anchors checked: None when all holds."""
    with read_session(console.engine) as session:
        report = verify_chain(session=session, key=key)
    anchors = None
    path = daily_anchor_file()
    if path is not None and path.exists():
        try:
            anchors = anchor_checks(console, read_anchors(path), list_after=False, daily=True)
        except AnchorFileError:
            anchors = None  # a bad file is named by verify; it hides no break of the chain
    if report.ok and (anchors is None or anchors.ok):
        return None
    return AuditAlarm(report, anchors)


def audit_alarm(console: ServiceContext, actor: Actor) -> AuditAlarm | None:
    """What to tell someone who may verify the trail as they sign in (see ``trail_alarm``);
    None for everyone else."""
    if actor.password_change_due or not can(actor.role, Action.VERIFY_AUDIT):
        return None
    return trail_alarm(console, actor.data_key)
