"""Checking the audit trail: is the hash chain intact, and if not, where does it break?"""

from __future__ import annotations

from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, Console, require
from cs_console.storage.audit import AuditReport, verify_chain
from cs_console.storage.engine import read_session


def verify_audit(console: Console, actor: Actor) -> AuditReport:
    """Walk the whole audit trail; administrators and supervisors only."""
    require(actor, Action.VERIFY_AUDIT)
    with read_session(console.engine) as session:
        return verify_chain(session=session)
