"""``cs-console ring PHONE``: a softphone's incoming-call hook opens the call on the console.

The number is validated here (exit 1 when it cannot be a phone number), then handed to the
console signed in on this machine through its owner-only socket (``config.ring_socket``);
exit 1 with a clear message when no console is running. The phone is shown masked.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cs_console.cli.command_context import state
from cs_console.cli.output import emit_json, say
from cs_console.cli.refusals import fail
from cs_console.i18n import t


def ring_command(
    ctx: typer.Context,
    phone: Annotated[str, typer.Argument(metavar="PHONE", help=t("ring.help.phone"))],
    user: Annotated[
        str | None, typer.Option("--user", metavar="NAME", help=t("ring.help.user"))
    ] = None,
) -> None:
    from cs_console.config.ring_socket import RingRefused, send_ring
    from cs_console.domain.masking import mask_phone
    from cs_console.domain.text import clean_line
    from cs_console.domain.validation import normalize_phone

    e164 = normalize_phone(phone)
    if e164 is None:
        fail("ring.bad_phone", phone=clean_line(phone)[:40])
    try:
        reply = send_ring(e164, user or state(ctx).user)
    except RingRefused as refused:
        fail(f"ring.{refused.code}", **refused.details)
    shown = mask_phone(e164)
    say(f"ring.{reply['status']}", user=reply["user"], phone=shown)
    emit_json({"user": reply["user"], "phone": shown, "status": reply["status"]})
