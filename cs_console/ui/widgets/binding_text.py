"""Footer texts of bindings in the language chosen at start, not at import.

``BINDINGS`` are class attributes, built when a module is imported; the language may be set
later (``--lang``, settings, a test). Widgets and screens therefore give i18n keys as binding
descriptions and translate their own copy of the bindings when they are created.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from cs_console.i18n import t


def translate_bindings(node: DOMNode) -> None:
    """Replace every binding description of ``node`` (an i18n key) with its text."""
    bindings = node._bindings.key_to_bindings
    for key, key_bindings in bindings.items():
        bindings[key] = [
            replace(binding, description=t(binding.description)) if binding.description else binding
            for binding in key_bindings
        ]
