"""``cs-console``: the typer application, its root options, and opening the console.

Only typer and the config package are imported here; each command imports the storage
layer (SQLAlchemy) inside itself, and the console imports textual only when it opens, so
``cs-console --help`` stays fast (PITFALLS.md, "Start-up time").
"""

from __future__ import annotations

from typing import Annotated

import typer

from cs_console import __version__
from cs_console.cli.common import (
    CliState,
    Lang,
    require_database_file,
    resolve_db_url,
)
from cs_console.cli.db_commands import doctor_command, init_command
from cs_console.cli.demo_command import demo_command
from cs_console.cli.errors import ConsoleGroup
from cs_console.cli.passwords import acting_password
from cs_console.cli.user_commands import user_app
from cs_console.config.language import resolve_language, set_language, t

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


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"cs-console {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help=t("cli.help.db"))] = None,
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
    from cs_console.config.settings import SettingsError, load_settings

    doctor = ctx.invoked_subcommand == "doctor"
    load_settings.cache_clear()  # read settings.toml afresh for each invocation
    try:
        configured = load_settings().language
    except SettingsError:
        if not doctor:  # the doctor reports it among its checks
            raise
        configured = None
    chosen = resolve_language(lang.value if lang else None, configured)
    set_language(chosen)
    ctx.obj = CliState(db=db, user=user, lang=chosen)
    if not doctor:
        from cs_console.config.policy_file import read_policy

        read_policy()  # a broken policy stops every command with the file and key named
    if ctx.invoked_subcommand is None:
        open_console_app(ctx.obj)


def open_console_app(options: CliState) -> None:
    """Resolve database and password, then run the Textual console (imported only now)."""
    url = resolve_db_url(options.db)
    require_database_file(url)
    password = acting_password(options.user) if options.user else None
    from cs_console.ui.factory import make_app

    make_app(db_url=url, lang=options.lang, username=options.user, password=password).run()


def run() -> None:
    """The ``cs-console`` entry point."""
    app()
