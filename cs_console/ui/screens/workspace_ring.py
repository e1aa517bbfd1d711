"""Screen pop on the workspace: ``cs-console ring PHONE`` opens a new call for the caller.

A part of ``WorkspaceScreen`` (mixed in, before ``CallActions``). Once someone is signed in
the screen listens on its owner-only socket (``config.ring_socket``) on the app's event
loop. A ring opens a new call with the caller's phone typed in, so the call pane shows
their history; during a call (or with a dialog open) it never replaces what is going on:
the ring waits, a notice says so, and F2 takes it when the agent is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.config.ring_socket import RingListener


def dialled_form(e164: str) -> str:
    """A mainland number as agents type it (13812345678); others stay in E.164."""
    return e164.removeprefix("+86") if e164.startswith("+861") else e164


class RingActions:
    """Listening for rings, and opening (or keeping waiting) the ringing call."""

    waiting_phone: str | None = None
    _ring_listener: RingListener | None = None

    async def listen_for_rings(self) -> None:
        """Open this person's ring socket (a failure is said, the desk keeps working)."""
        from cs_console.config.ring_socket import RingListener
        from cs_console.domain.validation import normalize_phone

        desk = self.desk
        if desk is None or self._ring_listener is not None:
            return
        listener = RingListener(desk.actor.username, self.receive_ring, normalize_phone)
        try:
            await listener.start()
        except OSError as exc:
            self.notify(str(exc), title=t("ui.job.ring"), severity="warning", markup=False)
            return
        self._ring_listener = listener

    def stop_listening_for_rings(self) -> None:
        if self._ring_listener is not None:
            self._ring_listener.close()
            self._ring_listener = None

    def receive_ring(self, e164: str) -> str:
        """A validated ring: "opened" a new call, or "queued" behind what is on screen."""
        from cs_console.domain.masking import mask_phone

        phone, shown = dialled_form(e164), mask_phone(e164)
        ready = self.desk is not None and self.built and self.drafts.ready
        if not ready or self.call.active or self.app.screen is not self:
            self.waiting_phone = phone
            self.notify(
                t("ui.ring.waiting", phone=shown), severity="warning", timeout=15, markup=False
            )
            return "queued"
        self.waiting_phone = phone
        self.action_start_call()
        self.notify(t("ui.ring.opened", phone=shown), markup=False)
        return "opened"

    def action_start_call(self) -> None:
        """F2: answer; a waiting ring's phone is typed in, which brings up the history."""
        super().action_start_call()  # type: ignore[misc]
        phone, self.waiting_phone = self.waiting_phone, None
        if phone:
            self.call_pane.set_phone(phone)
