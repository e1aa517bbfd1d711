"""Opening the console when the CLI gave a database URL: run in a thread after first paint.

This is where the storage layer (and with it SQLAlchemy) is first imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.config.settings import Settings
    from cs_console.services.context import ServiceContext


class StartRefused(Exception):
    """The console cannot open; the message says what to do."""


def open_console(db_url: str | None, settings: Settings) -> ServiceContext:
    """The console for ``db_url`` (or the configured default), refusing an uninitialised one."""
    from cs_console.config.paths import database_url
    from cs_console.config.policy_file import default_policy
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine
    from cs_console.storage.migrate import current_revision, head_revision

    policy = default_policy()  # a bad policy file raises PolicyError naming file and key
    engine = make_engine(database_url(db_url))
    try:
        revision = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise StartRefused(t("ui.start.unreachable", detail=type(exc).__name__)) from exc
    if revision is None:
        engine.dispose()
        raise StartRefused(t("ui.start.not_initialised"))
    if revision != head_revision():
        engine.dispose()
        raise StartRefused(t("ui.start.outdated"))
    return ServiceContext(engine, policy, settings.zone)
