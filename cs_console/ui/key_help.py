"""The rows of the help screen (F1): the keys that work now, as they are bound now (after
the ``[keymap]`` of settings.toml), for what the signed-in person may do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from cs_console.domain.permissions import Action, can
from cs_console.i18n import t

if TYPE_CHECKING:
    from textual.screen import Screen

    from cs_console.ui.desk import Desk


class HelpedApp(Protocol):
    """What the help rows read of the app (the app imports this module: no import back)."""

    @property
    def screen(self) -> Screen[Any]: ...

    def signed_in_desk(self) -> Desk | None: ...


HELP_EXTRAS = ("tab", "choice", "queue", "clocks", "escape")
# Keys that answer everyone (F5 tells others it is for supervisors) but only serve a role.
ROLE_BOUND = {"overview": Action.VIEW_OVERVIEW, "incidents": Action.DECLARE_INCIDENT}


def help_rows(app: HelpedApp) -> list[tuple[str, str]]:
    """(keys, description) for every binding active now that the signed-in person may
    use, then the in-field keys; each key once."""
    from cs_console.ui.screens.help import key_label
    from cs_console.ui.workspace.screen import WorkspaceScreen

    desk = app.signed_in_desk()
    extras = (
        [(t(f"ui.help.keys.{n}"), t(f"ui.help.what.{n}")) for n in HELP_EXTRAS]
        if isinstance(app.screen, WorkspaceScreen)
        else []
    )
    explained = {keys for keys, _ in extras}  # said more fully below
    grouped: dict[tuple[int, str], tuple[list[str], str]] = {}
    for key, active in app.screen.active_bindings.items():
        binding = active.binding
        if binding.system or not binding.description or binding.id is None:
            continue  # Textual's own (scrolling, …) bindings have no id and no i18n
        needed = ROLE_BOUND.get(binding.action)
        if needed is not None and (desk is None or not can(desk.actor.role, needed)):
            continue  # a key this person's role cannot use is not offered
        slot = grouped.setdefault((id(active.node), binding.action), ([], binding.description))
        label = key_label(key)
        if label not in slot[0]:
            slot[0].append(label)
    rows = [(" / ".join(keys), text) for keys, text in grouped.values()]
    return [row for row in rows if row[0] not in explained] + extras
