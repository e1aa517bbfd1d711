"""Too many wrong passwords on the login screen lock the account for the policy's 15 minutes."""

from __future__ import annotations

import pytest

from cs_console.i18n import set_language
from cs_console.services.context import ServiceContext
from cs_console.ui.factory import make_app
from cs_console.ui.screens.login import LoginScreen
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.conftest import FakeClock
from tests.ui.screen_text import widget_text
from tests.ui.support import PASSWORD, people, ready, rows, settle, type_text

WRONG = "用户名或密码错误"
LOCKED = "账号已锁定，请稍后再试或联系管理员"


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh-CN")


async def try_password(pilot, password: str) -> str:  # type: ignore[no-untyped-def]
    """Type a password in the focused password field, Enter: what the login screen says."""
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoginScreen)
    return widget_text(pilot.app, "#login-error")


async def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    lockout = sqlite_console.policy.security.lockout
    assert sqlite_console.policy.security.max_failed_logins == 5
    app = make_app(console=sqlite_console)
    async with app.run_test() as pilot:
        await settle(pilot)
        await type_text(pilot, "wangfang")
        await pilot.press("enter")
        for attempt in range(4):
            assert await try_password(pilot, f"wrong-password-{attempt}") == WRONG
        assert await try_password(pilot, "wrong-password-5") == LOCKED  # the fifth locks

        # The sixth, with the right password, is refused while the lock lasts.
        assert await try_password(pilot, PASSWORD) == LOCKED
        clock.advance(seconds=lockout.total_seconds() - 1)
        assert await try_password(pilot, PASSWORD) == LOCKED
        assert app.screen.query_one("#password").value == ""  # never kept on screen

        clock.advance(seconds=1)  # 15 minutes after the lock: the right password works
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.workspace().desk.actor.username == "wangfang"

    ((failed, locked_until),) = rows(
        sqlite_console, "SELECT failed_logins, locked_until FROM users WHERE username = 'wangfang'"
    )
    assert (failed, locked_until) == (0, None)
