"""Opening the console when the CLI gave a database URL: run in a thread after first paint.

This is where the storage layer (and with it SQLAlchemy) is first imported; the opening
itself is the services' (``services.opening``), its refusals are worded here for the
login screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.config.settings import Settings
    from cs_console.services.context import ServiceContext


class StartRefused(Exception):
    """The console cannot open; the message says what to do."""


def open_console(db_url: str | None, settings: Settings) -> tuple[ServiceContext, bool]:
    """The console for ``db_url`` (or the configured default), refusing an uninitialised one,
    and whether it opened offline (a database server that does not answer: people who
    signed in on this machine sign in from the outage journal).

    The policy is this process's (``default_policy``, the one the lists read too).
    """
    from cs_console.config.paths import database_url
    from cs_console.config.policy_file import default_policy
    from cs_console.services import opening

    try:
        return opening.open_console_or_offline(
            database_url(db_url), policy=default_policy(), zone=settings.zone
        )
    except opening.DatabaseNotReady as exc:
        cause = exc.__cause__
        detail = type(cause).__name__ if cause is not None else ""
        raise StartRefused(t(f"ui.start.{exc.reason.value}", detail=detail)) from exc
