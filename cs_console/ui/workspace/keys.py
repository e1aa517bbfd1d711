"""The screen lends its key chain to its parts.

Textual looks a key up along the focused widget's ancestors, then the screen and the app;
a part is none of those (it sits beside the panes), yet F2 must answer a call wherever
the cursor is. So each part declares its ``BINDINGS`` (with ids, for the keymap), the
screen carries them all in the footer's order, and when Textual asks for the key chain
the screen's entry is split into runs, each under the part that owns the keys: the
action runs on that part and its ``check_action`` says whether it is possible now.

Until the parts are there (nobody signed in yet, or the panes not built) the keys stay
with the screen, which shows them greyed out.

textual 8.2 (pinned): ``Screen._binding_chain`` is what ``active_bindings`` (the footer,
the help) and the key dispatch read; it is overridden here and nowhere else. So is the
order of ``active_bindings``: Textual keeps a key where the chain first met it, so a
priority key that the focused field also binds (ctrl+w: the field's "delete a word") won
the key but kept the field's place, first in the footer while typing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap, BindingType
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.binding import ActiveBinding
    from textual.dom import DOMNode
    from textual.widget import Widget


def ordered(first: Sequence[str], owners: Iterable[Iterable[BindingType]]) -> list[Binding]:
    """The owners' bindings: those whose ids are in ``first`` in that order (the footer
    shows them so), then the rest as the owners declare them."""
    declared = [b for bindings in owners for b in bindings if isinstance(b, Binding)]
    by_id = {binding.id: binding for binding in declared}
    ranked = [by_id[binding_id] for binding_id in first]
    return ranked + [binding for binding in declared if binding not in ranked]


class KeyLender(Screen[None]):
    """A screen whose keys act on the parts that own them."""

    _key_owners: dict[str, Widget] | None = None  # binding id -> the part that acts

    def lend_keys(self, parts: Iterable[Widget]) -> None:
        """The parts' keys act on them from now on (once each is mounted)."""
        self._key_owners = {
            binding.id: part
            for part in parts
            for binding in type(part).BINDINGS
            if isinstance(binding, Binding) and binding.id
        }
        self.refresh_bindings()

    def action_owner(self, action: str) -> Widget:
        """Where ``action`` runs (the command palette asks)."""
        owners = self._key_owners or {}
        for _key, binding in self._bindings:
            owner = owners.get(binding.id or "")
            if binding.action == action and owner is not None and owner.is_mounted:
                return owner
        return self

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's, each key where the binding that won it stands in the chain."""
        found = super().active_bindings
        rank: dict[tuple[int, str], int] = {}
        for node, bindings in self._modal_binding_chain:
            for key, _binding in bindings:
                rank.setdefault((id(node), key), len(rank))
        last = len(rank)
        return dict(
            sorted(found.items(), key=lambda item: rank.get((id(item[1].node), item[0]), last))
        )

    @property
    def _binding_chain(self) -> list[tuple[DOMNode, BindingsMap]]:
        chain = super()._binding_chain
        owners = self._key_owners
        if not owners:
            return chain
        lent: list[tuple[DOMNode, BindingsMap]] = []
        for node, bindings in chain:
            if node is not self:
                lent.append((node, bindings))
                continue
            run_owner: DOMNode | None = None
            run = BindingsMap()
            for key, key_bindings in bindings.key_to_bindings.items():
                part = owners.get(key_bindings[0].id or "")
                owner: DOMNode = part if part is not None and part.is_mounted else self
                if owner is not run_owner:
                    run_owner, run = owner, BindingsMap()
                    lent.append((owner, run))
                run.key_to_bindings[key] = key_bindings
        return lent
