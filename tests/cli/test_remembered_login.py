"""The remembered login: the keyring asked in a thread, every failure meaning "none"."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from keyring.errors import KeyringError

from cs_console.config.remembered_login import KEYRING_SERVICE, remembered_password


def test_a_remembered_password_is_found(memory_keyring: Any) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "wangfang", "secret-pass-1")
    assert remembered_password("wangfang") == "secret-pass-1"
    assert remembered_password("lisi") is None
    assert remembered_password("") is None


def test_a_keyring_error_means_nothing_remembered(
    memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_service: str, _username: str) -> str:
        raise KeyringError("no backend")

    monkeypatch.setattr(memory_keyring, "get_password", broken)
    assert remembered_password("wangfang") is None


def test_a_hanging_keyring_is_abandoned_after_the_timeout(
    memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def hang(_service: str, _username: str) -> str:
        release.wait(10)
        return "too-late"

    monkeypatch.setattr(memory_keyring, "get_password", hang)
    start = time.monotonic()
    try:
        assert remembered_password("wangfang", timeout=0.2) is None
    finally:
        release.set()
    assert time.monotonic() - start < 2
