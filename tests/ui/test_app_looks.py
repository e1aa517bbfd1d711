"""settings.toml's [keymap] and theme: a remapped key works in the workspace and the footer
and help show it; the high-contrast theme is chosen; a bad id, key or theme is named."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cs_console.config.settings import load_settings
from cs_console.services.context import ServiceContext
from cs_console.ui.factory import make_app
from cs_console.ui.looks import HIGH_CONTRAST, binding_ids, is_key
from cs_console.ui.screens.help import HelpScreen
from cs_console.ui.screens.login import LoginScreen
from cs_console.ui.widgets.callback_queue import CallbackQueue
from tests.ui.screen_text import widget_text
from tests.ui.support import PASSWORD, debounced, people, settle, type_text, workspace
from tests.ui.test_outlet import counter, outlet_app, outlet_ready

STYLES = Path(__file__).parents[2] / "cs_console" / "ui" / "styles"


@pytest.fixture
def settings_toml() -> Iterator[Path]:
    """settings.toml in this test's config directory, read afresh by the app."""
    config = Path(os.environ["CS_CONSOLE_HOME"]) / "config"
    config.mkdir(parents=True, exist_ok=True)
    load_settings.cache_clear()
    yield config / "settings.toml"
    load_settings.cache_clear()


async def test_a_remapped_key_works_and_the_footer_and_help_show_it(
    sqlite_console: ServiceContext, settings_toml: Path
) -> None:
    settings_toml.write_text('[keymap]\ncallback-queue = "f11,ctrl+k"\n', encoding="utf-8")
    people(sqlite_console)
    async with workspace(sqlite_console, (120, 40)) as (app, pilot):
        footer = widget_text(app, "Footer")
        assert "F11回拨" in footer and "F4回拨" not in footer
        await pilot.press("f4")  # the old key no longer opens the queue
        await settle(pilot)
        assert not isinstance(app.screen.focused, CallbackQueue)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen.focused, CallbackQueue)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        [keys] = [keys for keys, what in app.screen.rows if what == "回拨"]
        assert keys == "F11 / ctrl+k"


async def test_a_remapped_key_keeps_its_place_in_the_footer(
    sqlite_console: ServiceContext, settings_toml: Path
) -> None:
    # Textual's keymap moves a rebound key to the end of the screen's keys
    settings_toml.write_text('[keymap]\ncallback-queue = "ctrl+k"\n', encoding="utf-8")
    people(sqlite_console)
    async with workspace(sqlite_console, (160, 40)) as (app, _pilot):
        footer = widget_text(app, "Footer")
        assert footer.index("保存") < footer.index("^k回拨") < footer.index("查找")


async def test_a_remapped_key_keeps_its_place_on_the_outlet_counter(
    sqlite_console: ServiceContext, settings_toml: Path
) -> None:
    settings_toml.write_text('[keymap]\noutlet-form = "f11"\n', encoding="utf-8")
    counter(sqlite_console)
    async with outlet_app(sqlite_console).run_test(size=(120, 30)) as pilot:
        await outlet_ready(pilot)
        footer = widget_text(pilot.app, "Footer")
        assert footer.index("保存") < footer.index("F11登记表") < footer.index("投诉列表")


async def test_the_palette_names_a_remapped_key(
    sqlite_console: ServiceContext, settings_toml: Path
) -> None:
    settings_toml.write_text('[keymap]\ncallback-queue = "ctrl+k"\n', encoding="utf-8")
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "回拨")
        await debounced(pilot, 0.3)
        offered = widget_text(app, "CommandList")
        assert "回拨(ctrl+k)" in offered and "F4" not in offered


async def test_the_high_contrast_theme_is_chosen_in_the_settings(
    sqlite_console: ServiceContext, settings_toml: Path
) -> None:
    settings_toml.write_text('theme = "high-contrast"\n', encoding="utf-8")
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        assert app.theme == "high-contrast" and app.current_theme is HIGH_CONTRAST
        assert app.theme_variables["background"] == "#000000"
        assert app.theme_variables["foreground"] == "#FFFFFF"


async def test_without_settings_the_theme_is_textuals_own(
    sqlite_console: ServiceContext, settings_toml: Path
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        assert app.theme == "textual-dark"
        assert "high-contrast" in app.available_themes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[keymap]\nsave-everything = "f11"\n', "[keymap.save-everything] no key binding"),
        ('[keymap]\nsave-complaint = "ctrl+sss"\n', "[keymap.save-complaint] 'ctrl+sss' is"),
        ('theme = "pink"\n', "[theme] unknown theme 'pink': choose one of"),
    ],
)
async def test_a_bad_keymap_or_theme_is_named_on_the_login_screen(
    sqlite_console: ServiceContext, settings_toml: Path, text: str, message: str
) -> None:
    settings_toml.write_text(f'language = "en"\n{text}', encoding="utf-8")
    people(sqlite_console)
    app = make_app(console=sqlite_console, lang="en", username="wangfang", password=PASSWORD)
    async with app.run_test() as pilot:
        await settle(pilot, 0.2)
        assert isinstance(app.screen, LoginScreen)
        error = widget_text(app, "#login-error")
        assert "settings.toml" in error and message.replace(" ", "") in error


def test_every_binding_has_a_unique_kebab_case_id() -> None:
    ids = binding_ids()
    assert {"quit", "help", "save-complaint", "callback-queue", "overview-close"} <= ids
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", binding_id) for binding_id in ids)


@pytest.mark.parametrize("key", ["ctrl+s", "f9", "question_mark", "?", "a", "shift+tab"])
def test_keys_textual_knows(key: str) -> None:
    assert is_key(key)


@pytest.mark.parametrize("key", ["ctrl+sss", "f99", "bogus_key", ""])
def test_keys_textual_does_not_know(key: str) -> None:
    assert not is_key(key)


def test_the_style_sheets_colour_only_through_theme_variables() -> None:
    colour = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(rgba?|hsla?)\(")
    for sheet in STYLES.glob("*.tcss"):
        assert not colour.search(sheet.read_text(encoding="utf-8")), sheet.name


def test_the_binding_ids_in_the_readme_exist() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Keys and looks")[1].split("\n## ")[0]
    named = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", section)) | {"quit", "help", "empathy"}
    named -= {"high-contrast", "textual-light"}
    assert len(named) >= 40 and named <= binding_ids()
