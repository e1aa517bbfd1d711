"""Signing in: the login screen, a login from the command line, start-up refusals."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cs_console.services.accounts import set_password
from cs_console.services.context import ServiceContext, ServiceError
from cs_console.services.journal.sign_ins import offline_sign_in
from cs_console.storage.engine import make_engine
from cs_console.ui.factory import make_app
from cs_console.ui.screens.login import LoginScreen
from cs_console.ui.screens.password import ChangePasswordScreen
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.conftest import TEST_DATA_KEY
from tests.ui.screen_text import widget_text
from tests.ui.support import PASSWORD, people, ready, rows, settle, signed_in_app, type_text


async def sign_in(pilot, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_wrong_password_is_said_in_place_and_a_right_one_opens_the_workspace(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    app = make_app(console=sqlite_console)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "wangfang", "wrong-password")
        assert isinstance(app.screen, LoginScreen)
        assert widget_text(app, "#login-error") == "用户名或密码错误"
        assert app.screen.query_one("#password").value == ""
        assert app.screen.focused.id == "password"  # the name stays; retype the password
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert "工号1024王芳" in widget_text(app, "#who")


async def test_escape_clears_the_login_fields(sqlite_console: ServiceContext) -> None:
    app = make_app(console=sqlite_console)
    async with app.run_test() as pilot:
        await settle(pilot)
        await type_text(pilot, "somebody")
        await pilot.press("enter")
        await type_text(pilot, "abc")
        await pilot.press("escape")
        assert app.screen.query_one("#username").value == ""
        assert app.screen.query_one("#password").value == ""
        assert app.is_running


async def test_a_command_line_login_shows_the_workspace_at_once(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    app = signed_in_app(sqlite_console)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, WorkspaceScreen)  # before anything was loaded
        await ready(pilot)
        assert "工号1024王芳" in widget_text(app, "#who")


async def test_a_failed_command_line_login_goes_to_the_login_screen(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    app = make_app(console=sqlite_console, username="wangfang", password="nope-nope")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert widget_text(app, "#login-error") == "用户名或密码错误"
        assert app.screen.query_one("#username").value == "wangfang"


async def test_an_expired_password_is_changed_before_the_workspace(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    # set by an admin (who wraps the data key for it): must be changed
    set_password(sqlite_console, "wangfang", PASSWORD, data_key=TEST_DATA_KEY)
    app = signed_in_app(sqlite_console)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChangePasswordScreen)
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await type_text(pilot, "new-pass-123")
        await pilot.press("enter")
        await type_text(pilot, "new-pass-124")
        await pilot.press("enter")
        assert widget_text(app, "#password-error") == "两次输入的新密码不一致"
        await type_text(pilot, "new-pass-123")
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.workspace().desk is not None
        # The sign-in kept for an offline start is the changed password's, change no longer due.
        journal = app.workspace().desk.writes.journal
        assert offline_sign_in(sqlite_console, journal, "wangfang", "new-pass-123").offline
        with pytest.raises(ServiceError, match="login_failed"):
            offline_sign_in(sqlite_console, journal, "wangfang", PASSWORD)


async def test_a_weak_new_password_is_refused_saying_why(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    set_password(sqlite_console, "wangfang", PASSWORD, data_key=TEST_DATA_KEY)
    [(hash_before,)] = rows(
        sqlite_console, "SELECT password_hash FROM users WHERE username='wangfang'"
    )
    app = signed_in_app(sqlite_console)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChangePasswordScreen)
        for weak, why in (
            ("Wangfang2025", "密码不能由用户名或姓名构成（倒写或加数字也不行）"),
            ("password123", "密码是最常见的密码之一，或由常见密码构成"),
            ("1234567890", "密码是最常见的密码之一，或由常见密码构成"),
            ("abababababab", "密码由重复的字符、连续的字符（如abc、123）或键盘上相邻的键组成"),
        ):
            await type_text(pilot, PASSWORD)
            await pilot.press("enter")
            await type_text(pilot, weak)
            await pilot.press("enter")
            await type_text(pilot, weak)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ChangePasswordScreen)
            assert why in widget_text(app, "#password-error")
            for name in ("old", "new", "again"):
                app.screen.query_one(f"#password-{name}").value = ""
            app.screen.query_one("#password-old").focus()
        assert rows(
            sqlite_console,
            "SELECT password_hash, must_change_password FROM users WHERE username='wangfang'",
        ) == [(hash_before, 1)]


async def test_an_uninitialised_database_is_refused_with_what_to_do(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(db_url=f"sqlite:///{tmp_path / 'empty.db'}", username="a", password="b")
    async with app.run_test() as pilot:
        await settle(pilot, 0.2)
        assert isinstance(app.screen, LoginScreen)
        assert "请先运行cs-consoleinit" in widget_text(app, "#login-error")


async def test_a_database_url_opens_its_console_after_the_first_paint(
    sqlite_url: str, sqlite_console: ServiceContext
) -> None:
    people(sqlite_console)
    app = make_app(db_url=sqlite_url, username="wangfang", password=PASSWORD)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert (
            app.workspace().desk.console.engine.url.database == make_engine(sqlite_url).url.database
        )


def test_the_ui_modules_load_no_storage_before_the_first_paint() -> None:
    modules = (
        "cs_console.ui.factory",
        "cs_console.ui.app",
        "cs_console.ui.workspace.screen",
        "cs_console.ui.screens.login",
        "cs_console.ui.screens.handover",
        "cs_console.ui.screens.draft_restore",
        "cs_console.ui.screens.password",
        "cs_console.ui.screens.help",
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'cs_console.services',"
        " 'cs_console.storage') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
