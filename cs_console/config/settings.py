"""Site settings (company name, time zone, language, where the daily audit anchor goes, the
console's theme and keymap) from settings.toml, with defaults.

The file is validated by the schema of ``Settings``: each field's ``Check`` (its rule and
its message), no unknown key. The settings are read before the console's first frame, so
the flat table is checked without pydantic (``domain.schema.validate_table``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs_console.config.paths import config_dir
from cs_console.config.tracking_settings import TrackingSettings, tracking_table
from cs_console.domain.schema import Check, FileKeyError, Problem, validate_table
from cs_console.i18n import LANGUAGES, t


class SettingsError(FileKeyError):
    """settings.toml is unreadable or holds a bad value; the message names file and key."""


def _company(value: object) -> dict[str, str]:
    if isinstance(value, str):
        return {"zh-CN": value, "en": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Problem("company")
    return dict(value)


def _timezone(value: object) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Problem("timezone", value=repr(value)) from exc
    return str(value)


def _language(value: object) -> str:
    if value not in LANGUAGES:
        raise Problem("language", value=repr(value))
    assert isinstance(value, str)
    return value


def _anchor_file(value: object) -> str:
    if not isinstance(value, str):
        raise Problem("anchor_file")
    return value


def _theme(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise Problem("text", value=repr(value))
    return value


# One key as Textual writes it: modifiers, then a key's name (f9, enter, question_mark) or
# a character. Whether the name is a key Textual knows is checked by the console (ui.looks).
_KEY = re.compile(r"((ctrl|shift|alt|super|meta|hyper)\+)*([a-z0-9_]+|[^\s,+])")


def _keymap(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Problem("table")
    for binding_id, keys in value.items():
        parts = keys.split(",") if isinstance(keys, str) else [""]
        if not all(_KEY.fullmatch(part.strip()) for part in parts):
            raise Problem("keys", binding_id, value=repr(keys))
    return {binding_id: keys.replace(" ", "") for binding_id, keys in value.items()}


@dataclass(frozen=True)
class Settings:
    company: Annotated[dict[str, str], Check(_company)] = field(
        default_factory=lambda: {"zh-CN": "顺达速运", "en": "Shunda Express"}
    )
    timezone: Annotated[str, Check(_timezone)] = "Asia/Shanghai"
    language: Annotated[str | None, Check(_language)] = None
    # The file this machine appends the audit trail's daily anchor to; "" turns it off.
    # None: ``audit-anchors.jsonl`` in the data directory (services.audit_anchors).
    audit_anchor_file: Annotated[str | None, Check(_anchor_file)] = None
    # The console's look: "high-contrast" or one of Textual's themes; None: Textual's own.
    theme: Annotated[str | None, Check(_theme)] = None
    # The [keymap] table: binding id -> keys ("save-complaint" = "ctrl+s,f9").
    keymap: Annotated[dict[str, str], Check(_keymap)] = field(default_factory=dict)
    # The [tracking] table: the tracking provider (config/tracking_settings.py).
    tracking: Annotated[TrackingSettings, Check(tracking_table)] = field(
        default_factory=TrackingSettings
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def company_name(self, lang: str) -> str:
        return self.company.get(lang) or next(iter(self.company.values()))


def settings_path() -> Path:
    """Where settings.toml is read from: the config directory."""
    return config_dir() / "settings.toml"


def parse_settings(data: dict[str, Any], source: str) -> Settings:
    """Validate the parsed settings file; ``SettingsError`` names ``source`` and the key."""
    return validate_table(Settings, data, source, SettingsError)


@cache
def load_settings() -> Settings:
    """Read settings.toml from the config directory; missing file means defaults."""
    path = settings_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(str(path), "-", t("config.unreadable", detail=exc.strerror)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(str(path), "-", t("config.not_toml", detail=str(exc))) from exc
    return parse_settings(data, str(path))
