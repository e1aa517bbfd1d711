"""``provider = "none"``: tracking is off; every lookup says so in one line.

Also what a kuaidi100 account without a key gets ("no_key"): the call goes on.
"""

from __future__ import annotations

from cs_console.domain.tracking import Tracking
from cs_console.services.tracking.provider import TrackingUnavailable


class NoProvider:
    name = "none"

    def __init__(self, reason: str = "off") -> None:
        self.reason = reason

    def query(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        raise TrackingUnavailable(self.reason)
