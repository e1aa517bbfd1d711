"""``cs-console db set-password``: keep the PostgreSQL password in the OS keyring.

The URL then carries no password (``postgresql+psycopg://agent@db.example/cs``); the engine
completes it from the keyring. The password is read from stdin (--password-stdin) or typed
twice on a terminal, and is never printed: messages and JSON show the URL masked.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cs_console.cli.command_context import DbOption, state
from cs_console.cli.database_urls import hide_password, parse_db_url, resolve_db_url
from cs_console.cli.output import emit_json, say
from cs_console.cli.passwords import new_password
from cs_console.cli.refusals import fail
from cs_console.i18n import t

db_app = typer.Typer(no_args_is_help=True)


@db_app.command("set-password", help=t("dbpass.help.set_password"))
def set_password_command(
    ctx: typer.Context,
    db: DbOption = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=t("dbpass.help.password_stdin"))
    ] = False,
) -> None:
    from sqlalchemy.engine import make_url

    from cs_console.config.db_password import DbPasswordError, keyring_entry, store_db_password

    url = resolve_db_url(db or state(ctx).db)
    parse_db_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        fail("dbpass.not_postgresql", url=hide_password(url))
    if parsed.password is not None:
        fail("dbpass.url_has_password", url=hide_password(url))
    password = new_password(password_stdin)
    entry = keyring_entry(parsed.username, parsed.host, parsed.port, parsed.database or "")
    try:
        backend = store_db_password(entry, password)
    except DbPasswordError as refused:
        fail(f"dbpass.{refused.code}", **refused.details)
    say("dbpass.stored", entry=entry, backend=backend)
    emit_json({"database": hide_password(url), "keyring_entry": entry, "stored": True})
