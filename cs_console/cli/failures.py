"""Expected failures: a refusal worded for the person, and the message for any other one.

No typer here: opening the console (``cli.launch``) reports failures without loading it.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from cs_console.i18n import t


class CliFailure(Exception):
    """A refusal or invalid input, already worded for the person: exit code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(key: str, /, **values: object) -> NoReturn:
    """Stop the command with the message ``key`` (exit 1)."""
    raise CliFailure(t(key, **values))


def _field_lines(fields: dict[str, str]) -> str:
    return "\n".join(f"  {name}: {t(f'error.{code}')}" for name, code in fields.items())


def describe_failure(exc: BaseException) -> str | None:
    """The one-line (or few-line) message for an expected failure; None for a bug."""
    from cs_console.config.settings import SettingsError
    from cs_console.domain.policy import PolicyError
    from cs_console.domain.scripts import ScriptError

    if isinstance(exc, CliFailure):
        return exc.message
    if isinstance(exc, PolicyError | ScriptError | SettingsError):
        return str(exc)
    if "cs_console.services.context" in sys.modules:
        from cs_console.services.context import InvalidInput, ServiceError

        if isinstance(exc, InvalidInput):
            return t("error.invalid_input") + "\n" + _field_lines(exc.fields)
        if isinstance(exc, ServiceError):
            return t(f"error.{exc.code}", **exc.details)
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import exc as sa

        if isinstance(exc, sa.ArgumentError | sa.NoSuchModuleError):
            return t("cli.bad_db_url", url=str(exc).splitlines()[0])
        if isinstance(exc, sa.DBAPIError):
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            return t("cli.db_unreachable", detail=detail)
    if isinstance(exc, ModuleNotFoundError) and exc.name in ("psycopg", "psycopg2"):
        return t("cli.db_driver_missing", driver=exc.name)
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        return t("cli.os_error", detail=str(exc))
    return None
