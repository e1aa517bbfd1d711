"""The ``[tracking]`` table of settings.toml, the tracking policy and the carriers' formats.

Kept apart from config/settings.py (which reads the rest of the same file) so each can
change alone::

    [tracking]
    provider = "demo"        # "demo" (default), "kuaidi100", or "none"
    url = "https://poll.kuaidi100.com/poll/query.do"
    customer = "…"           # the account id; the key is never in this file
    com = "…"                # the provider's code for the company's own parcels
    own_pattern = '…'        # a regular expression for the company's own tracking numbers
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from cs_console.config.paths import config_dir
from cs_console.config.settings import SettingsError
from cs_console.domain.carriers import DEMO_OWN_PATTERN, Carrier, parse_carriers
from cs_console.domain.policy import PolicyError, TrackingPolicy, parse_tracking_policy

KUAIDI100_URL = "https://poll.kuaidi100.com/poll/query.do"


class TrackingSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: Literal["demo", "kuaidi100", "none"] = "demo"
    url: str = KUAIDI100_URL
    customer: str = ""
    com: str = ""
    own_pattern: str = DEMO_OWN_PATTERN

    @field_validator("own_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"is not a regular expression: {exc}") from exc
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def own(self) -> re.Pattern[str]:
        return re.compile(self.own_pattern)


def parse_tracking_settings(data: dict[str, Any], source: str) -> TrackingSettings:
    """The ``[tracking]`` table of a parsed settings file (defaults when it has none);
    a bad value raises ``SettingsError`` naming the file, the key and the problem."""
    table = data.get("tracking", {})
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [tracking] must be a table")
    try:
        settings = TrackingSettings.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        problem = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{source}: [tracking.{key}] {problem}") from None
    if settings.provider == "kuaidi100" and not (settings.customer and settings.com):
        raise SettingsError(f"{source}: [tracking] kuaidi100 needs customer and com")
    return settings


@cache
def load_tracking_settings() -> TrackingSettings:
    """``[tracking]`` of settings.toml in the config directory (as config/settings.py finds
    it); no file, or no table, means the demo provider."""
    path = config_dir() / "settings.toml"
    if not path.exists():
        return TrackingSettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read: {exc}") from exc
    return parse_tracking_settings(data, str(path))


def read_tracking_policy() -> TrackingPolicy:
    """``[tracking]`` of the policy file in force (CS_CONSOLE_POLICY, else the packaged
    one), as config/policy_file.py finds it."""
    named = os.environ.get("CS_CONSOLE_POLICY")
    try:
        if named:
            text, source = Path(named).read_text(encoding="utf-8"), named
        else:
            resource = resources.files("cs_console") / "data" / "policy.toml"
            text, source = resource.read_text(encoding="utf-8"), "data/policy.toml"
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(named or "data/policy.toml", "-", f"cannot be read: {exc}") from exc
    return parse_tracking_policy(data, source)


@cache
def load_carriers() -> tuple[Carrier, ...]:
    """The carriers' number formats shipped in data/carriers.toml."""
    resource = resources.files("cs_console") / "data" / "carriers.toml"
    return parse_carriers(tomllib.loads(resource.read_text(encoding="utf-8")), "carriers.toml")
