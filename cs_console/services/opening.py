"""Opening the console on a database: the one way the UI, the CLI and ``doctor`` do it.

The policy is read first (a broken file names itself before anything connects), then the
engine is made and the database's migration revision is checked against the newest one
this version ships. What is wrong is raised as ``DatabaseNotReady``; each front end words
it for its own reader (the login screen, a command's stderr, a doctor check).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from cs_console.services.context import ServiceContext

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlalchemy import Engine

    from cs_console.domain.policy import Policy


class NotReadyReason(StrEnum):
    NOT_INITIALISED = "not_initialised"  # no revision: ``cs-console init`` was never run
    OUTDATED = "outdated"  # an older (or unknown) revision: ``cs-console init`` upgrades it
    UNREACHABLE = "unreachable"  # the revision could not be read; the cause is chained


class DatabaseNotReady(Exception):
    """The database cannot serve a console; ``reason`` says why, ``url`` which one."""

    def __init__(
        self, reason: NotReadyReason, url: str, *, revision: str | None = None, head: str = ""
    ) -> None:
        super().__init__(reason.value)
        self.reason, self.url, self.revision, self.head = reason, url, revision, head

    @property
    def shown_url(self) -> str:
        """The URL as a message may show it: any password replaced by ***."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def open_database(url: str) -> Engine:
    """An engine on ``url``, whose database is at the newest migration revision.

    Raises ``DatabaseNotReady`` (the engine disposed of) when it is not initialised, is at
    another revision, or its revision cannot be read (the error is the exception's cause).
    """
    from cs_console.storage.engine import make_engine
    from cs_console.storage.migrate import current_revision, head_revision

    engine = make_engine(url)
    try:
        revision = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise DatabaseNotReady(NotReadyReason.UNREACHABLE, url) from exc
    head = head_revision()
    if revision is None:
        engine.dispose()
        raise DatabaseNotReady(NotReadyReason.NOT_INITIALISED, url, head=head)
    if revision != head:
        engine.dispose()
        raise DatabaseNotReady(NotReadyReason.OUTDATED, url, revision=revision, head=head)
    return engine


def rules_in_force(
    policy: Policy | None = None, zone: ZoneInfo | None = None
) -> tuple[Policy, ZoneInfo]:
    """``policy`` or else the policy file read now (a broken one raises PolicyError naming
    file and key), and ``zone`` or else the settings' time zone."""
    if policy is None:
        from cs_console.config.policy_file import read_policy

        policy = read_policy()
    if zone is None:
        from cs_console.config.settings import load_settings

        zone = load_settings().zone
    return policy, zone


def open_console(
    url: str,
    *,
    policy: Policy | None = None,
    zone: ZoneInfo | None = None,
    require_head: bool = True,
) -> ServiceContext:
    """The service context on ``url`` with the real clock and settings.toml's tracking
    provider (parcels stored take their way from it); its engine is the caller's to
    dispose of.

    The rules come first (``rules_in_force``): a broken policy stops before anything
    connects. With ``require_head`` (all but ``cs-console init``) the database must be at
    the newest revision (``open_database``).
    """
    policy, zone = rules_in_force(policy, zone)
    if require_head:
        engine = open_database(url)
    else:
        from cs_console.storage.engine import make_engine

        engine = make_engine(url)
    from cs_console.services.tracking.ways import with_tracking

    return with_tracking(ServiceContext(engine, policy, zone))


def open_console_or_offline(
    url: str, *, policy: Policy | None = None, zone: ZoneInfo | None = None
) -> tuple[ServiceContext, bool]:
    """``open_console``, or, when a database server (PostgreSQL) cannot be reached, the
    console on an engine that will connect once it answers: ``(console, offline)``.

    Offline, the console signs in from what its outage journal kept
    (services/journal/sign_ins.py) and writes to the journal; the revision is not checked
    until the server answers. A SQLite file that cannot be opened is refused as before: the
    journal is for a server that went away, not for a file that is missing.
    """
    try:
        return open_console(url, policy=policy, zone=zone), False
    except DatabaseNotReady as exc:
        from sqlalchemy.engine import make_url

        from cs_console.storage.engine import make_engine, server_unreachable

        cause = exc.__cause__
        is_server = make_url(url).get_backend_name() != "sqlite"
        if exc.reason is not NotReadyReason.UNREACHABLE or cause is None or not is_server:
            raise
        if not server_unreachable(cause):
            raise
        policy, zone = rules_in_force(policy, zone)
        from cs_console.services.tracking.ways import with_tracking

        return with_tracking(ServiceContext(make_engine(url), policy, zone)), True
