"""A reason that is recorded with what it justifies (an unmasked export, a severity
override, a responsibility, a reveal): cleaned, a few real words (``domain.reasons``),
within its column."""

from __future__ import annotations

from cs_console.domain.reasons import reason_problem
from cs_console.domain.text import clean_line
from cs_console.domain.validation import FieldError
from cs_console.services.context import InvalidInput, ServiceContext


def checked_reason(
    console: ServiceContext,
    typed: str,
    *,
    limit: int,
    field: str = "reason",
    optional: bool = False,
    required_code: str = FieldError.REQUIRED.value,
) -> str:
    """``typed`` cleaned to one line, or ``InvalidInput({field: code})``.

    Blank is refused with ``required_code`` unless ``optional`` (then ``""`` comes back);
    text that is there but is no reason (only invisible or control characters, markup, one
    word) is ``reason_too_vague``; longer than ``limit`` is ``too_long``.
    """
    text = clean_line(typed).strip()
    problem = reason_problem(text, console.policy.security)
    if problem is FieldError.REQUIRED:
        if not typed.strip():
            if optional:
                return ""
            raise InvalidInput({field: required_code})
        problem = FieldError.REASON_TOO_VAGUE  # typed, but nothing visible in it
    if problem is not None:
        raise InvalidInput({field: problem.value})
    if len(text) > limit:
        raise InvalidInput({field: FieldError.TOO_LONG.value})
    return text
