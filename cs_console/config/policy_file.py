"""Finds and reads the policy file: the packaged default, or one named by CS_CONSOLE_POLICY."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from cs_console.domain.policy import Policy, PolicyError, parse_policy
from cs_console.i18n import t


def read_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file; a bad file raises PolicyError naming it."""
    if path is None and os.environ.get("CS_CONSOLE_POLICY"):
        path = Path(os.environ["CS_CONSOLE_POLICY"])
    if path is None:
        resource = resources.files("cs_console") / "data" / "policy.toml"
        text, source = resource.read_text(encoding="utf-8"), "data/policy.toml"
    else:
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            problem = t("config.unreadable", detail=exc.strerror)
            raise PolicyError(str(path), "-", problem) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, "-", t("config.not_toml", detail=str(exc))) from exc
    return parse_policy(data, source)


@cache
def default_policy() -> Policy:
    """The policy in force for this process (read once)."""
    return read_policy()
