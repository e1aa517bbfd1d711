"""``cs-console key seal|recover|rotate``: the customers' data key (README, "Keys").

``seal`` encrypts a database from before encryption (migration 0003) for the administrator
given with --user; ``recover`` gives an administrator a new password with the recovery key
read from stdin; ``rotate`` replaces the data key (services.key_rotation), run again to
continue or finish. The recovery key is shown once, on stderr: it is a secret for a person to
print and lock away, not output for a script.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.command_context import DbOption, command_console, signed_in, state
from cs_console.cli.database_urls import resolve_db_url
from cs_console.cli.output import emit_json, say, table
from cs_console.cli.passwords import acting_password, new_password
from cs_console.cli.progress import progress_bar
from cs_console.cli.refusals import fail
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.services.context import ServiceContext

key_app = typer.Typer(no_args_is_help=True)


def show_recovery_key(recovery_key: str) -> None:
    """The recovery key, once, in a box on stderr."""
    table(t("cli.key.recovery_title"), [""], [[recovery_key]], err=True)


def warn_if_not_sealed(console: ServiceContext) -> None:
    """Say so when accounts exist but customers are not encrypted yet (an upgraded database)."""
    from cs_console.storage.data_keys import data_key_info
    from cs_console.storage.engine import read_session
    from cs_console.storage.users import count_users

    with read_session(console.engine) as session:
        if count_users(session=session) and data_key_info(session=session) is None:
            say("cli.key.not_sealed_warning")


@key_app.command("seal", help=t("cli.help.key_seal"))
def seal_command(
    ctx: typer.Context,
    db: DbOption = None,
    user: Annotated[
        str | None, typer.Option("--user", metavar="ADMIN", help=t("cli.help.admin_user"))
    ] = None,
) -> None:
    from cs_console.services.data_keys import seal_database

    user = user or state(ctx).user
    if not user:
        fail("cli.user_required")
    console = command_console(resolve_db_url(db or state(ctx).db))
    try:
        report = seal_database(console, user, acting_password(user))
    finally:
        console.engine.dispose()
    say("cli.key.sealed", customers=report.customers, user=user)
    show_recovery_key(report.recovery_key)
    emit_json({"sealed_customers": report.customers, "key_holder": user})


@key_app.command("recover", help=t("cli.help.key_recover"))
def recover_command(
    ctx: typer.Context,
    admin: Annotated[str, typer.Argument(metavar="ADMIN", help=t("cli.help.recover_admin"))],
    db: DbOption = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=t("cli.help.password_stdin"))
    ] = False,
) -> None:
    from cs_console.services.data_keys import recover_with_key

    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        recovery = getpass.getpass(t("cli.key.recovery_prompt"))
    else:
        recovery = sys.stdin.readline().strip() if sys.stdin is not None else ""
    password = new_password(password_stdin)
    console = command_console(resolve_db_url(db or state(ctx).db))
    try:
        recover_with_key(console, recovery, admin, password)
    finally:
        console.engine.dispose()
    say("cli.key.recovered", user=admin)
    emit_json({"username": admin, "must_change_password": True})


@key_app.command("rotate", help=t("cli.help.key_rotate"))
def rotate_command(
    ctx: typer.Context,
    db: DbOption = None,
    user: Annotated[
        str | None, typer.Option("--user", metavar="ADMIN", help=t("cli.help.admin_user"))
    ] = None,
    finish: Annotated[bool, typer.Option("--finish", help=t("cli.help.key_finish"))] = False,
) -> None:
    from cs_console.services.key_rotation import rotate_data_key

    done = [0]
    try:
        with (
            signed_in(ctx, db, user) as (console, admin),
            progress_bar(t("cli.key.rotation_title")) as bar,
        ):

            def advance(rows: int) -> None:
                done[0] += rows
                if bar is not None:
                    bar(done[0], 0)

            report = rotate_data_key(console, admin, finish=finish, progress=advance)
    except KeyboardInterrupt:
        say("cli.key.rotation_interrupted", rows=done[0])
        raise typer.Exit(1) from None
    if report.recovery_key:
        say("cli.key.rotation_started")
        show_recovery_key(report.recovery_key)
    say("cli.key.rotation_resealed", rows=report.resealed)
    if report.finished:
        say("cli.key.rotation_finished", sessions=report.sessions_ended)
    else:
        say("cli.key.rotation_waiting", users=", ".join(report.pending))
    if report.accounts_reset:
        say("cli.key.rotation_reset", users=", ".join(report.accounts_reset))
    emit_json(
        {
            "started": bool(report.recovery_key),
            "resealed": report.resealed,
            "finished": report.finished,
            "pending": list(report.pending),
            "accounts_reset": list(report.accounts_reset),
            "sessions_ended": report.sessions_ended,
        }
    )
