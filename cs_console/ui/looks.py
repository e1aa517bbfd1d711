"""The console's look and keys as settings.toml chooses them: the theme (high-contrast
among them) and the ``[keymap]``, which rebinds any key by its binding id.

Both are applied before the first frame (``apply_looks``, from values already read). What
needs more than that is checked after it, in the start-up worker (``check_looks``): an
unknown theme or binding id, or a key Textual does not know, stops the start like any bad
setting, naming the file and the key.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys
from textual.theme import Theme

from cs_console.config.settings import Settings, SettingsError, settings_path
from cs_console.i18n import t

# Pure colours on black, bold yellow for what has focus and the keys: for low vision and
# for bright rooms. Every style sheet uses theme variables, so this is all it takes.
HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    dark=True,
    luminosity_spread=0.3,
    text_alpha=1.0,
    variables={
        "text-muted": "#ffffff",
        "footer-background": "#000000",
        "footer-key-foreground": "#ffff00",
        "footer-description-foreground": "#ffffff",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#ffff00",
        "input-selection-background": "#ffff00 50%",
        "border": "#ffffff",
        "border-blurred": "#bcbcbc",
    },
)

_MODIFIERS = ("ctrl+", "shift+", "alt+", "super+", "meta+", "hyper+")
_NAMED_KEYS = {key.value for key in Keys if "+" not in key.value} | set(
    KEY_NAME_REPLACEMENTS.values()
)


def register_themes(app: App[Any]) -> None:
    """Make the console's own themes selectable (``theme = "high-contrast"``)."""
    app.register_theme(HIGH_CONTRAST)


def apply_looks(app: App[Any], settings: Settings) -> None:
    """Set the theme and the keymap the settings name (an unknown theme is left for
    ``check_looks`` to report)."""
    if settings.theme in app.available_themes:
        app.theme = settings.theme
    if settings.keymap:
        app.set_keymap(settings.keymap)


def is_key(key: str) -> bool:
    """Whether Textual knows ``key`` ("ctrl+s", "f9", "question_mark", "?", "a")."""
    while key.startswith(_MODIFIERS):
        key = key.partition("+")[2]
    if len(key) == 1:
        return key.isprintable()
    if key in _NAMED_KEYS:
        return True
    try:
        unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return False
    return True


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def binding_ids() -> set[str]:
    """The id of every binding of the console, its screens and widgets (importing them all)."""
    import pkgutil

    from cs_console.ui import screens, widgets

    importlib.import_module("cs_console.ui.app")  # the app's own bindings (quit, help, …)

    for package in (screens, widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return {
        binding.id
        for cls in _subclasses(DOMNode)
        for binding in cls.__dict__.get("BINDINGS", ())
        if isinstance(binding, Binding) and binding.id
    }


def check_looks(settings: Settings, themes: Iterable[str]) -> None:
    """Raise ``SettingsError`` for a theme that does not exist, a keymap id no binding has,
    or a key Textual does not know. Imports every screen when there is a keymap: call it
    off the UI thread."""
    source = str(settings_path())
    themes = sorted(themes)
    if settings.theme is not None and settings.theme not in themes:
        problem = t("config.theme", value=repr(settings.theme), choices=", ".join(themes))
        raise SettingsError(source, "theme", problem)
    known = binding_ids() if settings.keymap else set()
    for binding_id, keys in settings.keymap.items():
        if binding_id not in known:
            raise SettingsError(source, f"keymap.{binding_id}", t("config.binding_id"))
        if not all(is_key(key) for key in keys.split(",")):
            problem = t("config.keys", value=repr(keys))
            raise SettingsError(source, f"keymap.{binding_id}", problem)
