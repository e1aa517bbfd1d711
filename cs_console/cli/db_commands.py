"""``cs-console init`` (create or upgrade, first administrator) and ``cs-console doctor``."""

from __future__ import annotations

from typing import Annotated

import typer

from cs_console.cli.command_context import DbOption, command_console, state
from cs_console.cli.database_urls import hide_password, resolve_db_url
from cs_console.cli.doctor import run_checks
from cs_console.cli.key_commands import show_recovery_key, warn_if_not_sealed
from cs_console.cli.output import emit_json, say
from cs_console.cli.passwords import new_password
from cs_console.cli.refusals import describe_failure
from cs_console.i18n import t


def init_command(
    ctx: typer.Context,
    db: DbOption = None,
    admin: Annotated[
        str | None, typer.Option("--admin", metavar="NAME", help=t("cli.help.admin"))
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=t("cli.help.password_stdin"))
    ] = False,
    agent_no: Annotated[
        str, typer.Option("--agent-no", metavar="N", help=t("cli.help.agent_no"))
    ] = "0001",
    display_name: Annotated[
        str | None,
        typer.Option("--display-name", metavar="TEXT", help=t("cli.help.display_name")),
    ] = None,
) -> None:
    if password_stdin and not admin:
        raise typer.BadParameter(t("cli.init.password_without_admin"), param_hint="--admin")
    url = resolve_db_url(db or state(ctx).db)
    password = new_password(password_stdin) if admin else None  # read before any change

    from cs_console.storage.migrate import upgrade_to_head

    console = command_console(url, initialised=False)
    try:
        before, after = upgrade_to_head(console.engine)
        if before is None:
            action = "created"
            say("cli.init.created", revision=after, url=hide_password(url))
        elif before != after:
            action = "upgraded"
            say("cli.init.upgraded", before=before, after=after)
        else:
            action = "up_to_date"
            say("cli.init.up_to_date", revision=after)
        account = None
        if admin and password is not None:
            from cs_console.services.account_admin import create_first_admin

            row, recovery = create_first_admin(
                console,
                username=admin,
                display_name=display_name or admin,
                agent_no=agent_no,
                password=password,
            )
            say("cli.init.admin_created", user=row.username, agent_no=row.agent_no)
            show_recovery_key(recovery)
            account = {"username": row.username, "agent_no": row.agent_no, "role": row.role}
        elif before is not None:
            warn_if_not_sealed(console)
    finally:
        console.engine.dispose()
    emit_json(
        {
            "database": hide_password(url),
            "action": action,
            "revision_before": before,
            "revision": after,
            "admin": account,
        }
    )


def doctor_command(ctx: typer.Context, db: DbOption = None) -> None:
    """Check settings, policy, scripts, database and keyring; exit 1 if any check fails."""
    url: str | None = None
    url_problem: str | None = None
    try:
        url = resolve_db_url(db or state(ctx).db)
    except Exception as exc:  # a bad URL is one failed check among the others
        url_problem = describe_failure(exc) or str(exc)
    checks = run_checks(url, url_problem)
    for check in checks:
        mark = t(f"cli.doctor.status.{check['status']}")
        name = t(f"cli.doctor.check.{check['name']}")
        typer.echo(f"[{mark}] {name}: {check['detail']}", err=True)
    failed = any(check["status"] == "error" for check in checks)
    emit_json({"ok": not failed, "database": hide_password(url) if url else None, "checks": checks})
    if failed:
        raise typer.Exit(1)
