"""Helpers for the supervisor's screens: a floor of people, signing in, the overview."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from textual.app import App
from textual.pilot import Pilot

from cs_console.domain.enums import Role
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.ui.factory import make_app
from cs_console.ui.screens.overview import OverviewScreen
from tests.conftest import START, FakeClock, add_person
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form
from tests.ui.support import PASSWORD, ready, settle, until

NAME = "王芳" + "".join(FEW_INJECTIONS)  # a person's name is data too


def floor(console: ServiceContext, clock: FakeClock) -> str:
    """A supervisor, two agents; 王芳's complaint registered 2 h ago (verify breached)."""
    add_person(console, "boss", Role.SUPERVISOR, agent_no="9001", display_name="周主管")
    wang = add_person(console, "wangfang", agent_no="1024", display_name=NAME)
    add_person(console, "liqiang", agent_no="1031", display_name="李强")
    clock.now = START - timedelta(hours=2)
    reference = register_complaint(console, wang, distinct_form(1)).reference
    clock.now = START
    return reference


@asynccontextmanager
async def signed_in(console: ServiceContext, who: str = "boss") -> AsyncIterator[tuple[App, Pilot]]:
    """``who`` signed in at 140x45, the workspace ready: the app, the pilot."""
    app = make_app(console=console, username=who, password=PASSWORD)
    app.cursor_blink = False  # type: ignore[attr-defined]
    async with app.run_test(size=(140, 45)) as pilot:
        await ready(pilot)
        yield app, pilot


async def opened(pilot: Pilot) -> OverviewScreen:
    """F5: the overview, loaded."""
    await pilot.press("f5")
    await until(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.view is not None)  # type: ignore[attr-defined]
    await settle(pilot)
    return screen  # type: ignore[return-value]
