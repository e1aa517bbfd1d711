"""The ``[tracking]`` table of settings.toml (``Settings.tracking``) and the carriers' formats.

::

    [tracking]
    provider = "demo"        # "demo" (default), "kuaidi100", or "none"
    url = "https://poll.kuaidi100.com/poll/query.do"
    customer = "…"           # the account id; the key is never in this file
    com = "…"                # the provider's code for the company's own parcels
    own_pattern = '…'        # a regular expression for the company's own tracking numbers

Checked like the rest of the file (``domain.schema``: each key's rule, no unknown key, the
problems in both languages), without pydantic: settings are read before the first frame.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cs_console.domain.carriers import DEMO_OWN_PATTERN, Carrier, parse_carriers
from cs_console.domain.schema import Problem

KUAIDI100_URL = "https://poll.kuaidi100.com/poll/query.do"
PROVIDERS = ("demo", "kuaidi100", "none")


@dataclass(frozen=True)
class TrackingSettings:
    provider: str = "demo"
    url: str = KUAIDI100_URL
    customer: str = ""
    com: str = ""
    own_pattern: str = DEMO_OWN_PATTERN

    @property
    def own(self) -> re.Pattern[str]:
        return re.compile(self.own_pattern)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise Problem("text", value=repr(value))
    return value


def _provider(value: object) -> str:
    if value not in PROVIDERS:
        raise Problem("tracking_provider", value=repr(value))
    return _text(value)


def _url(value: object) -> str:
    if not _text(value).startswith(("https://", "http://")):
        raise Problem("tracking_url", value=repr(value))
    return _text(value)


def _pattern(value: object) -> str:
    try:
        re.compile(_text(value))
    except re.error as exc:
        raise Problem("tracking_pattern", detail=str(exc)) from None
    return _text(value)


_RULES: dict[str, Callable[[object], str]] = {
    "provider": _provider,
    "url": _url,
    "customer": _text,
    "com": _text,
    "own_pattern": _pattern,
}


def tracking_table(value: object) -> TrackingSettings:
    """The ``[tracking]`` table as ``TrackingSettings`` (the rule of ``Settings.tracking``);
    a bad key raises ``Problem`` naming it, and kuaidi100 needs its account."""
    if not isinstance(value, dict):
        raise Problem("table")
    checked = {}
    for key, item in value.items():
        rule = _RULES.get(key)
        if rule is None:
            raise Problem("unknown_key", key)
        try:
            checked[key] = rule(item)
        except Problem as problem:
            raise Problem(problem.code, key, **problem.values) from None
    settings = TrackingSettings(**checked)
    if settings.provider == "kuaidi100" and not (settings.customer and settings.com):
        raise Problem("tracking_account")
    return settings


@cache
def load_carriers() -> tuple[Carrier, ...]:
    """The carriers' number formats shipped in data/carriers.toml."""
    resource = resources.files("cs_console") / "data" / "carriers.toml"
    return parse_carriers(tomllib.loads(resource.read_text(encoding="utf-8")), "carriers.toml")
