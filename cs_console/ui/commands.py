"""The command palette (ctrl+p): every workspace action by name, with its key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from cs_console.i18n import t

# The actions in the order they are offered; each shows the key bound to it now (after
# settings.toml's [keymap]).
WORKSPACE_ACTIONS = (
    "start_call",
    "mark_said",
    "empathy",
    "complaint_form",
    "save_complaint",
    "promise_reply",
    "end_call",
    "callback_queue",
    "my_clocks",
    "find_caller",
    "toggle_lists",
    "kept_drafts",
    "approvals",
)
APP_ACTIONS = ("overview", "help", "quit")


class _Commands(Provider):
    actions: tuple[str, ...] = ()

    def _target(self, action: str) -> Widget | App[object]:
        """Where ``action`` runs: the screen, or the workspace part that owns it."""
        from cs_console.ui.workspace.keys import KeyLender

        screen = self.screen
        return screen.action_owner(action) if isinstance(screen, KeyLender) else screen

    def _keys_now(self) -> dict[str, str]:
        """action -> the first key bound to it on this screen now, as people write it."""
        from cs_console.ui.screens.help import key_label

        keys: dict[str, str] = {}
        for key, active in self.screen.active_bindings.items():
            keys.setdefault(active.binding.action, key_label(key))
        return keys

    def _commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        keys = self._keys_now()
        for action in self.actions:
            target = self._target(action)
            if target.check_action(action, ()) is not True:
                continue  # not possible now (e.g. end call with no call)
            name = t("ui.key." + action)
            if action in keys:
                name = f"{name} ({keys[action]})"
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
