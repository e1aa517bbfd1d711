"""The command palette (ctrl+p): every workspace action by name, with its key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from cs_console.i18n import t

# (action, key shown) in the order they are offered.
WORKSPACE_ACTIONS = (
    ("start_call", "F2"),
    ("mark_said", "ctrl+g"),
    ("empathy", "ctrl+e"),
    ("complaint_form", "F3"),
    ("save_complaint", "ctrl+s"),
    ("promise_reply", "ctrl+r"),
    ("end_call", "F8"),
    ("callback_queue", "F4"),
    ("my_clocks", "F10"),
    ("find_caller", "F6"),
    ("toggle_lists", "F7"),
    ("kept_drafts", "F12"),
)
APP_ACTIONS = (("overview", "F5"), ("help", "F1"), ("quit", "ctrl+q"))


class _Commands(Provider):
    actions: tuple[tuple[str, str], ...] = ()

    def _target(self, action: str) -> Widget | App[object]:
        """Where ``action`` runs: the screen, or the workspace part that owns it."""
        from cs_console.ui.workspace.keys import KeyLender

        screen = self.screen
        return screen.action_owner(action) if isinstance(screen, KeyLender) else screen

    def _commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        for action, key in self.actions:
            target = self._target(action)
            if target.check_action(action, ()) is not True:
                continue  # not possible now (e.g. end call with no call)
            name = f"{t('ui.key.' + action)} ({key})"
            yield name, partial(target.run_action, action), t("ui.command." + action)

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)


class WorkspaceCommands(_Commands):
    """The agent's actions on the workspace."""

    actions = WORKSPACE_ACTIONS


class AppCommands(_Commands):
    """Help and quit, everywhere."""

    actions = APP_ACTIONS

    def _target(self, action: str) -> Widget | App[object]:
        return self.app
