"""The approvals list on the workspace (specialists, supervisors): F11 (or the command
palette) opens the claims waiting for an approval this person may give (within their
limit, not their own)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from cs_console.domain.enums import Role
from cs_console.ui.workspace.parts import WorkspacePart

# Agents approve up to their small limit on the complaint screen; the list is for those
# who approve what agents cannot.
APPROVERS = (Role.SPECIALIST, Role.SUPERVISOR)


class ApprovalsPart(WorkspacePart):
    """The key to the approvals list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Every ctrl letter of the workspace is taken, and F11 may be the terminal's: the
        # command palette (ctrl+p) offers it too.
        Binding("f11", "approvals", "claim.key.approvals", key_display="F11", id="approvals"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.desk.actor.role in APPROVERS  # hidden for the others

    def action_approvals(self) -> None:
        from cs_console.ui.screens.approvals_list import ApprovalsScreen

        if self.desk.actor.role in APPROVERS:
            self.app.push_screen(ApprovalsScreen(self.desk.console, self.desk.actor))
