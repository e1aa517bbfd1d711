"""``cs-console user add|list|passwd|lock|unlock``: accounts, acting for an administrator.

Each command logs in as ``--user ADMIN`` (keyring, CS_CONSOLE_PASSWORD, or a prompt on a
terminal); the services refuse anyone who is not an administrator.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, say, table
from cs_console.cli.passwords import new_password
from cs_console.domain.enums import Role
from cs_console.domain.text import clean_line
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.storage.users import UserRow

user_app = typer.Typer(no_args_is_help=True, add_completion=False)

AdminOption = Annotated[
    str | None, typer.Option("--user", metavar="ADMIN", help=t("cli.help.admin_user"))
]
NameArgument = Annotated[str, typer.Argument(metavar="NAME", help=t("cli.help.username"))]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help=t("cli.help.password_stdin"))]


def account_json(row: UserRow, now: datetime) -> dict[str, Any]:
    """An account as JSON: never the password hash; names cleaned like any shown text."""
    return {
        "username": clean_line(row.username),
        "display_name": clean_line(row.display_name),
        "agent_no": row.agent_no,
        "role": row.role,
        "team": clean_line(row.team),
        "outlet": clean_line(row.outlet),
        "active": row.active,
        "locked": row.locked_until is not None and row.locked_until > now,
        "locked_until": row.locked_until,
        "password_changed_at": row.password_changed_at,
    }


@user_app.command("add", help=t("cli.help.user_add"))
def add_command(
    ctx: typer.Context,
    name: NameArgument,
    role: Annotated[Role, typer.Option("--role", help=t("cli.help.role"))],
    display_name: Annotated[
        str, typer.Option("--display-name", metavar="TEXT", help=t("cli.help.display_name"))
    ],
    agent_no: Annotated[str, typer.Option("--agent-no", metavar="N", help=t("cli.help.agent_no"))],
    team: Annotated[str, typer.Option("--team", metavar="T", help=t("cli.help.team"))] = "",
    outlet: Annotated[str, typer.Option("--outlet", metavar="O", help=t("cli.help.outlet"))] = "",
    password_stdin: PasswordStdin = False,
    user: AdminOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.account_admin import add_account

    with signed_in(ctx, db, user) as (console, admin):
        password = new_password(password_stdin)
        row = add_account(
            console,
            admin,
            username=name,
            display_name=display_name,
            agent_no=agent_no,
            role=role,
            password=password,
            team=team,
            outlet=outlet,
        )
        say("cli.user.added", user=row.username, role=t(f"cli.role.{row.role}"))
        emit_json(account_json(row, console.now()))


@user_app.command("list", help=t("cli.help.user_list"))
def list_command(
    ctx: typer.Context,
    output: FormatOption = OutputFormat.TABLE,
    user: AdminOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.account_admin import all_accounts

    with signed_in(ctx, db, user) as (console, admin):
        now = console.now()
        accounts = [account_json(row, now) for row in all_accounts(console, admin)]
    if output is OutputFormat.JSON:
        emit_json(accounts)
        return
    columns = ["username", "display_name", "agent_no", "role", "team", "outlet", "locked"]
    rows = [
        [
            a["username"],
            a["display_name"],
            a["agent_no"],
            t(f"cli.role.{a['role']}"),
            a["team"],
            a["outlet"],
            t("cli.user.yes") if a["locked"] else "",
        ]
        for a in accounts
    ]
    table(t("cli.user.list_title"), [t(f"cli.user.column.{c}") for c in columns], rows)


@user_app.command("passwd", help=t("cli.help.user_passwd"))
def passwd_command(
    ctx: typer.Context,
    name: NameArgument,
    password_stdin: PasswordStdin = False,
    user: AdminOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.account_admin import reset_password

    with signed_in(ctx, db, user) as (console, admin):
        reset_password(console, admin, name, new_password(password_stdin))
    say("cli.user.password_set", user=name)
    emit_json({"username": name, "must_change_password": True})


def set_lock(ctx: typer.Context, name: str, user: str | None, db: str | None, locked: bool) -> None:
    """Lock or unlock ``name``'s account, say so and print it as JSON."""
    from cs_console.services.account_admin import lock_account, unlock_account

    with signed_in(ctx, db, user) as (console, admin):
        row = (lock_account if locked else unlock_account)(console, admin, name)
        say("cli.user.locked" if locked else "cli.user.unlocked", user=name)
        emit_json(account_json(row, console.now()))


@user_app.command("lock", help=t("cli.help.user_lock"))
def lock_command(
    ctx: typer.Context, name: NameArgument, user: AdminOption = None, db: DbOption = None
) -> None:
    set_lock(ctx, name, user, db, locked=True)


@user_app.command("unlock", help=t("cli.help.user_unlock"))
def unlock_command(
    ctx: typer.Context, name: NameArgument, user: AdminOption = None, db: DbOption = None
) -> None:
    set_lock(ctx, name, user, db, locked=False)
