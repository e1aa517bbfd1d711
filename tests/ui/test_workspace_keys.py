"""The keys of the workspace: F1 lists exactly those of the footer and the README that
the person may use; F7 folds the lists every time; F10 goes into my clocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.pilot import Pilot

from cs_console.i18n import set_language
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.help import HelpScreen
from tests.conftest import FakeClock
from tests.ui.screen_text import compact, widget_text
from tests.ui.supervisor import floor, signed_in
from tests.ui.support import a_complaint, people, settle, shown, type_text, workspace

README = Path(__file__).parents[2] / "README.md"
KEY = re.compile(r"\bF\d+\b|ctrl\+\w+|\?")  # F-keys, ctrl keys and ?


def readme_workspace_keys() -> set[str]:
    """The keys in the first column of the README's "Keys (agent workspace)" table."""
    section = README.read_text(encoding="utf-8").split("## Keys (agent workspace)")[1]
    table = section.split("\n\n")[1]
    return {key for row in table.splitlines()[2:] for key in KEY.findall(row.split("|")[1])}


def footer_keys(app: App) -> set[str]:
    return set(KEY.findall(shown(app).splitlines()[-1].replace("^", "ctrl+")))


async def help_keys(pilot: Pilot) -> set[str]:
    await pilot.press("f1")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpScreen)
    text = "\n".join(f"{keys}  {what}" for keys, what in pilot.app.screen.rows)
    await pilot.press("escape")
    return set(KEY.findall(text))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_f1_lists_the_footer_and_readme_keys_an_agent_may_use(
    sqlite_console: ServiceContext, language: str
) -> None:
    set_language(language)
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 40)) as (app, pilot):
        footer = footer_keys(app)
        listed = await help_keys(pilot)
        assert {"F6", "F7", "F10"} <= footer
        assert footer <= listed
        assert listed == readme_workspace_keys()  # F5 and F9 are a supervisor's: not here


async def test_f1_shows_a_supervisor_the_overview_incident_and_approvals_keys(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    floor(sqlite_console, clock)
    async with signed_in(sqlite_console) as (app, pilot):
        listed = await help_keys(pilot)
        theirs = {"F5", "ctrl+d", "F9", "ctrl+y", "F11"}
        assert theirs <= listed
        assert listed - theirs == readme_workspace_keys()
        assert "F9" in footer_keys(app)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_f1_on_a_small_terminal_scrolls_to_its_last_key(
    sqlite_console: ServiceContext, language: str
) -> None:
    """At 80x24 the list is longer than the screen: the first keys and the hint show, and
    the keys a person scrolls with (End) bring the last row into view."""
    set_language(language)
    people(sqlite_console)
    async with workspace(sqlite_console, (80, 24)) as (app, pilot):
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        (first_keys, first_what), (last_keys, last_what) = app.screen.rows[0], app.screen.rows[-1]
        first, last = compact(first_keys + first_what)[:8], compact(last_keys + last_what)[:8]
        assert first in compact(shown(app)) and "Esc/F1/?" in compact(shown(app))
        assert last not in compact(shown(app))  # below the fold at first
        await pilot.press("end")
        await settle(pilot)
        assert last in compact(shown(app))
        assert "Esc/F1/?" in compact(shown(app))
    set_language("zh-CN")


async def test_f1_names_every_key_of_the_callback_queue(sqlite_console: ServiceContext) -> None:
    """The queue's keys (r n w p u; the score is typed in the reached dialog, not here)."""
    from cs_console.ui.widgets.callback_queue import CallbackQueue

    people(sqlite_console)
    async with workspace(sqlite_console, (120, 40)) as (app, pilot):
        await pilot.press("f4")
        await settle(pilot)
        queue_keys = {
            b.key
            for b in CallbackQueue.BINDINGS
            if isinstance(b, Binding) and b.description.startswith("lists.queue.")
        }
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        [listed] = [keys for keys, what in app.screen.rows if "回拨队列" in what]
        assert set(listed.split(" / ")) == queue_keys
        assert "显示号码" in compact(shown(app)) and "撤销" in compact(shown(app))


def lists_on_screen(app: App) -> bool:
    return "我的时限" in shown(app) and "回拨队列" in shown(app)


FIELDS = [None, "#call-phone", "#customer_name", "#description", "#request", "#my-clocks"]


async def test_the_footer_keeps_its_order_while_a_field_is_typed_in(
    sqlite_console: ServiceContext,
) -> None:
    # ctrl+w (a work order) is a field's own key too ("delete a word"): it won the key but
    # took the field's place, first in the footer, whenever the cursor was in a field.
    people(sqlite_console)
    async with workspace(sqlite_console, (200, 35)) as (app, pilot):
        resting = footer_line(app)
        await pilot.press("f3")
        await settle(pilot)
        app.screen.query_one("#description").focus()
        await settle(pilot)
        typing = footer_line(app)
        assert typing.startswith("F2") and resting.startswith("F2"), typing
        assert typing.index("^w") > typing.index("F8"), typing


def footer_line(app: App) -> str:
    return shown(app).splitlines()[-1].strip()


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
async def test_f7_folds_the_lists_every_time_from_any_field(
    sqlite_console: ServiceContext, size: tuple[int, int]
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, size) as (app, pilot):
        screen = app.screen
        await pilot.press("f3")
        await settle(pilot)
        screen.query_one("#description").focus()
        await type_text(pilot, "三天了还没到")
        for field in FIELDS:
            for _ in range(3):
                target = screen.query_one(field) if field else None
                if target is None or target.region:  # where the agent can be now
                    screen.set_focus(target)
                await pilot.pause()
                before = lists_on_screen(app)
                await pilot.press("f7")
                await settle(pilot)
                assert lists_on_screen(app) is not before, (field, before)
        assert screen.query_one("#description").text == "三天了还没到"  # F7 selected nothing


async def test_f10_goes_into_my_clocks_on_a_wide_screen(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console)
    async with workspace(sqlite_console, (120, 35)) as (app, pilot):
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#description").focus()
        await pilot.press("f10")
        await settle(pilot)
        assert app.focused is screen.query_one("#my-clocks")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert reference in shown(app)


async def test_f10_is_not_offered_on_a_narrow_screen(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console, (80, 24)) as (app, pilot):
        assert "F10" not in footer_keys(app)
        assert "F10" not in await help_keys(pilot)
        assert "F7" in footer_keys(app)
        await pilot.press("f10")
        await settle(pilot)
        assert not lists_on_screen(app)
        await pilot.press("f7")  # here F7 shows the lists and goes into my clocks
        await settle(pilot)
        assert app.focused is app.screen.query_one("#my-clocks")
        assert "暂无未结投诉" in widget_text(app, "#my-clocks")
