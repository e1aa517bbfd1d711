"""The console's start-up worker opens the database through services.opening and words
what stops it for the login screen (ui.startup)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from cs_console.config.policy_file import default_policy
from cs_console.config.settings import load_settings
from cs_console.i18n import t
from cs_console.storage.engine import CONNECT_TIMEOUT_S, make_engine
from cs_console.ui.startup import StartRefused, open_console


def test_a_database_at_head_opens_with_this_process_policy(sqlite_url: str) -> None:
    console, offline = open_console(sqlite_url, load_settings())
    console.engine.dispose()
    assert not offline
    assert console.policy is default_policy()  # the one the lists read too


def test_an_empty_database_asks_for_init(tmp_path: Path) -> None:
    with pytest.raises(StartRefused, match="cs-console init") as refused:
        open_console(f"sqlite:///{tmp_path / 'new.db'}", load_settings())
    assert str(refused.value) == t("ui.start.not_initialised")


def test_an_older_database_asks_for_the_upgrade(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    with pytest.raises(StartRefused) as refused:
        open_console(sqlite_url, load_settings())
    assert str(refused.value) == t("ui.start.outdated")


def test_an_unreachable_server_opens_offline_within_the_connect_timeout() -> None:
    started = time.monotonic()
    console, offline = open_console("postgresql+psycopg://agent@127.0.0.1:1/cs", load_settings())
    console.engine.dispose()
    assert offline
    assert time.monotonic() - started < CONNECT_TIMEOUT_S + 1


def test_a_server_that_never_answers_is_given_up_after_the_connect_timeout() -> None:
    """A host that takes the connection and says nothing (a hung server, a firewall that
    swallows the handshake): start-up waits the connect timeout (2 s), not the driver's
    default, then opens offline."""
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    started = time.monotonic()
    try:
        console, offline = open_console(
            f"postgresql+psycopg://agent@127.0.0.1:{port}/cs", load_settings()
        )
    finally:
        silent.close()
    waited = time.monotonic() - started
    console.engine.dispose()
    assert offline
    assert CONNECT_TIMEOUT_S <= 2 and waited < CONNECT_TIMEOUT_S + 1.5
