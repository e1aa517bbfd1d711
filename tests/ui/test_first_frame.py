"""Start-up: the workspace's first frame is a light shell, the panes follow; signing in
with the remembered login happens in a worker, and without any password the login asks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Footer, Input

from cs_console.config.policy_file import default_policy
from cs_console.services.accounts import authenticate
from cs_console.services.context import ServiceContext
from cs_console.services.sessions import remember_login
from cs_console.ui.factory import make_app
from cs_console.ui.screens.login import LoginScreen
from cs_console.ui.widgets.key_line import KeyLine
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.ui.screen_text import widget_text
from tests.ui.support import PASSWORD, people, ready, settle


async def test_the_first_frame_is_the_shell_and_the_panes_replace_it(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    app = make_app(console=sqlite_console, username="wangfang", password=PASSWORD)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen) and not screen.built
        frames = {frame.id: frame.border_title for frame in screen.query(".pane-frame")}
        assert frames == {
            "call-frame": "来电",
            "clocks-frame": "我的时限",
            "callbacks-frame": "回拨队列",
        }
        assert screen.query_one("#form-column").border_title == "投诉登记"
        first_footer = widget_text(app, "KeyLine")
        assert "F3投诉" in first_footer and "^q退出" in first_footer
        assert not screen.query("#call-pane") and not screen.query(Footer)

        await ready(pilot)
        assert screen.built and not screen.query(".pane-frame") and not screen.query(KeyLine)
        assert widget_text(app, "Footer") == first_footer  # the same keys, the real footer
        assert "工号1024王芳" in widget_text(app, "#who")


async def test_a_remembered_login_signs_in_without_a_password(
    sqlite_console: ServiceContext, memory_keyring: Any
) -> None:
    people(sqlite_console)
    login = authenticate(sqlite_console, "wangfang", PASSWORD)
    memory_keyring.set_password(
        "cs-console", "wangfang", remember_login(sqlite_console, login.actor)
    )
    app = make_app(console=sqlite_console, username="wangfang")
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen) and app.screen.desk is not None
        assert "工号1024王芳" in widget_text(app, "#who")


async def test_with_no_password_anywhere_the_login_screen_asks_for_it(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    app = make_app(console=sqlite_console, username="wangfang")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#username", Input).value == "wangfang"
        assert app.screen.focused is not None and app.screen.focused.id == "password"
        assert widget_text(app, "#login-error") == ""


async def test_a_broken_policy_is_named_on_the_login_screen(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console reads the policy after its first frame (the command line does not)."""
    policy = Path(__file__).parents[2] / "cs_console" / "data" / "policy.toml"
    broken = policy.read_text(encoding="utf-8").replace(
        "amber_fraction = 0.20", "amber_fraction = 2"
    )
    (tmp_path / "policy.toml").write_text(broken, encoding="utf-8")
    monkeypatch.setenv("CS_CONSOLE_POLICY", str(tmp_path / "policy.toml"))
    default_policy.cache_clear()  # read once per process: this test's process read it before
    try:
        app = make_app(db_url=sqlite_url, username="wangfang", password=PASSWORD)
        async with app.run_test() as pilot:
            await settle(pilot, 0.2)
            assert isinstance(app.screen, LoginScreen)
            error = widget_text(app, "#login-error")
            assert "policy.toml" in error and "amber_fraction" in error
            assert app.screen.query_one("#username", Input).value == "wangfang"
    finally:
        default_policy.cache_clear()
