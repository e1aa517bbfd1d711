"""``cs-console claims``: claims (理赔) from a script: list them, open one from a complaint,
record evidence, propose a sum, approve or refuse it, record the payout.

``cs-console claims`` alone lists the claims the person sees (JSON or a table); the
subcommands act on one claim and print it as JSON. Each acts for ``--user``; the services
decide who may do what (approval limits included). Messages go to stderr.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_console.cli.command_context import DbOption, signed_in
from cs_console.cli.output import FormatOption, OutputFormat, emit_json, say, table
from cs_console.cli.refusals import fail
from cs_console.domain.claims import ClaimKind, EvidenceItem, EvidenceStatus, PayoutMethod
from cs_console.i18n import money, t

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cs_console.domain.policy import ClockPolicy
    from cs_console.services.claims import ClaimView

claims_app = typer.Typer(add_completion=False, invoke_without_command=True)
# The list shows the most urgent claims first, this many unless told (0: all of them).
SHOWN = 200

UserOption = Annotated[
    str | None, typer.Option("--user", metavar="NAME", help=t("claim.help.user"))
]
IdArgument = Annotated[int, typer.Argument(metavar="ID", help=t("claim.help.id"))]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT", help=t("claim.help.reason"))]


def _fen(text: str | None) -> int | None:
    """Yuan as typed (800, 800.50) in fen; a clear refusal for anything else."""
    if text is None:
        return None
    from cs_console.config.policy_file import read_policy
    from cs_console.domain.validation import parse_money_fen

    fen, _ = parse_money_fen(text, read_policy().limits)
    if fen is None:
        fail("claim.help.bad_amount", value=text)
    return fen


def claim_json(claim: ClaimView, zone: ZoneInfo) -> dict[str, Any]:
    """A claim as scripts read it (the shape ``claims`` lists)."""

    def local(at: datetime | None) -> datetime | None:
        return at.astimezone(zone) if at is not None else None

    return {
        "id": claim.id,
        "complaint_reference": claim.complaint_reference or None,
        "tracking_no": claim.tracking_no,
        "claimant": claim.claimant,
        "kind": claim.kind.value,
        "status": claim.status.value,
        "claimed_fen": claim.claimed_fen,
        "payable_fen": claim.payable.amount_fen,
        "payable_rule": claim.payable.rule.value,
        "proposed_fen": claim.proposed_fen,
        "proposal_reason": claim.proposal_reason,
        "proposed_by": claim.proposer or None,
        "waiting_for": claim.waiting_for.value if claim.waiting_for else None,
        "approver": claim.approver or None,
        "evidence_required": [item.value for item in claim.required],
        "evidence": {
            item.value: {"status": status.value, "note": note}
            for item, (status, note) in claim.evidence.items()
        },
        "evidence_missing": [item.value for item in claim.missing],
        "owner": claim.owner,
        "opened_at": local(claim.opened_at),
        "decision_due": local(claim.decision_due),
        "decided_at": local(claim.decided_at),
        "payout_due": local(claim.payout_due),
        "paid_fen": claim.paid_fen,
        "payout_method": claim.payout_method or None,
        "payout_reference": claim.payout_reference or None,
        "payout_date": claim.payout_date.isoformat() if claim.payout_date else None,
        "paid_at": local(claim.paid_at),
    }


@claims_app.callback()
def claims_command(
    ctx: typer.Context,
    output: FormatOption = OutputFormat.TABLE,
    pending: Annotated[bool, typer.Option("--pending", help=t("claim.help.pending"))] = False,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=0, help=t("claim.help.limit"))
    ] = SHOWN,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from cs_console.services.claim_decisions import approvals_waiting
    from cs_console.services.claims import list_claims

    with signed_in(ctx, db, user) as (console, actor):
        if pending:
            claims = approvals_waiting(console, actor)
        else:
            claims = list_claims(console, actor, limit=limit or None)
        zone, now, clock_policy = console.zone, console.now(), console.policy.clocks
    if output is OutputFormat.JSON:
        emit_json([claim_json(claim, zone) for claim in claims])
        return
    _show(claims, zone, now, clock_policy)


def _done(key: str, claim: ClaimView, zone: ZoneInfo, **values: object) -> None:
    say(key, id=claim.id, **values)
    emit_json(claim_json(claim, zone))


@claims_app.command("open", help=t("claim.help.open"))
def open_command(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="REFERENCE", help=t("claim.help.reference"))],
    kind: Annotated[ClaimKind, typer.Option("--kind", help=t("claim.help.kind"))],
    amount: Annotated[str, typer.Option("--amount", metavar="YUAN", help=t("claim.help.amount"))],
    insured: Annotated[
        bool | None, typer.Option("--insured/--not-insured", help=t("claim.help.insured"))
    ] = None,
    insured_amount: Annotated[
        str | None,
        typer.Option("--insured-amount", metavar="YUAN", help=t("claim.help.insured_amount")),
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", metavar="YUAN", help=t("claim.help.value"))
    ] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.claims import open_claim

    claimed = _fen(amount)
    assert claimed is not None
    with signed_in(ctx, db, user) as (console, actor):
        claim = open_claim(console, actor, reference, kind, claimed, insured=insured,
                           insured_amount_fen=_fen(insured_amount),
                           declared_value_fen=_fen(value))  # fmt: skip
        zone = console.zone
    due = claim.decision_due.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    _done("claim.opened", claim, zone, reference=claim.complaint_reference, due=due)


@claims_app.command("evidence", help=t("claim.help.evidence"))
def evidence_command(
    ctx: typer.Context,
    claim_id: IdArgument,
    item: Annotated[EvidenceItem, typer.Option("--item", help=t("claim.help.item"))],
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help=t("claim.help.note"))],
    waived: Annotated[bool, typer.Option("--waived", help=t("claim.help.waived"))] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.claims import record_evidence

    status = EvidenceStatus.WAIVED if waived else EvidenceStatus.RECEIVED
    with signed_in(ctx, db, user) as (console, actor):
        claim = record_evidence(console, actor, claim_id, item, status, note)
        zone = console.zone
    _done("claim.evidence_recorded", claim, zone, item=t(f"claim.evidence.{item.value}"))


@claims_app.command("propose", help=t("claim.help.propose"))
def propose_command(
    ctx: typer.Context,
    claim_id: IdArgument,
    amount: Annotated[
        str | None, typer.Option("--amount", metavar="YUAN", help=t("claim.help.amount"))
    ] = None,
    reason: ReasonOption = "",
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.claim_decisions import propose_claim

    with signed_in(ctx, db, user) as (console, actor):
        claim = propose_claim(console, actor, claim_id, amount_fen=_fen(amount), reason=reason)
        zone = console.zone
    shown = money(claim.proposed_fen or 0)
    if claim.waiting_for is not None:
        role = t(f"claim.role.{claim.waiting_for.value}")
        _done("claim.proposed", claim, zone, amount=shown, role=role)
    else:
        _done("claim.decided", claim, zone, amount=shown, due=_due(claim, zone))


def _due(claim: ClaimView, zone: ZoneInfo) -> str:
    due = claim.payout_due
    return due.astimezone(zone).strftime("%Y-%m-%d %H:%M") if due else ""


def _decide(ctx: typer.Context, claim_id: int, approve: bool, reason: str,
            user: str | None, db: str | None) -> None:  # fmt: skip
    from cs_console.services.claim_decisions import decide_claim

    with signed_in(ctx, db, user) as (console, actor):
        claim = decide_claim(console, actor, claim_id, approve=approve, reason=reason)
        zone = console.zone
    if approve:
        amount = money(claim.proposed_fen or 0)
        _done("claim.approved", claim, zone, amount=amount, due=_due(claim, zone))
    else:
        _done("claim.refused", claim, zone)


@claims_app.command("approve", help=t("claim.help.approve"))
def approve_command(
    ctx: typer.Context,
    claim_id: IdArgument,
    reason: ReasonOption,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    _decide(ctx, claim_id, True, reason, user, db)


@claims_app.command("refuse", help=t("claim.help.refuse"))
def refuse_command(
    ctx: typer.Context,
    claim_id: IdArgument,
    reason: ReasonOption,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    _decide(ctx, claim_id, False, reason, user, db)


@claims_app.command("pay", help=t("claim.help.pay"))
def pay_command(
    ctx: typer.Context,
    claim_id: IdArgument,
    method: Annotated[PayoutMethod, typer.Option("--method", help=t("claim.help.method"))],
    payment: Annotated[
        str, typer.Option("--reference", metavar="TEXT", help=t("claim.help.payment"))
    ],
    on: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help=t("claim.help.date"))
    ] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    from cs_console.services.claim_decisions import record_payout

    try:
        paid_on = date.fromisoformat(on) if on else None
    except ValueError:
        fail("claim.help.bad_date", value=on)
    with signed_in(ctx, db, user) as (console, actor):
        day = paid_on or console.now().astimezone(console.zone).date()
        claim = record_payout(console, actor, claim_id, method=method, reference=payment,
                              paid_on=day)  # fmt: skip
        zone = console.zone
    amount = money(claim.paid_fen or 0)
    _done("claim.paid", claim, zone, amount=amount, method=t(f"claim.method.{method.value}"))


def _show(
    claims: list[ClaimView], zone: ZoneInfo, now: datetime, clock_policy: ClockPolicy
) -> None:
    from cs_console.domain.clocks import STATE_SYMBOLS, clock_state, format_remaining

    columns = ("id", "reference", "kind", "status", "claimed", "payable", "proposed",
               "evidence", "approver", "due", "left")  # fmt: skip
    rows = []
    for c in claims:
        running = [clock for clock in c.clocks if clock.done_at is None]
        due, left = "", ""
        if running:
            clock = running[0]
            state = clock_state(clock, now, clock_policy)
            due = clock.due.astimezone(zone).strftime("%m-%d %H:%M")
            left = f"{STATE_SYMBOLS[state]} {format_remaining(clock.due - now)}"
        settled = len(c.required) - len(c.missing)
        rows.append([
            str(c.id), c.complaint_reference, t(f"claim.kind.{c.kind.value}"),
            t(f"claim.status.{c.status.value}"), money(c.claimed_fen),
            f"{money(c.payable.amount_fen)} ({t('claim.rule.' + c.payable.rule.value)})",
            money(c.proposed_fen) if c.proposed_fen is not None else "",
            f"{settled}/{len(c.required)}", c.approver, due, left,
        ])  # fmt: skip
    table(t("claim.title", count=len(claims)), [t(f"claim.column.{c}") for c in columns], rows)
