"""The remembered login's keyring calls: in a thread, every failure meaning "none", never a
hang; with the in-memory backend, keyring's fail backend, the null backend and one that
hangs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backends import fail, null

from cs_console.config.remembered_login import (
    KEYRING_SERVICE,
    forget_token,
    remember_token,
    remembered_token,
)
from tests.conftest import MemoryKeyring


class HangingKeyring(MemoryKeyring):
    """A backend stuck on a broken D-Bus: every call waits until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(10)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(10)


@pytest.fixture
def hanging() -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()


def test_a_token_is_kept_found_and_forgotten(memory_keyring: MemoryKeyring) -> None:
    assert remember_token("wangfang", "token-1") is True
    assert memory_keyring.store[(KEYRING_SERVICE, "wangfang")] == "token-1"
    assert remembered_token("wangfang") == "token-1"
    assert remembered_token("lisi") is None
    assert remembered_token("") is None
    forget_token("wangfang")
    assert remembered_token("wangfang") is None


def test_the_fail_backend_remembers_nothing_and_raises_nothing() -> None:
    keyring.set_keyring(fail.Keyring())
    assert remember_token("wangfang", "token-1") is False
    assert remembered_token("wangfang") is None
    forget_token("wangfang")


def test_the_null_backend_that_drops_writes_is_noticed() -> None:
    keyring.set_keyring(null.Keyring())
    assert remember_token("wangfang", "token-1") is False


def test_a_hanging_keyring_is_abandoned_after_the_timeout(hanging: HangingKeyring) -> None:
    start = time.monotonic()
    assert remembered_token("wangfang", timeout=0.2) is None
    assert remember_token("wangfang", "token-1", timeout=0.2) is False
    forget_token("wangfang", timeout=0.2)
    assert time.monotonic() - start < 2


def test_the_default_timeout_can_be_shortened(
    hanging: HangingKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cs_console.config.remembered_login.KEYRING_TIMEOUT_S", 0.2)
    start = time.monotonic()
    assert remembered_token("wangfang") is None
    assert time.monotonic() - start < 2


def test_a_keyring_error_means_nothing_remembered(
    memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.errors import KeyringError

    def broken(_service: str, _username: str) -> str:
        raise KeyringError("no backend")

    monkeypatch.setattr(memory_keyring, "get_password", broken)
    assert remembered_token("wangfang") is None
