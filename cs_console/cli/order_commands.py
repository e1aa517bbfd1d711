"""``cs-console order create|list|reply``: work orders to outlets from a script.

The call desk sends an order from a complaint; an outlet whose own system answers through
a script lists its orders and replies. Each command acts for ``--user``; the services
decide who may do what. An order is printed as JSON on stdout (times ISO-8601 with the
console's offset); messages go to stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, say, table
from cs_console.domain.work_orders import OrderKind, OrderResult, OrderState
from cs_console.i18n import t

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cs_console.services.work_orders import WorkOrderView

order_app = typer.Typer(no_args_is_help=True, add_completion=False)

UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("orders.help.user"))
]
TextOption = Annotated[str, typer.Option("--text", metavar="TEXT", help=t("orders.help.text"))]


def order_json(order: WorkOrderView, zone: ZoneInfo) -> dict[str, Any]:
    """An order as the scripts read it (the shape ``order list`` prints)."""

    def local(at: datetime | None) -> datetime | None:
        return at.astimezone(zone) if at is not None else None

    return {
        "id": order.id,
        "complaint_reference": order.complaint_reference,
        "kind": order.kind.value,
        "outlet": order.outlet,
        "status": order.state.value,
        "created_at": local(order.created_at),
        "due_at": local(order.due_at),
        "answered_at": local(order.answered_at),
        "result": order.result.value if order.result else None,
        "answer": order.answer,
    }


@order_app.command("create", help=t("orders.help.create"))
def create_command(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="REFERENCE", help=t("orders.help.reference"))],
    kind: Annotated[OrderKind, typer.Option("--kind", help=t("orders.help.kind"))],
    text: TextOption,
    outlet: Annotated[
        str | None, typer.Option("--outlet", metavar="NAME", help=t("orders.help.outlet"))
    ] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.work_orders import send_work_order

    with signed_in(ctx, db, user) as (console, actor):
        order = send_work_order(console, actor, reference, kind, text, outlet=outlet)
        zone = console.zone
    say("orders.sent", id=order.id, outlet=order.outlet, due=_when(order.due_at, zone))
    emit_json(order_json(order, zone))


@order_app.command("list", help=t("orders.help.list"))
def list_command(
    ctx: typer.Context,
    outlet: Annotated[
        str | None, typer.Option("--outlet", metavar="NAME", help=t("orders.help.outlet_filter"))
    ] = None,
    status: Annotated[
        OrderState | None, typer.Option("--status", help=t("orders.help.status"))
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.work_orders import list_work_orders

    with signed_in(ctx, db, user) as (console, actor):
        orders = list_work_orders(console, actor, outlet=outlet, state=status)
        zone, now = console.zone, console.now()
    if output is OutputFormat.JSON:
        emit_json([order_json(order, zone) for order in orders])
        return
    _show(orders, zone, now)


@order_app.command("reply", help=t("orders.help.reply"))
def reply_command(
    ctx: typer.Context,
    order_id: Annotated[int, typer.Argument(metavar="ID", help=t("orders.help.id"))],
    result: Annotated[OrderResult, typer.Option("--result", help=t("orders.help.result"))],
    text: TextOption = "",
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.work_orders import answer_work_order

    with signed_in(ctx, db, user) as (console, actor):
        order = answer_work_order(console, actor, order_id, result, text)
        zone = console.zone
    say("orders.answered", id=order.id, result=t(f"orders.result.{result.value}"))
    emit_json(order_json(order, zone))


def _when(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _show(orders: list[WorkOrderView], zone: ZoneInfo, now: datetime) -> None:
    from cs_console.domain.clocks import STATE_SYMBOLS, format_remaining
    from cs_console.domain.enums import ClockState
    from cs_console.domain.text import clean_line

    symbols = {
        OrderState.OPEN: STATE_SYMBOLS[ClockState.OK],
        OrderState.OVERDUE: STATE_SYMBOLS[ClockState.BREACHED],
        OrderState.ANSWERED: STATE_SYMBOLS[ClockState.DONE],
    }
    columns = ("id", "reference", "kind", "outlet", "status", "due", "left", "result")
    table(
        t("orders.title", count=len(orders)),
        [t(f"orders.column.{c}") for c in columns],
        [
            [
                str(o.id),
                o.complaint_reference,
                t(f"orders.kind.{o.kind.value}"),
                clean_line(o.outlet),
                f"{symbols[o.state]} {t('orders.status.' + o.state.value)}",
                _when(o.due_at, zone),
                "" if o.answered_at else format_remaining(o.due_at - now),
                t(f"orders.result.{o.result.value}") if o.result else "",
            ]
            for o in orders
        ],
    )
