"""A tracking provider for tests: each number's hubs as the test says, behind the real
lookup (the shared cache, the carriers' numbers), so services store what a console would."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from cs_console.config.tracking_settings import TrackingSettings
from cs_console.domain.tracking import Tracking, TrackingEvent, build_tracking
from cs_console.services.context import ServiceContext
from cs_console.services.tracking.provider import TrackingUnavailable
from cs_console.services.tracking.setup import open_tracking

OUTLET = "北京朝阳网点"
BATCH = "HZ20261122-03"


class FakeProvider:
    """Answers every number with a journey through ``hubs`` (or ``by_number``'s) to
    ``OUTLET`` (or ``outlets``'), out for delivery, in ``BATCH`` (or ``batches``'); ``down``
    makes it time out. ``asked`` lists the numbers asked."""

    name = "fake"

    def __init__(self, console: ServiceContext, hubs: tuple[str, ...]) -> None:
        self.console, self.hubs = console, hubs
        self.by_number: dict[str, tuple[str, ...]] = {}
        self.outlets: dict[str, str] = {}
        self.batches: dict[str, str] = {}
        self.down = False
        self.asked: list[str] = []

    def query(self, tracking_no: str, phone_last4: str | None = None) -> Tracking:
        self.asked.append(tracking_no)
        if self.down:
            raise TrackingUnavailable("timeout")
        hubs = self.by_number.get(tracking_no, self.hubs)
        outlet = self.outlets.get(tracking_no, OUTLET)
        at = self.console.now() - timedelta(days=1)
        texts = ["【杭州西湖营业部】已揽收"]
        for hub, following in zip(hubs, (*hubs[1:], outlet), strict=True):
            texts += [f"快件已到达【{hub}】", f"【{hub}】已发出 下一站【{following}】"]
        texts.append(f"【{outlet}】派件员 刘师傅 正在派件")
        events = [TrackingEvent(at + timedelta(hours=n), text) for n, text in enumerate(texts)]
        return build_tracking(
            tracking_no=tracking_no,
            state_code=5,
            events_newest_first=events[::-1],
            carrier="own",
            source=self.name,
            fetched_at=self.console.now(),
            batch=self.batches.get(tracking_no, BATCH),
        )


def tracked(console: ServiceContext, provider: FakeProvider) -> ServiceContext:
    """``console`` whose parcels take their way from ``provider`` through the real lookup."""
    lookup = replace(open_tracking(console, TrackingSettings()), provider=provider)
    return replace(console, tracking=lookup)
