"""A key rebound by settings.toml's ``[keymap]`` keeps its binding's place.

Textual 8.2.8's ``BindingsMap.apply_keymap`` deletes the old key and appends the new one at
the end of the map, so the footer (and the help) moved a rebound binding to the end of its
screen's keys: ``F3 登记表`` became ``… F7 投诉列表 F11 登记表``. Wrapped here: after the
keymap is applied, the keys are put back in the order of the bindings they belong to.
"""

from __future__ import annotations

from textual.binding import Binding, BindingsMap, Keymap, KeymapApplyResult

_TEXTUAL_APPLY_KEYMAP = BindingsMap.apply_keymap


def apply_keymap_in_place(bindings: BindingsMap, keymap: Keymap) -> KeymapApplyResult:
    """Textual's ``apply_keymap``, then every key where its binding was declared."""
    id_places: dict[str, int] = {}
    key_places: dict[str, int] = {}
    for index, (key, key_bindings) in enumerate(bindings.key_to_bindings.items()):
        key_places[key] = index
        for binding in key_bindings:
            if binding.id:
                id_places.setdefault(binding.id, index)
    result = _TEXTUAL_APPLY_KEYMAP(bindings, keymap)
    last = len(key_places)

    def declared_place(item: tuple[str, list[Binding]]) -> int:
        key, key_bindings = item
        binding_id = key_bindings[0].id
        if binding_id is not None and binding_id in id_places:
            return id_places[binding_id]
        return key_places.get(key, last)

    bindings.key_to_bindings = dict(sorted(bindings.key_to_bindings.items(), key=declared_place))
    return result


def apply() -> None:
    """Wrap ``BindingsMap.apply_keymap`` (once; again is a no-op)."""
    current = BindingsMap.apply_keymap
    if current is apply_keymap_in_place:
        return
    if current is not _TEXTUAL_APPLY_KEYMAP:
        raise RuntimeError(
            "textual.binding.BindingsMap.apply_keymap was replaced: "
            "re-derive cs_console.ui.textual_fixes.keymap_order"
        )
    BindingsMap.apply_keymap = apply_keymap_in_place  # type: ignore[method-assign, assignment]
