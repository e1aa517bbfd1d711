"""Every string a person sees, in zh-CN and en.

Catalogs are ``data/i18n/<area>.<lang>.toml`` files whose nested tables flatten to dotted
keys (``[form] save = "保存"`` is ``form.save``). ``t(key, **values)`` looks a key up in the
current language; values are inserted literally, never re-read as placeholders or markup.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from string import Formatter

LANGUAGES = ("zh-CN", "en")
_current = "zh-CN"


def resolve_language(explicit: str | None = None, configured: str | None = None) -> str:
    """--lang first, then the settings, then LANG (zh* means zh-CN), else zh-CN."""
    for choice in (explicit, configured):
        if choice:
            if choice not in LANGUAGES:
                raise ValueError(f"unknown language {choice!r}: choose zh-CN or en")
            return choice
    env = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    if env.lower().startswith("en"):
        return "en"
    return "zh-CN"


def set_language(lang: str) -> None:
    """Switch the language used by t()."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def current_language() -> str:
    return _current


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    """All keys of one language, merged from every area file."""
    merged: dict[str, str] = {}
    folder = resources.files("cs_console") / "data" / "i18n"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(f".{lang}.toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), merged)
    return merged


class _Literal(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the current language, placeholders filled literally."""
    text = catalog(_current).get(key) or catalog("en").get(key) or key
    if not values:
        return text
    names = {name for _, name, _, _ in Formatter().parse(text) if name}
    return text.format_map(_Literal({k: v for k, v in values.items() if k in names}))
