"""``cs-console demo``: a realistic demo database, printing the logins to try it with."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.command_context import command_console, log_in, state
from cs_console.cli.database_urls import hide_password, parse_db_url, resolve_db_url
from cs_console.cli.output import emit_json, say, table
from cs_console.cli.progress import stderr_progress
from cs_console.cli.terminals import stderr_is_terminal
from cs_console.i18n import t

if TYPE_CHECKING:
    from rich.progress import TaskID

    from cs_console.storage.sealing import DataKey


@contextmanager
def progress_bar() -> Iterator[object]:
    """A Rich progress bar on stderr when it is a terminal; no output otherwise."""
    if not stderr_is_terminal():
        yield None
        return
    tasks: dict[str, TaskID] = {}
    with stderr_progress() as bar:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(t(f"cli.demo.stage.{stage}"), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _acting_data_key(url: str, user: str | None) -> DataKey | None:
    """With ``--user``, the data key that person unlocks (a database whose customers are
    already sealed needs it); without, None: a new database gets a new key."""
    if not user:
        return None
    console = command_console(url)
    try:
        return log_in(console, user).data_key
    finally:
        console.engine.dispose()


def demo_command(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help=t("cli.help.db"))] = None,
    complaints: Annotated[
        int, typer.Option("--complaints", metavar="N", min=1, help=t("cli.help.complaints"))
    ] = 200,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="S", help=t("cli.help.seed"))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=t("cli.help.force"))] = False,
) -> None:
    url = resolve_db_url(db or state(ctx).db)
    parse_db_url(url)
    from cs_console.config.policy_file import read_policy
    from cs_console.config.settings import load_settings
    from cs_console.demo.build import build_demo

    policy, zone = read_policy(), load_settings().zone
    data_key = _acting_data_key(url, state(ctx).user)
    started = time.perf_counter()
    try:
        with progress_bar() as update:
            result = build_demo(
                url,
                policy,
                zone,
                complaints=complaints,
                seed=seed,
                force=force,
                progress=update,  # type: ignore[arg-type]
                data_key=data_key,
            )
    except KeyboardInterrupt:
        say("cli.demo.interrupted")
        raise typer.Exit(1) from None
    seconds = round(time.perf_counter() - started, 1)
    unchanged = t("cli.demo.password_unchanged")
    table(
        t("cli.demo.logins_title"),
        [
            t(f"cli.user.column.{c}")
            for c in ("username", "role", "agent_no", "display_name", "outlet", "password")
        ],
        [
            [
                login.username,
                t(f"cli.role.{login.role}"),
                login.agent_no,
                login.display_name,
                login.outlet,
                login.password or unchanged,
            ]
            for login in result.logins
        ],
        err=True,
    )
    say("cli.demo.done", complaints=complaints, open=result.open_complaints, seconds=seconds)
    emit_json(
        {
            "database": hide_password(url),
            "new_file": result.new_file,
            "seed": result.seed,
            "complaints": complaints,
            "open_complaints": result.open_complaints,
            "seconds": seconds,
            "counts": result.counts,
            "logins": [
                {
                    "username": login.username,
                    "display_name": login.display_name,
                    "role": login.role,
                    "agent_no": login.agent_no,
                    "team": login.team,
                    "outlet": login.outlet,
                    "password": login.password,
                }
                for login in result.logins
            ],
        }
    )
