"""A refused or failed request said in plain words on a complaint's screens and dialogs."""

from __future__ import annotations

from collections.abc import Callable

from cs_console.i18n import t


def complaint_field(field: str) -> str:
    """A complaint's field as a refusal names it."""
    return t("detail.field." + field)


def error_text(exc: Exception, field_name: Callable[[str], str] = complaint_field) -> str:
    """A refused or failed request in plain words (``error.<code>`` of the catalog), the
    fields of an invalid input named by ``field_name``; a database that failed or cannot be
    reached is said as such."""
    from cs_console.services.context import ServiceError

    if not isinstance(exc, ServiceError):
        return t("error.database_unavailable")
    fields = getattr(exc, "fields", None)
    if fields:
        return "; ".join(f"{field_name(f)}: {t('error.' + c)}" for f, c in fields.items())
    return t(f"error.{exc.code}", **exc.details)


def error_code(exc: Exception) -> str | None:
    """The services' refusal code of ``exc`` (None for a database error)."""
    from cs_console.services.context import ServiceError

    return exc.code if isinstance(exc, ServiceError) else None
