"""Expected failures: a refusal worded for the person, and the message for any other one.

The exit codes (DESIGN.md, "Command line"): 0 ok, 1 refused or invalid input (every
failure described here, one clear message on stderr, never a traceback), 2 usage (typer's).
No typer here: opening the console (``cli.launch``) reports failures without loading it.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from cs_console.i18n import t

REFUSED_EXIT = 1


class Refusal(Exception):
    """A refusal or invalid input, already worded for the person: exit code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(key: str, /, **values: object) -> NoReturn:
    """Stop the command with the message ``key`` (exit 1)."""
    raise Refusal(t(key, **values))


def _field_lines(fields: dict[str, str]) -> str:
    return "\n".join(f"  {name}: {t(f'error.{code}')}" for name, code in fields.items())


def _service_failure(exc: BaseException) -> str | None:
    """The message for a refusal of the services layer (only when it is loaded)."""
    from cs_console.services.context import InvalidInput, ServiceError

    if isinstance(exc, InvalidInput):
        return t("error.invalid_input") + "\n" + _field_lines(exc.fields)
    if isinstance(exc, ServiceError):
        return t(f"error.{exc.code}", **exc.details)
    if "cs_console.services.opening" in sys.modules:
        from cs_console.services.opening import DatabaseNotReady, NotReadyReason

        if isinstance(exc, DatabaseNotReady):
            if exc.reason is NotReadyReason.NOT_INITIALISED:
                return t("cli.not_initialised", url=exc.shown_url)
            if exc.reason is NotReadyReason.OUTDATED:
                return t("cli.needs_upgrade", revision=exc.revision, head=exc.head)
            return describe_failure(exc.__cause__) if exc.__cause__ is not None else None
    return None


def _database_failure(exc: BaseException) -> str | None:
    """The message for a bad URL or an unreachable server (only when SQLAlchemy is loaded)."""
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.ArgumentError | sa.NoSuchModuleError):
        return t("cli.bad_db_url", url=str(exc).splitlines()[0])
    if isinstance(exc, sa.DBAPIError):
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return t("cli.db_unreachable", detail=detail)
    return None


def describe_failure(exc: BaseException) -> str | None:
    """The one-line (or few-line) message for an expected failure; None for a bug."""
    from cs_console.config.settings import SettingsError
    from cs_console.domain.policy import PolicyError
    from cs_console.domain.scripts import ScriptError

    if isinstance(exc, Refusal):
        return exc.message
    if isinstance(exc, PolicyError | ScriptError | SettingsError):
        return str(exc)
    if "cs_console.services.context" in sys.modules:
        message = _service_failure(exc)
        if message is not None:
            return message
    if "sqlalchemy" in sys.modules:
        message = _database_failure(exc)
        if message is not None:
            return message
    if isinstance(exc, ModuleNotFoundError) and exc.name in ("psycopg", "psycopg2"):
        return t("cli.db_driver_missing", driver=exc.name)
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        return t("cli.os_error", detail=str(exc))
    return None
