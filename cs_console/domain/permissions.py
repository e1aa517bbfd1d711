"""Who may do what: the role matrix of docs/domain.md ("People and places", "Information security").

Two questions, answered here and nowhere else:

- ``can(role, action)``: may this role do this kind of thing at all? (``ALLOWED``)
- ``may_view`` / ``may_work``: may this person see or change *this* complaint? Agents see
  their own and their team's work, specialists what was handed to them, an outlet its own
  outlet's records, a supervisor everything; only the owner (or a supervisor) changes one.

Services ask before every use case (``services.context.require``); screens ask too, to grey
out what the person cannot do. Pure: no I/O, no UI, no ORM.
"""

from __future__ import annotations

from enum import StrEnum

from cs_console.domain.enums import Role


class Action(StrEnum):
    """Everything the console lets someone do that a role may be refused."""

    REGISTER_COMPLAINT = "register_complaint"
    VIEW_COMPLAINT = "view_complaint"
    VERIFY = "verify"
    RECORD_RESOLUTION = "record_resolution"
    HAND_OVER = "hand_over"  # give one's own complaint to someone else (首问负责制)
    REASSIGN = "reassign"  # move someone else's complaint
    PROMISE_REPLY = "promise_reply"
    RECORD_ATTEMPT = "record_attempt"
    START_CALL = "start_call"  # and answer, end, store the contact
    VIEW_WORKLIST = "view_worklist"  # "my clocks" and the callback queue
    VIEW_INCIDENTS = "view_incidents"  # open mass-complaint alerts and incidents
    VIEW_OUTLET_COMPLAINTS = "view_outlet_complaints"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"
    VIEW_OVERVIEW = "view_overview"
    EXPORT = "export"
    DECLARE_INCIDENT = "declare_incident"
    MANAGE_USERS = "manage_users"
    PURGE = "purge"
    VERIFY_AUDIT = "verify_audit"  # walk the audit trail's hash chain
    IMPORT_COMPLAINTS = "import_complaints"  # backfill a paper or spreadsheet register
    VIEW_REPORTS = "view_reports"  # the monthly report and the open clocks at risk
    RATE_AGENTS = "rate_agents"  # the supervisor's 40 % and whom a complaint counts against
    # Compensation above the policy's suggestion, or a claim's payout above the proposer's
    # limit, counts only once approved by someone whose limit covers it (domain/approvals.py).
    APPROVE_COMPENSATION = "approve_compensation"
    # Claims (理赔): open one, record its evidence, propose the sum, record the payout.
    WORK_CLAIM = "work_claim"
    VIEW_CLAIMS = "view_claims"  # which ones: like complaints (own, team, all)
    # Work orders (工单) to outlets: the call desk sends them, the outlet answers.
    SEND_WORK_ORDER = "send_work_order"
    VIEW_WORK_ORDERS = "view_work_orders"  # which ones: an outlet its own, agents their work
    ANSWER_WORK_ORDER = "answer_work_order"
    # A person's rights under PIPL: a copy of everything stored about them, and deletion.
    EXPORT_PERSON = "export_person"
    ERASE_PERSON = "erase_person"


AG, SP, SU, OU, AD = Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.OUTLET, Role.ADMIN
CALL_DESK = frozenset({AG, SP, SU})  # people who call customers and hold complaints

ALLOWED: dict[Action, frozenset[Role]] = {
    # Anyone on duty with customers registers; an outlet only walk-ins for its outlet.
    Action.REGISTER_COMPLAINT: frozenset({AG, SP, SU, OU}),
    Action.VIEW_COMPLAINT: frozenset({AG, SP, SU, OU}),  # which ones: ``may_view``
    Action.VERIFY: CALL_DESK,  # which ones: ``may_work``
    Action.RECORD_RESOLUTION: CALL_DESK,
    Action.HAND_OVER: CALL_DESK,
    Action.REASSIGN: frozenset({SU}),
    Action.PROMISE_REPLY: CALL_DESK,
    Action.RECORD_ATTEMPT: CALL_DESK,
    Action.START_CALL: CALL_DESK,
    Action.VIEW_WORKLIST: CALL_DESK,
    # The incident banner tells the people answering customers; outlets and IT never see it.
    Action.VIEW_INCIDENTS: CALL_DESK,
    Action.VIEW_OUTLET_COMPLAINTS: frozenset({OU}),
    # Full name and phone of a complaint's customer, recorded with a reason; outlets
    # register walk-ins with the customer at the counter and never need the stored data.
    Action.REVEAL_PERSONAL_DATA: CALL_DESK,
    Action.VIEW_OVERVIEW: frozenset({SU}),
    Action.EXPORT: frozenset({SU}),
    Action.DECLARE_INCIDENT: frozenset({SU}),
    # IT: accounts and retention, never complaint handling.
    Action.MANAGE_USERS: frozenset({AD}),
    Action.PURGE: frozenset({AD}),
    Action.VERIFY_AUDIT: frozenset({SU, AD}),
    # The agents who kept the paper register during an outage, or their supervisor; the
    # importer owns the rows (首问负责制). Specialists only take escalations, outlets only
    # their counter's walk-ins, and IT never handles complaints.
    Action.IMPORT_COMPLAINTS: frozenset({AG, SU}),
    Action.VIEW_REPORTS: frozenset({SU}),
    Action.RATE_AGENTS: frozenset({SU}),
    # Each role up to its limit (policy [approval_limits]); the services check the sum.
    Action.APPROVE_COMPENSATION: CALL_DESK,
    Action.WORK_CLAIM: CALL_DESK,
    Action.VIEW_CLAIMS: CALL_DESK,
    # The complaint's owner (or a supervisor) sends; only the outlet it is sent to answers.
    Action.SEND_WORK_ORDER: CALL_DESK,
    Action.VIEW_WORK_ORDERS: frozenset({AG, SP, SU, OU}),
    Action.ANSWER_WORK_ORDER: frozenset({OU}),
    # A data-subject request is answered by a supervisor or IT; only IT erases (it is an
    # administrator's act on the whole database, like the purge, never complaint handling).
    Action.EXPORT_PERSON: frozenset({SU, AD}),
    Action.ERASE_PERSON: frozenset({AD}),
}


def can(role: Role, action: Action) -> bool:
    """Whether ``role`` may do ``action`` at all (which records: ``may_view``/``may_work``)."""
    return role in ALLOWED[action]


class Scope(StrEnum):
    """Which complaints a role sees."""

    ALL = "all"
    TEAM = "team"  # one's own and one's team's
    OWN = "own"
    OUTLET = "outlet"  # one's outlet's
    NONE = "none"


VIEW_SCOPE: dict[Role, Scope] = {
    AG: Scope.TEAM,
    SP: Scope.OWN,
    SU: Scope.ALL,
    OU: Scope.OUTLET,
    AD: Scope.NONE,
}


def may_view(
    role: Role, *, owner: bool, same_team: bool = False, same_outlet: bool = False
) -> bool:
    """Whether someone of ``role`` sees a complaint, given how they relate to it.

    ``owner``: they hold it; ``same_team``: its owner is in their (non-empty) team;
    ``same_outlet``: it was registered at their (non-empty) outlet.
    """
    scope = VIEW_SCOPE[role]
    if scope is Scope.ALL:
        return True
    if scope is Scope.TEAM:
        return owner or same_team
    if scope is Scope.OWN:
        return owner
    if scope is Scope.OUTLET:
        return same_outlet
    return False


def may_work(role: Role, *, owner: bool) -> bool:
    """Whether someone of ``role`` may change a complaint (verify, resolve, hand over).

    The owner works their complaint (首问负责制); a supervisor any complaint.
    """
    if role is SU:
        return True
    return owner and role in CALL_DESK
