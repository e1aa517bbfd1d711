"""The language of --help and of every message, chosen before any help text is written."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cs_console.i18n import LANGUAGES, resolve_language, set_language


def _lang_argument(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def configured_language() -> str | None:
    """The language in settings.toml, or None (a broken file is reported by the command)."""
    from cs_console.config.settings import SettingsError, load_settings

    try:
        return load_settings().language
    except SettingsError:
        return None


def choose_help_language(argv: Sequence[str] | None = None) -> str:
    """Set the language from --lang in ``argv`` (default sys.argv), settings or LANG."""
    explicit = _lang_argument(sys.argv[1:] if argv is None else argv)
    lang = resolve_language(explicit if explicit in LANGUAGES else None, configured_language())
    set_language(lang)
    return lang
