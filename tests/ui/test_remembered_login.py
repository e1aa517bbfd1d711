"""The console remembers a password login for one shift in the OS keyring (a token), signs
in with it at the next start, and where no keyring works says so once and asks each time:
never a crash, a hang or a secret written to disk."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from sqlmodel import select

from cs_console.config.remembered_login import KEYRING_SERVICE
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import read_session
from cs_console.storage.tables import LoginSession
from cs_console.ui.factory import make_app
from cs_console.ui.screens.login import LoginScreen
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.conftest import FakeClock, MemoryKeyring
from tests.services.outage import ServerGate
from tests.ui.screen_text import widget_text
from tests.ui.support import PASSWORD, people, ready, settle


def _sessions(console: ServiceContext) -> list[LoginSession]:
    with read_session(console.engine) as session:
        return list(session.exec(select(LoginSession)))


async def _sign_in_with_password(console: ServiceContext) -> list[str]:
    """Start with a password; the notifications shown."""
    app = make_app(console=console, username="wangfang", password=PASSWORD)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen) and app.screen.desk is not None
        await settle(pilot)
        return [str(n.message) for n in app._notifications]


async def _start_without_password(console: ServiceContext) -> type:
    app = make_app(console=console, username="wangfang")
    async with app.run_test() as pilot:
        for _ in range(100):  # until signed in, or asking for the password
            await settle(pilot, 0.02)
            workspace = app.workspace()  # type: ignore[attr-defined]
            if isinstance(app.screen, LoginScreen) or (workspace and workspace.desk):
                break
        if isinstance(app.screen, WorkspaceScreen):
            assert "工号1024王芳" in widget_text(app, "#who")
        return type(app.screen)


async def test_a_password_login_is_remembered_for_the_next_start(
    sqlite_console: ServiceContext, memory_keyring: MemoryKeyring
) -> None:
    people(sqlite_console)
    await _sign_in_with_password(sqlite_console)

    token = memory_keyring.store[(KEYRING_SERVICE, "wangfang")]
    stored = _sessions(sqlite_console)
    assert len(stored) == 1 and token not in (stored[0].token_hash, stored[0].wrapped_data_key)
    assert await _start_without_password(sqlite_console) is WorkspaceScreen


async def test_after_the_shift_the_password_is_asked_again(
    sqlite_console: ServiceContext, memory_keyring: MemoryKeyring, clock: FakeClock
) -> None:
    people(sqlite_console)
    await _sign_in_with_password(sqlite_console)
    clock.advance(hours=sqlite_console.policy.security.session.total_seconds() / 3600)

    assert await _start_without_password(sqlite_console) is LoginScreen
    assert (KEYRING_SERVICE, "wangfang") not in memory_keyring.store  # forgotten
    assert _sessions(sqlite_console) == []


async def test_without_a_keyring_it_says_so_once_and_keeps_nothing(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    keyring.set_keyring(fail.Keyring())

    shown = await _sign_in_with_password(sqlite_console)

    assert sum("No keyring" in text or "钥匙串" in text for text in shown) == 1
    assert _sessions(sqlite_console) == []  # the token nobody kept is not left valid
    assert await _start_without_password(sqlite_console) is LoginScreen


class HangingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(10)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(10)


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    monkeypatch.setattr("cs_console.config.remembered_login.KEYRING_TIMEOUT_S", 0.3)
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()


async def test_a_hanging_keyring_delays_nothing_for_long(
    sqlite_console: ServiceContext, hanging: HangingKeyring
) -> None:
    people(sqlite_console)
    shown = await _sign_in_with_password(sqlite_console)
    assert any("No keyring" in text or "钥匙串" in text for text in shown)
    assert await _start_without_password(sqlite_console) is LoginScreen


async def test_a_remembered_login_is_kept_while_the_server_is_away_and_the_password_asked(
    sqlite_console: ServiceContext, memory_keyring: MemoryKeyring
) -> None:
    """Offline, the token cannot be checked: the password is asked (the offline sign-in
    checks it), and the token stays for the next start with the server back."""
    people(sqlite_console)
    await _sign_in_with_password(sqlite_console)
    gate = ServerGate(sqlite_console.engine)
    gate.down()
    try:
        assert await _start_without_password(sqlite_console) is LoginScreen
    finally:
        gate.up()
    assert (KEYRING_SERVICE, "wangfang") in memory_keyring.store
    assert await _start_without_password(sqlite_console) is WorkspaceScreen
