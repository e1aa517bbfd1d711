"""``cs-console track`` (where a parcel is, as the console shows it) and ``cs-console tracking
set-key`` (the provider's key into the OS keyring).

``track`` prints ``{"tracking_no", "carrier", "state", "state_code", "events": [{"at",
"text", "place"}], "hubs", "outlet", "route", "source", "fetched_at"}`` with times in
ISO-8601 with their offset, through the same lookup and shared cache as the console. An
unknown number, or a provider that cannot answer, exits 1 with one line on stderr.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, say, table
from cs_console.cli.refusals import fail
from cs_console.cli.terminals import stdin_is_terminal
from cs_console.i18n import current_language, t

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from cs_console.domain.tracking import Tracking

tracking_app = typer.Typer(no_args_is_help=True)


def track_command(
    ctx: typer.Context,
    tracking_no: Annotated[
        str, typer.Argument(metavar="TRACKING_NO", help=t("tracking.help.number"))
    ],
    phone_last4: Annotated[
        str | None,
        typer.Option("--phone-last4", metavar="NNNN", help=t("tracking.help.phone_last4")),
    ] = None,
    output: FormatOption = OutputFormat.JSON,
    user: Annotated[
        str | None, typer.Option("--user", metavar="NAME", help=t("tracking.help.user"))
    ] = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.tracking.codec import tracking_json
    from cs_console.services.tracking.provider import TrackingUnavailable, UnknownNumber
    from cs_console.services.tracking.setup import open_tracking

    with signed_in(ctx, db, user) as (console, _actor):
        lookup = open_tracking(console)
        try:
            tracking = lookup.track(tracking_no, phone_last4)
        except UnknownNumber as unknown:
            fail("tracking.unknown.number", number=tracking_no.strip(), message=unknown.message)
        except TrackingUnavailable as failed:
            fail(f"tracking.unavailable.{failed.reason}", detail=failed.detail)
    if tracking.carrier != "own":
        say("tracking.not_ours", number=tracking.tracking_no, carrier=_carrier_name(tracking))
    if output is OutputFormat.JSON:
        emit_json(tracking_json(tracking, console.zone))
    else:
        _show(tracking, console.zone)


def _carrier_name(tracking: Tracking) -> str:
    from cs_console.config.tracking_settings import load_carriers

    found = next((c for c in load_carriers() if c.code == tracking.carrier), None)
    return found.name(current_language()) if found else tracking.carrier


def _show(tracking: Tracking, zone: ZoneInfo) -> None:
    """The events as a table (newest first), then hubs, outlet and route in one line."""
    state = t(f"tracking.state.{tracking.state.value}")
    table(
        t("tracking.table.title", number=tracking.tracking_no, state=state),
        [t(f"tracking.column.{c}") for c in ("at", "text", "place")],
        [
            [event.at.astimezone(zone).strftime("%m-%d %H:%M"), event.text, event.place]
            for event in tracking.events
        ],
    )
    summary = t(
        "tracking.table.summary",
        hubs=" → ".join(tracking.hubs) or "-",
        outlet=tracking.outlet or "-",
        route=tracking.route or "-",
        source=tracking.source,
        fetched_at=tracking.fetched_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
    )
    typer.echo(summary)


@tracking_app.command("set-key", help=t("tracking.help.set_key"))
def set_key_command(
    key_stdin: Annotated[
        bool, typer.Option("--key-stdin", help=t("tracking.help.key_stdin"))
    ] = False,
) -> None:
    from cs_console.config.db_password import DbPasswordError
    from cs_console.config.settings import load_settings
    from cs_console.config.tracking_key import key_entry, store_tracking_key

    settings = load_settings().tracking
    if settings.provider != "kuaidi100":
        fail("tracking.key.not_kuaidi100", provider=settings.provider)
    if not settings.customer:
        fail("tracking.key.no_customer")
    key = _read_key(key_stdin)
    try:
        backend = store_tracking_key(key_entry("kuaidi100", settings.customer), key)
    except DbPasswordError as refused:
        fail(f"tracking.key.{refused.code}", **refused.details)
    say("tracking.key.stored", provider="kuaidi100", customer=settings.customer, backend=backend)
    emit_json({"provider": "kuaidi100", "customer": settings.customer, "stored": True})


def _read_key(from_stdin: bool) -> str:
    """The key: the first line of stdin (--key-stdin), or typed, hidden, on a terminal."""
    if from_stdin:
        key = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    elif stdin_is_terminal():
        import getpass

        key = getpass.getpass(t("tracking.key.prompt")).strip()
    else:
        fail("tracking.key.stdin_required")
    if not key:
        fail("tracking.key.stdin_empty")
    return key


def add_tracking_commands(app: typer.Typer) -> None:
    """``track`` and the ``tracking`` group, on the root application."""
    app.command("track", help=t("tracking.help.command"))(track_command)
    app.add_typer(tracking_app, name="tracking", help=t("tracking.help.group"))
