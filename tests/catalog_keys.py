"""The catalogues as keys with each plural entry as one key, for the catalogue tests."""

from __future__ import annotations

from cs_console.i18n import PLURAL_FORMS, catalog


def entries(lang: str) -> dict[str, dict[str, str]]:
    """Every key of ``lang``: a plain key maps to {"": text}, a plural entry (a table of
    plural forms only, with ``other``) to its forms, {"one": …, "other": …}."""
    flat = catalog(lang)
    children: dict[str, set[str]] = {}
    for key in flat:
        parent, _, last = key.rpartition(".")
        children.setdefault(parent, set()).add(last)
    grouped: dict[str, dict[str, str]] = {}
    for key, text in flat.items():
        parent, _, last = key.rpartition(".")
        forms = children[parent]
        if forms <= PLURAL_FORMS and "other" in forms:
            grouped.setdefault(parent, {})[last] = text
        else:
            grouped[key] = {"": text}
    return grouped


def plural_entries(lang: str) -> dict[str, set[str]]:
    """The plural entries of ``lang`` and the forms each one has."""
    return {key: set(forms) for key, forms in entries(lang).items() if "" not in forms}
