"""The tracking lookup of a console: the provider settings.toml chooses, its key, the
policy's cache and timeout, the company's own number pattern and the carriers' formats."""

from __future__ import annotations

from cs_console.config.settings import load_settings
from cs_console.config.tracking_key import key_entry, tracking_key
from cs_console.config.tracking_settings import TrackingSettings, load_carriers
from cs_console.domain.carriers import Carrier, other_carrier
from cs_console.domain.policy import TrackingPolicy
from cs_console.services.context import ServiceContext
from cs_console.services.tracking.demo import DemoProvider
from cs_console.services.tracking.kuaidi100 import Kuaidi100Provider
from cs_console.services.tracking.lookup import TrackingLookup
from cs_console.services.tracking.none import NoProvider
from cs_console.services.tracking.provider import TrackingProvider
from cs_console.storage.engine import read_session
from cs_console.storage.parcel_routes import ParcelRoute, parcel_route


def make_provider(
    console: ServiceContext, settings: TrackingSettings, policy: TrackingPolicy
) -> TrackingProvider:
    """The provider ``settings`` name; kuaidi100 without a key answers "no key"."""
    if settings.provider == "none":
        return NoProvider()
    if settings.provider == "kuaidi100":
        key = tracking_key(key_entry("kuaidi100", settings.customer))
        if not key:
            return NoProvider("no_key")
        return Kuaidi100Provider(
            url=settings.url,
            customer=settings.customer,
            key=key,
            com=settings.com,
            timeout=policy.timeout_seconds,
            clock=console.clock,
        )

    def stored(tracking_no: str) -> ParcelRoute | None:
        with read_session(console.engine) as session:
            return parcel_route(session=session, tracking_no=tracking_no)

    return DemoProvider(parcel_route=stored, clock=console.clock, zone=console.zone)


def other_carrier_of(tracking_no: str) -> Carrier | None:
    """The carrier whose number this (normalised) is, when it is not one of ours."""
    return other_carrier(tracking_no, load_settings().tracking.own, load_carriers())


def open_tracking(
    console: ServiceContext, settings: TrackingSettings | None = None
) -> TrackingLookup:
    """The lookup for ``console``: settings.toml's ``[tracking]`` unless ``settings`` are
    given, the cache and timeout of the console's policy."""
    settings = settings or load_settings().tracking
    policy = console.policy.tracking
    return TrackingLookup(
        engine=console.engine,
        provider=make_provider(console, settings, policy),
        policy=policy,
        own_pattern=settings.own,
        carriers=load_carriers(),
        clock=console.clock,
    )
