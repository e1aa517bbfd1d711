"""Reads the packaged call scripts and prohibited-items list (each once per process)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from cs_console.domain.prohibited import ProhibitedItem, parse_prohibited_items
from cs_console.domain.scripts import CallScript, ScriptError, parse_call_script

SCRIPT_LANGUAGES = ("zh-CN", "en")


def call_script_from_text(text: str, source: str) -> CallScript:
    """Parse and validate the text of a script file; ``source`` names it in errors."""
    return parse_call_script(_toml(text, source), source)


def prohibited_items_from_text(text: str, source: str) -> tuple[ProhibitedItem, ...]:
    """Parse and validate the text of a prohibited-items file; ``source`` names it in errors."""
    return parse_prohibited_items(_toml(text, source), source)


@cache
def load_call_script(lang: str) -> CallScript:
    """The packaged call script for ``lang`` ("zh-CN" or "en"); a bad file raises ScriptError."""
    source = f"data/scripts/{lang}.toml"
    if lang not in SCRIPT_LANGUAGES:
        raise ScriptError(
            source, "-", f"no script for {lang!r}; have {', '.join(SCRIPT_LANGUAGES)}"
        )
    return call_script_from_text(_packaged(source), source)


@cache
def load_prohibited_items() -> tuple[ProhibitedItem, ...]:
    """The packaged prohibited and restricted items, in file order."""
    source = "data/prohibited_items.toml"
    return prohibited_items_from_text(_packaged(source), source)


def _packaged(source: str) -> str:
    resource = resources.files("cs_console").joinpath(*source.split("/"))
    try:
        return resource.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScriptError(source, "-", f"cannot be read: {exc.strerror or exc}") from exc


def _toml(text: str, source: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScriptError(source, "-", f"is not valid TOML: {exc}") from exc
