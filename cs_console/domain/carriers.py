"""Whose tracking number is it: the company's own, or another carrier's (data/carriers.toml).

The formats are data, parsed here from the file's contents (the caller reads the file); a
number matching the company's own pattern is never named as another carrier's, whatever
the carriers' patterns say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The demo company's numbers, as the demo generator issues them (cs_console/demo/pools.py
# CARRIERS): the default of settings.toml's [tracking] own_pattern.
DEMO_OWN_PATTERN = r"(?:SF|YT)[0-9]{10,13}|7[57][0-9]{13}|JDV[0-9]{12}"


class CarrierDataError(ValueError):
    """carriers.toml or an own pattern is unusable; the message names the source and key."""


@dataclass(frozen=True)
class Carrier:
    code: str  # "SF", "YTO" ...
    name_zh: str
    name_en: str
    kuaidi100: str  # the carrier's code at kuaidi100
    pattern: re.Pattern[str]

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh-CN" else self.name_en


def compile_pattern(pattern: str, source: str, key: str) -> re.Pattern[str]:
    """A tracking-number pattern, compiled; a bad one raises ``CarrierDataError``."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CarrierDataError(f"{source}: [{key}] is not a regular expression: {exc}") from exc


def parse_carriers(data: dict[str, Any], source: str = "carriers.toml") -> tuple[Carrier, ...]:
    """The carriers of a parsed carriers.toml, in file order (the first match wins)."""
    rows = data.get("carrier")
    if not isinstance(rows, list) or not rows:
        raise CarrierDataError(f"{source}: [carrier] must be a non-empty list of carriers")
    carriers = []
    for index, row in enumerate(rows):
        key = f"carrier[{index}]"
        fields = ("code", "name_zh", "name_en", "kuaidi100", "pattern")
        if not isinstance(row, dict) or set(row) != set(fields):
            raise CarrierDataError(f"{source}: [{key}] must have exactly {', '.join(fields)}")
        if not all(isinstance(row[name], str) and row[name] for name in fields):
            raise CarrierDataError(f"{source}: [{key}] every field must be non-empty text")
        pattern = compile_pattern(row["pattern"], source, f"{key}.pattern")
        carriers.append(
            Carrier(row["code"], row["name_zh"], row["name_en"], row["kuaidi100"], pattern)
        )
    if len({c.code for c in carriers}) != len(carriers):
        raise CarrierDataError(f"{source}: [carrier] two carriers have the same code")
    return tuple(carriers)


def other_carrier(
    tracking_no: str, own_pattern: re.Pattern[str], carriers: tuple[Carrier, ...]
) -> Carrier | None:
    """The carrier whose number ``tracking_no`` (normalised) is, when it is not ours.

    None when it matches the company's own pattern, or no carrier's format.
    """
    if own_pattern.fullmatch(tracking_no):
        return None
    return next((c for c in carriers if c.pattern.fullmatch(tracking_no)), None)
