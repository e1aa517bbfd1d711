"""Screen pop: ``cs-console ring PHONE`` opens a new call for the caller.

``RingPart`` listens on this person's owner-only socket (``config.ring_socket``) on the
app's event loop. A ring opens a new call with the caller's phone typed in, so the call
pane shows their history; during a call (or with a dialog open) it never replaces what is
going on: the ring waits, a notice says so, and F2 takes it when the agent is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_console.i18n import t
from cs_console.ui.workspace.parts import WorkspacePart

if TYPE_CHECKING:
    from cs_console.config.ring_socket import RingListener


def dialled_form(e164: str) -> str:
    """A mainland number as agents type it (13812345678); others stay in E.164."""
    return e164.removeprefix("+86") if e164.startswith("+861") else e164


class RingPart(WorkspacePart):
    """Listening for rings, and opening (or keeping waiting) the ringing call."""

    _listener: RingListener | None = None

    def on_mount(self) -> None:
        self.run_worker(self._listen(), group="ring", exclusive=True)

    def on_unmount(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    async def _listen(self) -> None:
        """Open this person's ring socket (a failure is said, the desk keeps working)."""
        from cs_console.config.ring_socket import RingListener
        from cs_console.domain.validation import normalize_phone

        listener = RingListener(self.desk.actor.username, self.receive_ring, normalize_phone)
        try:
            await listener.start()
        except OSError as exc:
            self.notify(str(exc), title=t("ui.job.ring"), severity="warning", markup=False)
            return
        self._listener = listener

    def receive_ring(self, e164: str) -> str:
        """A validated ring: "opened" a new call, or "queued" behind what is on screen."""
        from cs_console.domain.masking import mask_phone

        phone, shown = dialled_form(e164), mask_phone(e164)
        call = self.bench.call
        call.waiting_phone = phone
        ready = self.bench.drafts.ready and self.app.screen is self.screen
        if not ready or call.call.active:
            self.notify(
                t("ui.ring.waiting", phone=shown), severity="warning", timeout=15, markup=False
            )
            return "queued"
        call.action_start_call()
        self.notify(t("ui.ring.opened", phone=shown), markup=False)
        return "opened"
