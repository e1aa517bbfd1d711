"""Files of settings validated by a schema: frozen dataclasses whose fields say their rules.

The policy and the settings are plain frozen dataclasses, so importing them stays cheap
(the console's first frame imports them; pydantic and its schema build cost ~0.25 s more).
Their fields carry ``Check`` markers (``Annotated[int, whole(1, 50)]``): the type, the
range and the key as written in the file. ``validator`` hands them to pydantic (the policy:
nested tables, lists of rows, rules across keys), importing it only then;
``validate_table`` applies them to a flat table without it (the settings, read before the
first frame). Either way a bad value becomes a ``FileKeyError`` naming the file, the key as
written in the file, and the problem in the current language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_type_hints

from cs_console.i18n import t

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import CoreSchema

E = TypeVar("E", bound="FileKeyError")
T = TypeVar("T")


class FileKeyError(ValueError):
    """A file holds a bad value; the message names the file, the key and the problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: [{key}] {problem}")
        self.source, self.key, self.problem = source, key, problem


class Problem(ValueError):
    """A value breaks a rule: ``code`` is the catalogue key ``config.<code>``; ``key``, when
    given, is the key (below the checked one) the problem is about."""

    def __init__(self, code: str, key: str = "", **values: object) -> None:
        super().__init__(code)
        self.code, self.key, self.values = code, key, values

    def describe(self) -> str:
        return t(f"config.{self.code}", **self.values)


@dataclass(frozen=True)
class Check:
    """A field's rule for pydantic: ``rule(value)`` returns the field's value or raises
    ``Problem``. ``wrap`` rules get the value and pydantic's own validation of the field's
    type, to call around their check. ``unit`` names the key in the file: ``hours`` reads
    ``<field>_hours``, ``yuan`` reads ``<field>`` without ``_fen``; ``key`` names it outright."""

    rule: Callable[..., Any]
    unit: str = ""
    key: str = ""
    wrap: bool = False

    def file_key(self, field: str) -> str:
        if self.key:
            return self.key
        if self.unit == "yuan":
            return field.removesuffix("_fen")
        return f"{field}_{self.unit}" if self.unit else field

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        from pydantic_core import core_schema

        if self.wrap:
            return core_schema.no_info_wrap_validator_function(self.rule, handler(source))
        return core_schema.no_info_plain_validator_function(self.rule)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _between(value: int | float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise Problem("between", low=low, high=high, value=value)


def whole(low: int = 0, high: int = 10**9, *, unit: str = "", key: str = "") -> Check:
    """A whole number from ``low`` to ``high``."""

    def rule(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Problem("whole", value=repr(value))
        _between(value, low, high)
        return value

    return Check(rule, unit, key)


def number(low: float, high: float, *, unit: str = "") -> Check:
    """A number (whole or not) from ``low`` to ``high``, as a float."""

    def rule(value: object) -> float:
        if not _is_number(value):
            raise Problem("number", value=repr(value))
        assert isinstance(value, int | float)
        _between(value, low, high)
        return float(value)

    return Check(rule, unit)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise Problem("flag", value=repr(value))
    return value


FLAG = Check(_flag)


def duration(unit: str, low: float, high: float, *, key: str = "") -> Check:
    """A duration written as a number of ``unit`` (hours, minutes, days, seconds)."""
    whole_units = unit in ("days", "seconds")
    count = whole(int(low), int(high)) if whole_units else number(low, high)

    def rule(value: object) -> timedelta:
        return timedelta(**{unit: count.rule(value)})

    return Check(rule, unit, key)


def yuan(low: float = 0, high: float = 10**9) -> Check:
    """Money written in yuan, kept in fen (integer hundredths)."""
    amount = number(low, high)
    return Check(lambda value: round(amount.rule(value) * 100), "yuan")


def _types_within(hint: Any) -> list[type]:
    """The dataclasses a field's type names: itself, or inside ``tuple[...]`` etc."""
    if isinstance(hint, type) and is_dataclass(hint):
        return [hint]
    return [found for arg in get_args(hint) for found in _types_within(arg)]


def _field_checks(cls: type) -> dict[str, tuple[Any, Check | None]]:
    """Each field of the dataclass ``cls``: its type and its ``Check`` (if it has one)."""
    hints = get_type_hints(cls, include_extras=True)
    found = {}
    for field in fields(cls):
        hint = hints[field.name]
        marks = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Check)]
        found[field.name] = (hint, marks[0] if marks else None)
    return found


def _configure(cls: type) -> None:
    """Give ``cls`` and the dataclasses within it pydantic's config: the keys as written in
    the file (``Check.file_key``), and no other key accepted."""
    keys = {}
    for name, (hint, check) in _field_checks(cls).items():
        if check is not None:
            keys[name] = check.file_key(name)
        for inner in _types_within(hint):
            _configure(inner)
    cls.__pydantic_config__ = {  # type: ignore[attr-defined]
        "extra": "forbid",
        "alias_generator": lambda name: keys.get(name, name),
    }


def validator(root: type) -> Callable[[dict[str, Any]], Any]:
    """Pydantic's validator of the dataclass ``root``, reading the keys as written in the
    file and refusing any other key. Imports pydantic: call it once, late."""
    from pydantic import TypeAdapter

    _configure(root)
    return TypeAdapter(root).validate_python


_TYPE_PROBLEMS = {
    "unexpected_keyword_argument": "unknown_key",
    "extra_forbidden": "unknown_key",
    "dataclass_type": "table",
    "dataclass_exact_type": "table",
    "dict_type": "table",
    "tuple_type": "list",
    "list_type": "list",
}


def validate_table(cls: type[T], data: dict[str, Any], source: str, kind: type[E]) -> T:
    """``data``, a flat table, as the dataclass ``cls`` whose every field has a plain
    ``Check``: each key's rule, no unknown key, defaults for the keys left out. The same
    schema and messages as ``validator`` without pydantic, for the settings, which are read
    before the console's first frame (importing pydantic would add ~0.25 s there)."""
    by_key = {
        check.file_key(name): (name, check)
        for name, (_, check) in _field_checks(cls).items()
        if check
    }
    values = {}
    for key, value in data.items():
        if key not in by_key:
            raise kind(source, key, t("config.unknown_key"))
        name, check = by_key[key]
        try:
            values[name] = check.rule(value)
        except Problem as problem:
            where = f"{key}.{problem.key}" if problem.key else key
            raise kind(source, where, problem.describe()) from None
    return cls(**values)


def first_problem(error: ValidationError, source: str, kind: type[E]) -> E:
    """The first problem pydantic found, as a ``kind`` of ``FileKeyError`` with the key's
    dotted path (``clocks.amber_fraction``, ``compensation.delay_coupons[0].amount``)."""
    found = error.errors()[0]
    key = ""
    for part in found["loc"]:
        if isinstance(part, int):
            key += f"[{part}]"
        elif part != "[key]":
            key += f".{part}" if key else str(part)
    reason = found.get("ctx", {}).get("error")
    if isinstance(reason, Problem):
        key = f"{key}.{reason.key}" if key and reason.key else key or reason.key
        return kind(source, key, reason.describe())
    error_type = found["type"]
    if error_type == "missing":
        code = "missing" if "." in key or "[" in key else "section_missing"
        return kind(source, key, t(f"config.{code}"))
    if error_type in _TYPE_PROBLEMS:
        return kind(source, key, t(f"config.{_TYPE_PROBLEMS[error_type]}"))
    return kind(source, key, found["msg"])
