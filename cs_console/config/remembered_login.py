"""The remembered login: a session token kept in the OS keyring, one entry per user name.

The token (services.sessions) signs its person in for one shift and unlocks the data key;
the keyring is the only place it is written (never a file). keyring is imported only when
asked (importing it and discovering the backend costs ~0.1 s), and every call runs in a
daemon thread abandoned after ``timeout`` seconds: it can hang on a broken D-Bus, and
headless Linux has no backend at all (docs/pitfalls.md). Every failure means "nothing
remembered"; the caller then asks for the password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cs_console.config.db_password import in_thread

KEYRING_SERVICE = "cs-console"
KEYRING_TIMEOUT_S = 2.0

T = TypeVar("T")


def _in_thread(call: Callable[[], T], timeout: float | None) -> tuple[bool, T | None]:
    """(True, result) when ``call`` returned within ``timeout``; (False, None) when it
    raised (KeyringError, a broken backend, D-Bus errors) or did not answer in time
    (``timeout`` seconds, by default ``KEYRING_TIMEOUT_S``)."""
    try:
        return True, in_thread(call, KEYRING_TIMEOUT_S if timeout is None else timeout)
    except Exception:
        return False, None


def remembered_token(username: str, timeout: float | None = None) -> str | None:
    """The token remembered for ``username``, or None (none, no backend, error, no answer).

    Blocks for at most ``timeout`` seconds: call it from a thread worker or the command line,
    never on the UI's event loop.
    """
    if not username:
        return None

    def ask() -> str | None:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, username)

    _ok, token = _in_thread(ask, timeout)
    return token or None


def remember_token(username: str, token: str, timeout: float | None = None) -> bool:
    """Keep ``token`` for ``username``; False when no keyring works here.

    Read back after writing: keyring's null backend accepts writes and keeps nothing.
    """

    def store() -> bool:
        import keyring

        keyring.set_password(KEYRING_SERVICE, username, token)
        return keyring.get_password(KEYRING_SERVICE, username) == token

    ok, stored = _in_thread(store, timeout)
    return bool(ok and stored)


def forget_token(username: str, timeout: float | None = None) -> None:
    """Remove what the keyring remembers for ``username`` (best effort)."""

    def delete() -> None:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, username)

    _in_thread(delete, timeout)
