"""What a command starts from: its --db option and the root options, the console on its
database (``services.opening``), and the person it acts for.

Nothing here imports sqlalchemy, sqlmodel or textual at module level: ``cs-console --help``
must stay fast, so the services are imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.database_urls import parse_db_url, require_database_file, resolve_db_url
from cs_console.cli.refusals import fail
from cs_console.cli.root_options import RootOptions
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.services.context import Actor, ServiceContext

# The --db option every command that opens the database takes.
DbOption = Annotated[str | None, typer.Option("--db", metavar="URL", help=t("cli.help.db"))]


def state(ctx: typer.Context) -> RootOptions:
    """The root options of this invocation."""
    obj = ctx.find_object(RootOptions)
    return obj if obj is not None else RootOptions()


def command_console(url: str, *, initialised: bool = True) -> ServiceContext:
    """The service context a command works on (``services.opening.open_console``).

    A URL that cannot be parsed is refused first. With ``initialised`` (all but ``init``)
    a SQLite file must exist (none is created) and the database be at the newest
    revision; else ``DatabaseNotReady`` tells the person to run ``cs-console init``.
    """
    from cs_console.services.opening import open_console

    parse_db_url(url)
    if initialised:
        require_database_file(url)
    return open_console(url, require_head=initialised)


def log_in(console: ServiceContext, username: str | None) -> Actor:
    """The person a command acts for (--user), signed in (remembered login, else password),
    with the data key they unlocked; refuses without one."""
    if not username:
        fail("cli.user_required")
    from cs_console.cli.passwords import acting_login

    login = acting_login(console, username)
    if login.must_change_password:
        fail("cli.password_change_due", user=username)
    from cs_console.services.audit_anchors import daily_anchor

    daily_anchor(console)  # this machine's copy of the audit trail's head, once a day
    return login.actor


@contextmanager
def signed_in(
    ctx: typer.Context, db: str | None, user: str | None
) -> Iterator[tuple[ServiceContext, Actor]]:
    """The console and the signed-in person (``--user``) for one command; the engine is
    closed when the command ends."""
    options = state(ctx)
    console = command_console(resolve_db_url(db or options.db))
    try:
        yield console, log_in(console, user or options.user)
    finally:
        console.engine.dispose()
