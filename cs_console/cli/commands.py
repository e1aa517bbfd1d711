"""``cs-console``: the typer application, its root options, and its command tree.

Started by ``cli.entry`` for every command line that does more than open the console.
Only typer and the config package are imported here; each command imports the storage
layer (SQLAlchemy) inside itself, and the console imports textual only when it opens, so
``cs-console --help`` stays fast (docs/pitfalls.md, "Start-up time").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cs_console import __version__
from cs_console.cli.audit_command import audit_app
from cs_console.cli.claim_commands import claims_app
from cs_console.cli.command_context import DbOption
from cs_console.cli.customer_commands import customer_app
from cs_console.cli.db_commands import doctor_command, init_command
from cs_console.cli.db_password_command import db_app
from cs_console.cli.demo_command import demo_command
from cs_console.cli.export_command import export_app
from cs_console.cli.import_command import import_command
from cs_console.cli.incidents_command import incidents_command
from cs_console.cli.key_commands import key_app
from cs_console.cli.launch import open_console_app
from cs_console.cli.order_commands import order_app
from cs_console.cli.purge_command import purge_command
from cs_console.cli.refusals import REFUSED_EXIT, describe_failure
from cs_console.cli.report_commands import attribute_command, report_command, sla_command
from cs_console.cli.ring_command import ring_command
from cs_console.cli.root_options import apply_root_options
from cs_console.cli.track_command import add_tracking_commands
from cs_console.cli.user_commands import user_app
from cs_console.i18n import t


class Lang(StrEnum):
    """The interface languages (--lang)."""

    ZH_CN = "zh-CN"
    EN = "en"


class ConsoleGroup(TyperGroup):
    """The command group that turns expected failures into a message and exit code 1.

    Everything a person can cause (a bad --db URL, an unreachable server, a broken policy
    file, a refused service call) ends in one clear line on stderr, never a traceback.
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = describe_failure(exc)
            if message is None:
                raise
            typer.echo(message, err=True)
            raise typer.Exit(REFUSED_EXIT) from None


app = typer.Typer(
    cls=ConsoleGroup,
    name="cs-console",
    help=t("cli.help.app"),
    invoke_without_command=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("init", help=t("cli.help.init"))(init_command)
app.command("demo", help=t("cli.help.demo"))(demo_command)
app.add_typer(user_app, name="user", help=t("cli.help.user"))
app.command("doctor", help=t("cli.help.doctor"))(doctor_command)
app.add_typer(audit_app, name="audit", help=t("audit.help.group"))
app.command("purge", help=t("purge.help.command"))(purge_command)
app.add_typer(key_app, name="key", help=t("cli.help.key"))
app.command("ring", help=t("ring.help.command"))(ring_command)
app.add_typer(db_app, name="db", help=t("dbpass.help.group"))
app.command("import", help=t("import.help.command"))(import_command)
app.command("incidents", help=t("incidents_cli.help.command"))(incidents_command)
app.add_typer(export_app, name="export", help=t("export.help.group"))
app.add_typer(customer_app, name="customer", help=t("people.help.group"))
app.command("report", help=t("report.help.command"))(report_command)
app.command("sla", help=t("sla.help.command"))(sla_command)
app.command("attribute", help=t("attribute.help.command"))(attribute_command)
add_tracking_commands(app)
app.add_typer(order_app, name="order", help=t("orders.help.group"))
app.add_typer(claims_app, name="claims", help=t("claim.help.group"))


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"cs-console {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: DbOption = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help=t("cli.help.lang"))] = None,
    user: Annotated[
        str | None, typer.Option("--user", metavar="NAME", help=t("cli.help.user_option"))
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help=t("cli.help.version")
        ),
    ] = False,
) -> None:
    """Choose the language, check the policy, and open the console when no command is given."""
    command = ctx.invoked_subcommand
    language = lang.value if lang else None
    ctx.obj = apply_root_options(
        db, language, user, doctor=command == "doctor", console=command is None
    )
    if command is None:
        open_console_app(ctx.obj)
