"""The interface every tracking provider implements, and how a lookup can fail."""

from __future__ import annotations

from typing import Protocol

from cs_console.domain.tracking import Tracking


class TrackingProvider(Protocol):
    """Answers where a parcel is. ``name`` keys the shared cache ("demo", "kuaidi100")."""

    name: str

    def query(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        """The tracking of ``tracking_no`` (normalised); ``phone_last4`` is the last four
        digits of the sender's or recipient's phone, which some carriers (SF) require.

        Raises ``UnknownNumber`` when the provider does not know the number and
        ``TrackingUnavailable`` when it cannot answer now.
        """
        ...


class TrackingUnavailable(Exception):
    """No answer now (timeout, unreachable, garbled answer, bad key, provider off).

    ``reason`` is an i18n key under ``tracking.unavailable.``; ``detail`` a short text from
    the provider or the network, cleaned for one line. The call goes on without it.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"tracking unavailable: {reason}" + (f" ({detail})" if detail else ""))
        self.reason, self.detail = reason, detail


class UnknownNumber(Exception):
    """The provider answered that it does not know the number; ``message`` is its words."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message, self.code = message, code
