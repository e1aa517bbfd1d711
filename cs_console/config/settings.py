"""Site settings (company name, time zone, language, where the daily audit anchor goes)
from settings.toml, with defaults."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs_console.config.paths import config_dir


class SettingsError(ValueError):
    """settings.toml is unreadable or holds a bad value; the message names file and key."""


@dataclass(frozen=True)
class Settings:
    company: dict[str, str] = field(
        default_factory=lambda: {"zh-CN": "顺达速运", "en": "Shunda Express"}
    )
    timezone: str = "Asia/Shanghai"
    language: str | None = None
    # The file this machine appends the audit trail's daily anchor to; "" turns it off.
    # None: ``audit-anchors.jsonl`` in the data directory (services.audit_anchors).
    audit_anchor_file: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def company_name(self, lang: str) -> str:
        return self.company.get(lang) or next(iter(self.company.values()))


@cache
def load_settings() -> Settings:
    """Read settings.toml from the config directory; missing file means defaults."""
    path = config_dir() / "settings.toml"
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read: {exc}") from exc
    defaults = Settings()
    company = data.get("company", defaults.company)
    if isinstance(company, str):
        company = {"zh-CN": company, "en": company}
    if not isinstance(company, dict) or not all(isinstance(v, str) for v in company.values()):
        raise SettingsError(f"{path}: [company] must be a name or a table of names by language")
    timezone = data.get("timezone", defaults.timezone)
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"{path}: [timezone] unknown time zone {timezone!r}") from exc
    language = data.get("language")
    if language is not None and language not in ("zh-CN", "en"):
        raise SettingsError(f"{path}: [language] must be zh-CN or en, got {language!r}")
    anchor_file = data.get("audit_anchor_file")
    if anchor_file is not None and not isinstance(anchor_file, str):
        raise SettingsError(f'{path}: [audit_anchor_file] must be a file path (or "" for none)')
    return Settings(
        company=dict(company),
        timezone=str(timezone),
        language=language,
        audit_anchor_file=anchor_file,
    )
