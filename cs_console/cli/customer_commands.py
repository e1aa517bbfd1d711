"""``cs-console customer export|erase PHONE``: a person's rights under PIPL.

``export`` (a supervisor or an administrator, ``--user``) writes everything stored about
the customer on PHONE to ``--output FILE`` as JSON, through the same owner-only,
whole-or-nothing writer as every export (cli/private_files.py); the audit trail records
who, why and which file. ``erase`` (an administrator) replaces their personal data with an
anonymous marker everywhere; it cannot be undone, so it asks for confirmation on a
terminal, and without a terminal it refuses unless ``--yes`` is given.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import emit_json, say, table
from cs_console.cli.private_files import write_private
from cs_console.cli.refusals import REFUSED_EXIT, fail
from cs_console.cli.terminals import stdin_is_terminal
from cs_console.domain.text import clean_line
from cs_console.i18n import t

customer_app = typer.Typer(no_args_is_help=True, add_completion=False)

PhoneArgument = Annotated[str, typer.Argument(metavar="PHONE", help=t("people.help.phone"))]
ReasonOption = Annotated[
    str, typer.Option("--reason", metavar="TEXT", help=t("people.help.reason"))
]
UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("people.help.user"))
]


@customer_app.command("export", help=t("people.help.export"))
def export_customer_command(
    ctx: typer.Context,
    phone: PhoneArgument,
    reason: ReasonOption,
    output: Annotated[
        Path,
        typer.Option("--output", metavar="FILE", dir_okay=False, help=t("people.help.output")),
    ],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.data_subjects import export_person

    def write(binary: BinaryIO) -> None:
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        binary.write(text.encode("utf-8"))

    try:
        with signed_in(ctx, db, user) as (console, actor):
            document = export_person(console, actor, phone, reason, str(output))
            write_private(output, write)
    except KeyboardInterrupt:
        say("people.export_interrupted")
        raise typer.Exit(REFUSED_EXIT) from None
    counts = {name: len(document[name]) for name in ("complaints", "contacts", "callbacks")}
    say("people.export_done", path=output, drafts=len(document["drafts"]), **counts)
    emit_json({"output": str(output), **counts, "drafts": len(document["drafts"])})


def _confirmed(phone: str, yes: bool) -> None:
    """Go on only with --yes, or once the person at the terminal said yes."""
    if yes:
        return
    if not stdin_is_terminal():
        fail("people.erase_needs_yes")
    if not typer.confirm(t("people.erase_confirm", phone=clean_line(phone)), err=True):
        say("people.erase_cancelled")
        raise typer.Exit(REFUSED_EXIT)


@customer_app.command("erase", help=t("people.help.erase"))
def erase_customer_command(
    ctx: typer.Context,
    phone: PhoneArgument,
    reason: ReasonOption,
    yes: Annotated[bool, typer.Option("--yes", help=t("people.help.yes"))] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.data_subjects import ERASED_TABLES, erase_person

    _confirmed(phone, yes)
    with signed_in(ctx, db, user) as (console, admin):
        erased = erase_person(console, admin, phone, reason)
    if erased.total == 0:
        say("people.erase_nothing")
    else:
        table(
            t("people.title"),
            [t("people.column.table"), t("people.column.count")],
            [[t(f"people.table.{name}"), str(erased.counts[name])] for name in ERASED_TABLES],
            err=True,
        )
        say("people.erase_done", count=erased.total)
    say("people.erase_other_journals")
    emit_json(erased.as_json())
