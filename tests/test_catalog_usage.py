"""Catalogue keys and the code agree: no key nothing uses, no key the code asks for missing.

The code is read, not run: every string literal in cs_console that is a key uses it; a key
built at run time (``t(f"ui.category.{c.value}")``, ``t("detail.status." + status)``) is
used when its prefix is built somewhere and the rest is a value the code can produce (a
string literal, which is what enum values are). The other way round, every value of the
enums shown through a prefix, and every error code a service raises, must have its key.
"""

from __future__ import annotations

import ast
import re
from enum import StrEnum
from functools import cache
from pathlib import Path

import pytest

import cs_console
from cs_console.domain.classification import SeverityReason
from cs_console.domain.enums import (
    Approval,
    AuditAction,
    CallbackKind,
    Category,
    Channel,
    ClockKind,
    ClockState,
    CompensationKind,
    ComplaintStatus,
    ContactType,
    Responsibility,
    Role,
    Severity,
)
from cs_console.domain.incidents import IssueDimension
from cs_console.domain.measures import MeasureKind
from cs_console.domain.permissions import Action
from cs_console.domain.prohibited import ItemStatus
from cs_console.domain.register_rows import RowError
from cs_console.domain.scorecard import Band
from cs_console.domain.scripts import CallStep
from cs_console.domain.validation import FieldError
from tests.catalog_keys import entries

SOURCE = Path(cs_console.__file__).parent
KEY_PREFIX = re.compile(r"^[a-z_]+\.[a-z0-9_.]*$")  # "ui.category.", "ui.history.repeat"

# Keys shown for every member of an enum: each member needs its text.
ENUM_KEYS: dict[str, type[StrEnum]] = {
    "attribute.who.": Responsibility,
    "audit.action.": AuditAction,
    "band.": Band,
    "cli.role.": Role,
    "detail.approval.": Approval,
    "detail.category.": Category,
    "detail.channel.": Channel,
    "detail.compensation.": CompensationKind,
    "detail.reason.": SeverityReason,
    "detail.role.": Role,
    "detail.status.": ComplaintStatus,
    "error.": FieldError,
    "incident.dimension.": IssueDimension,
    "lists.callback.": CallbackKind,
    "lists.clock.": ClockKind,
    "lists.severity.": Severity,
    "measure.": MeasureKind,
    "sla.clock.": ClockKind,
    "sla.state.": ClockState,
    "ui.category.": Category,
    "ui.compensation.": CompensationKind,
    "ui.contact_type.": ContactType,
    "ui.prohibited.": ItemStatus,
    "ui.reason.": SeverityReason,
    "ui.severity.": Severity,
    "ui.severity_short.": Severity,
    "ui.status.": ComplaintStatus,
    "ui.step.": CallStep,
}
ENUM_KEYS_TOO = {"error.": (RowError,)}  # a second enum under the same prefix

# Exceptions whose first argument is a code, and the prefix their text is found under.
CODE_PREFIXES = {
    "ServiceError": "error.",
    "RingRefused": "ring.",
    "DbPasswordError": "dbpass.",
}
# Codes built at run time: an f-string's fixed start, and the enum that completes it.
RUNTIME_CODES: dict[str, type[StrEnum]] = {"refused_": Action}  # PermissionDenied


class _Scan(ast.NodeVisitor):
    def __init__(self) -> None:
        self.literals: set[str] = set()
        self.prefixes: set[str] = set()
        self.codes: dict[str, set[str]] = {}  # prefix -> codes raised
        self.code_starts: set[str] = set()  # f-string codes: their fixed start
        self.classes: dict[str, str] = {}  # class -> base class, to follow subclasses

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            if isinstance(base, ast.Name):
                self.classes[node.name] = base.id
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self.literals.add(node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._prefix(node.values[0] if node.values else None)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add):
            self._prefix(node.left)
        self.generic_visit(node)

    def _prefix(self, start: ast.expr | None) -> None:
        """The fixed start of a key built at run time ("ui.category." + …), if it is one."""
        text = start.value if isinstance(start, ast.Constant) else None
        if isinstance(text, str) and KEY_PREFIX.match(text):
            self.prefixes.add(text)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if node.args and name:
            self.codes.setdefault(name, set()).add(ast.unparse(node.args[0]))
        self.generic_visit(node)

    def family(self, name: str) -> str | None:
        """The code-carrying exception ``name`` is (or derives from), if any."""
        while name not in CODE_PREFIXES:
            if name not in self.classes:
                return None
            name = self.classes[name]
        return name


@cache
def scan() -> _Scan:
    found = _Scan()
    for path in sorted(SOURCE.rglob("*.py")):
        found.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def raised_codes() -> dict[str, set[str]]:
    """Each code prefix and the codes raised with it: literal first arguments of the
    exception (or a subclass), and the run-time codes of RUNTIME_CODES."""
    found = scan()
    codes: dict[str, set[str]] = {prefix: set() for prefix in CODE_PREFIXES.values()}
    for name, args in found.codes.items():
        family = found.family(name)
        if family is None:
            continue
        for arg in args:
            if re.fullmatch(r"'[a-z_]+'", arg):
                codes[CODE_PREFIXES[family]].add(arg.strip("'"))
            elif arg.startswith("f'"):
                found.code_starts.add(arg[2:].split("{")[0])
    for start, enum in RUNTIME_CODES.items():
        codes["error."] |= {start + member.value for member in enum}
    return codes


def test_every_key_is_used() -> None:
    found = scan()
    producible = found.literals | {c for cs in raised_codes().values() for c in cs}
    unused = sorted(
        key
        for key in entries("en")
        if key not in found.literals
        and not any(
            key.startswith(prefix) and key.removeprefix(prefix) in producible
            for prefix in found.prefixes
        )
    )
    assert unused == []


@pytest.mark.parametrize("prefix", sorted(ENUM_KEYS))
def test_every_enum_value_shown_has_its_key(prefix: str) -> None:
    assert prefix in scan().prefixes, f"nothing builds {prefix}… any more: drop it here"
    keys = entries("en")
    enums = (ENUM_KEYS[prefix], *ENUM_KEYS_TOO.get(prefix, ()))
    shown = [prefix + m.value for enum in enums for m in enum if m.value]  # "": nothing shown
    missing = [key for key in shown if key not in keys]
    assert missing == []


def test_every_error_code_raised_has_its_key() -> None:
    keys = entries("en")
    codes = raised_codes()
    assert len(codes["error."]) > 40  # the scan found the services' codes
    missing = sorted(p + c for p, cs in codes.items() for c in cs if p + c not in keys)
    assert missing == []


def test_codes_built_at_run_time_are_declared() -> None:
    """A new f-string code (``PermissionDenied(f"refused_{…}")``) needs its enum above."""
    raised_codes()
    assert scan().code_starts <= RUNTIME_CODES.keys()


def test_literal_keys_the_code_asks_for_exist() -> None:
    """A literal that looks like a key of a catalogue table is one: "ui.form.save"."""
    keys = entries("en")
    tables = {key.split(".")[0] for key in keys}
    asked = {
        text
        for text in scan().literals
        if re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", text) and text.split(".")[0] in tables
    }
    missing = sorted(asked - keys.keys() - scan().prefixes - NOT_KEYS)
    assert missing == []


# Literals shaped like keys that are something else: storage/journal.py's sealing labels.
NOT_KEYS = {"journal.args", "journal.drafts"}
