"""Starting the console while its PostgreSQL server is unreachable (issue 14): the people
who signed in on this machine within the offline window sign in from the outage journal,
nobody else does, work goes to the journal and the header says since when it is offline;
once the server answers, the journal is sent and the header clears."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cs_console.config.paths import journal_path
from cs_console.services.accounts import authenticate
from cs_console.services.context import ServiceContext, system_clock
from cs_console.services.journal.sign_ins import keep_sign_in, kept_sign_ins
from cs_console.services.journal.store import Journal
from cs_console.storage.engine import make_engine
from cs_console.ui.factory import make_app
from cs_console.ui.screens.login import LoginScreen
from cs_console.ui.workspace.outage import REPLAY_EVERY
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.conftest import PG_URL
from tests.ui.screen_text import widget_text
from tests.ui.support import PASSWORD, fill_in, people, ready, settle, type_text, until

UNREACHABLE = "postgresql+psycopg://agent@127.0.0.1:1/cs_offline"  # nothing answers port 1


def _journal_of(url: str) -> Journal:
    """The outage journal a console on ``url`` opens (services/journal/writes.open_journal)."""
    return Journal(journal_path(make_engine(url).url.render_as_string(hide_password=True)))


async def _sign_in(pilot, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await pilot.press("escape")  # both fields emptied, the cursor in the name
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, password)
    await pilot.press("enter")
    await settle(pilot)


async def _register_delay_complaint(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f3")
    await fill_in(pilot, "王五", "13712345678", "SF1311234567890")
    await pilot.press("tab", "1")  # category: delay; on to days late
    await fill_in(pilot, "2", "两天没到", "尽快派送")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_an_unreachable_server_signs_in_who_signed_in_here_and_journals_their_work(
    sqlite_console: ServiceContext,
) -> None:
    # 王芳 signed in on this machine (online, today) against the server now unreachable.
    today = replace(sqlite_console, clock=system_clock)
    people(today)
    journal = _journal_of(UNREACHABLE)
    keep_sign_in(today, journal, authenticate(today, "wangfang", PASSWORD).actor)
    journal.close()

    app = make_app(db_url=UNREACHABLE)
    async with app.run_test(size=(120, 35)) as pilot:
        await _sign_in(pilot, "lisi", PASSWORD)  # has an account, never signed in here
        assert isinstance(app.screen, LoginScreen)
        assert "只有在离线期限内在本机登录过的人可以登录" in widget_text(app, "#login-error")

        await _sign_in(pilot, "wangfang", "wrong-password")
        assert widget_text(app, "#login-error") == "用户名或密码错误"

        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert "工号1024王芳" in widget_text(app, "#who")
        await until(pilot, lambda: "起离线" in widget_text(app, "#outage"))
        assert "服务器断开" in widget_text(app, "#outage")

        await _register_delay_complaint(pilot)
        assert "（待发送）" in widget_text(app, "#saved-banner")
        assert "-P001" in widget_text(app, "#saved-banner")
        assert app.screen.desk.writes.journal.pending_count() == 1
        assert "1条待发送" in widget_text(app, "#outage")


class SwitchedServer:
    """A port on 127.0.0.1 that forwards to the PostgreSQL server while ``up``, and refuses
    connections (as a stopped server does) while down."""

    def __init__(self, server: tuple[str, int]) -> None:
        self.server = server
        probe = socket.create_server(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []

    def up(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def down(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the accepting thread (Linux)
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.server)
            self._open += [client, upstream]
            for one, other in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(one, other), daemon=True).start()


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


@pytest.fixture
def server_url(request: pytest.FixtureRequest) -> Iterator[tuple[str, SwitchedServer]]:
    """An empty migrated PostgreSQL database behind a switch: its URL through the switch."""
    if not PG_URL:
        pytest.skip("CS_CONSOLE_TEST_PG is not set: the server side needs PostgreSQL")
    from tests.conftest import _emptied

    url = make_url(_emptied(request.getfixturevalue("pg_database")))
    switch = SwitchedServer((url.host or "127.0.0.1", url.port or 5432))
    switch.up()
    yield url.set(host="127.0.0.1", port=switch.port).render_as_string(hide_password=False), switch
    switch.down()


async def test_the_journal_is_sent_when_the_server_answers_again(
    server_url: tuple[str, SwitchedServer],
) -> None:
    url, switch = server_url
    engine = make_engine(url)
    from cs_console.config.policy_file import default_policy

    people(ServiceContext(engine, default_policy()))

    # One online sign-in on this machine: it is kept for the offline window.
    app = make_app(db_url=url)
    async with app.run_test(size=(120, 35)) as pilot:
        await _sign_in(pilot, "wangfang", PASSWORD)
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        journal = app.screen.desk.writes.journal
        await until(pilot, lambda: kept_sign_ins(journal) == ["wangfang"])

    switch.down()  # the server stops answering; the console is started again
    engine.dispose()
    app = make_app(db_url=url)
    async with app.run_test(size=(120, 35)) as pilot:
        await _sign_in(pilot, "wangfang", PASSWORD)
        await ready(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        await until(pilot, lambda: "起离线" in widget_text(app, "#outage"))
        await _register_delay_complaint(pilot)
        assert "-P001" in widget_text(app, "#saved-banner")

        switch.up()
        await until(pilot, lambda: "已发送" in widget_text(app, "#saved-banner"), REPLAY_EVERY * 5)
        await until(pilot, lambda: widget_text(app, "#outage") == "")
        assert app.screen.desk.writes.journal.pending_count() == 0

    with engine.connect() as connection:
        references = connection.execute(text("SELECT reference FROM complaints")).all()
        offline_logins = connection.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'login' AND detail LIKE :via"),
            {"via": "%offline_at%"},
        ).scalar_one()
    engine.dispose()
    assert len(references) == 1 and "-P" not in references[0][0]
    assert offline_logins == 1  # the offline sign-in reached the audit trail
