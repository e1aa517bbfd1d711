"""The call scripts agents read aloud, as typed, validated values.

A script arrives as the parsed contents of ``data/scripts/<lang>.toml`` (a dict);
``parse_call_script`` checks that every key is there, has the right type, is not empty and
uses exactly the placeholders its line needs, and returns a frozen ``CallScript``, or raises
``ScriptError`` naming the file, the key and what is wrong. ``fill`` puts values into a line
without ever re-reading them as a template, and ``CallStep`` is the order of a call.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ScriptError(ValueError):
    """A script or list file is malformed; the message names file, key and problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: [{key}] {problem}")
        self.source, self.key, self.problem = source, key, problem


@dataclass(frozen=True)
class Courtesy:
    please: str  # 请您稍等…
    sorry: str  # 给您添麻烦了
    thanks: str  # 感谢您的理解


@dataclass(frozen=True)
class CallScript:
    greeting: str
    identify: str
    privacy_notice: str
    courtesy: Courtesy
    empathy: str
    reply_promise: str
    complaint_registered: str
    major_handover: str
    closing_question: str
    farewell: str
    shipping_checklist: tuple[str, ...]
    incident_apology: str
    disaster_delay: str


# The placeholders each line must contain, and the only ones it may contain: a greeting
# without the agent's number or a registration without the complaint number is a broken
# script, not a style choice.
LINE_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "greeting": frozenset({"company", "agent_no"}),
    "identify": frozenset(),
    "privacy_notice": frozenset(),
    "empathy": frozenset(),
    "reply_promise": frozenset({"hours"}),
    "complaint_registered": frozenset({"reference", "deadline"}),
    "major_handover": frozenset({"hours"}),
    "closing_question": frozenset(),
    "farewell": frozenset({"company"}),
    "incident_apology": frozenset({"hours"}),
    "disaster_delay": frozenset({"region", "delay"}),
}
COURTESY_KEYS = ("please", "sorry", "thanks")
SCRIPT_KEYS = frozenset({*LINE_PLACEHOLDERS, "courtesy", "shipping_checklist"})

_FORMATTER = string.Formatter()


def check_line(value: Any, *, source: str, key: str, placeholders: frozenset[str]) -> str:
    """Return ``value`` if it is a non-empty line using exactly ``placeholders``.

    Placeholders must be bare names (``{hours}``, not ``{hours:02}`` or ``{0}``); literal
    braces are written ``{{`` and ``}}``. Anything else raises ``ScriptError`` naming
    ``source`` and ``key``.
    """
    if not isinstance(value, str):
        raise ScriptError(source, key, f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ScriptError(source, key, "must not be empty")
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in _FORMATTER.parse(value)]
    except ValueError as exc:
        raise ScriptError(source, key, f"has a stray brace ({exc}); write {{{{ or }}}}") from exc
    allowed = ", ".join(f"{{{name}}}" for name in sorted(placeholders)) or "none"
    used = set()
    for name, spec, conversion in fields:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ScriptError(source, key, f"placeholder {{{name}}} must be a plain name")
        if name not in placeholders:
            raise ScriptError(
                source, key, f"uses unknown placeholder {{{name}}}; allowed: {allowed}"
            )
        used.add(name)
    if missing := sorted(placeholders - used):
        raise ScriptError(source, key, f"must contain {{{missing[0]}}}")
    return value


def parse_call_script(data: Mapping[str, Any], source: str) -> CallScript:
    """Validate the parsed contents of a script file and return it as a ``CallScript``.

    Every key of ``SCRIPT_KEYS`` must be present and no other; lines are checked with
    ``check_line`` against ``LINE_PLACEHOLDERS``, ``courtesy`` is a table of ``please``,
    ``sorry`` and ``thanks`` and ``shipping_checklist`` a non-empty array of lines. The first
    problem found raises ``ScriptError`` naming ``source`` and the key.
    """
    if not isinstance(data, Mapping):
        raise ScriptError(source, "-", "must be a table of script keys")
    if unknown := sorted(set(data) - SCRIPT_KEYS):
        raise ScriptError(source, unknown[0], "is not a script key (a typo?)")
    for key in (*LINE_PLACEHOLDERS, "courtesy", "shipping_checklist"):
        if key not in data:
            raise ScriptError(source, key, "is missing")
    lines = {
        key: check_line(data[key], source=source, key=key, placeholders=placeholders)
        for key, placeholders in LINE_PLACEHOLDERS.items()
    }
    return CallScript(
        **lines,
        courtesy=_courtesy(data["courtesy"], source),
        shipping_checklist=_checklist(data["shipping_checklist"], source),
    )


def _courtesy(table: Any, source: str) -> Courtesy:
    if not isinstance(table, Mapping):
        raise ScriptError(source, "courtesy", "must be a table of please, sorry and thanks")
    if unknown := sorted(set(table) - set(COURTESY_KEYS)):
        raise ScriptError(source, f"courtesy.{unknown[0]}", "is not a courtesy key")
    phrases = {}
    for name in COURTESY_KEYS:
        key = f"courtesy.{name}"
        if name not in table:
            raise ScriptError(source, key, "is missing")
        phrases[name] = check_line(table[name], source=source, key=key, placeholders=frozenset())
    return Courtesy(**phrases)


def _checklist(items: Any, source: str) -> tuple[str, ...]:
    if not isinstance(items, list) or not items:
        raise ScriptError(source, "shipping_checklist", "must be a non-empty array of strings")
    return tuple(
        check_line(item, source=source, key=f"shipping_checklist[{i}]", placeholders=frozenset())
        for i, item in enumerate(items)
    )


def fill(template: str, **values: str | int) -> str:
    """Put ``values`` into the ``{name}`` placeholders of ``template``.

    Like ``str.format_map``, but a placeholder with no value (or an attribute, index or
    positional field) stays in the text as written instead of raising, and values are
    inserted as they are: a customer's name containing ``{x}`` or ``[bold]`` comes out
    unchanged. Show every script line through ``fill``, even one without placeholders, so
    that ``{{`` and ``}}`` become single braces. A template with a stray brace is returned
    untouched (loaded scripts are already checked by ``check_line``).
    """
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError:
        return template
    out: list[str] = []
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is not None:
            out.append(_field(name, spec or "", conversion, values))
    return "".join(out)


_CONVERSIONS: dict[str, Callable[[object], str]] = {"s": str, "r": repr, "a": ascii}


def _field(name: str, spec: str, conversion: str | None, values: Mapping[str, object]) -> str:
    as_written = (
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )
    if name not in values or "{" in spec or conversion not in (None, "s", "r", "a"):
        return as_written
    value = values[name]
    if conversion:
        value = _CONVERSIONS[conversion](value)
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return as_written


class CallStep(StrEnum):
    """The scripted steps of every call, in the order they happen (see DOMAIN.md, A call)."""

    GREETING = "greeting"
    IDENTIFY = "identify"
    PRIVACY_NOTICE = "privacy_notice"
    FACT_FINDING = "fact_finding"
    CLOSING_QUESTION = "closing_question"
    FAREWELL = "farewell"
    DONE = "done"


CALL_STEPS: tuple[CallStep, ...] = tuple(CallStep)


def next_step(step: CallStep) -> CallStep:
    """The step after ``step``; ``DONE`` is last and stays ``DONE``."""
    index = CALL_STEPS.index(CallStep(step))
    return CALL_STEPS[min(index + 1, len(CALL_STEPS) - 1)]


def step_line(script: CallScript, step: CallStep, *, company: str, agent_no: str) -> str:
    """The line the agent says at ``step``, with company name and agent number filled in.

    Fact-finding has no fixed wording (the agent asks about the problem in their own words),
    so its line is the courtesy "please bear with me while I check" (``courtesy.please``);
    the empathy line for an upset caller is the UI's choice to show before it. ``DONE``
    has nothing left to say and returns "".
    """
    template = {
        CallStep.GREETING: script.greeting,
        CallStep.IDENTIFY: script.identify,
        CallStep.PRIVACY_NOTICE: script.privacy_notice,
        CallStep.FACT_FINDING: script.courtesy.please,
        CallStep.CLOSING_QUESTION: script.closing_question,
        CallStep.FAREWELL: script.farewell,
    }.get(CallStep(step), "")
    # Through fill even without placeholders, so that {{ and }} come out as single braces.
    return fill(template, company=company, agent_no=agent_no)
