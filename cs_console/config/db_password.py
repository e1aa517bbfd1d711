"""The PostgreSQL password kept in the OS keyring (``cs-console db set-password``).

One entry per server account and database: service ``cs-console-db``, name
``user@host:port/dbname``. The engine asks for it when a URL has no password, so the
password never has to be typed into a URL, a settings file or a shell history. keyring
is called in a daemon thread abandoned after ``timeout`` seconds: it can hang on a broken
D-Bus, and headless Linux has no backend at all (docs/pitfalls.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

DB_KEYRING_SERVICE = "cs-console-db"
KEYRING_TIMEOUT_S = 5.0

T = TypeVar("T")


class DbPasswordError(Exception):
    """The keyring refused or did not answer; ``code`` is an i18n key under ``dbpass.``."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.details = code, details


def keyring_entry(user: str | None, host: str | None, port: int | None, database: str) -> str:
    """The keyring user name for a server account and database."""
    return f"{user or ''}@{host or 'localhost'}:{port or 5432}/{database}"


def in_thread(call: Callable[[], T], timeout: float) -> T:
    """``call()`` in a daemon thread, abandoned after ``timeout`` seconds (a keyring can
    hang on a broken D-Bus): its result, or what it raised, or ``DbPasswordError("timeout")``."""
    answered: list[T] = []
    failed: list[Exception] = []

    def run() -> None:
        try:
            answered.append(call())
        except Exception as exc:  # handed to the caller's thread below
            failed.append(exc)

    thread = threading.Thread(target=run, name="cs-console-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if failed:
        raise failed[0]
    if not answered:
        raise DbPasswordError("timeout", seconds=timeout)
    return answered[0]


def store_db_password(entry: str, password: str, timeout: float | None = None) -> str:
    """Keep ``password`` for ``entry`` in the keyring; the backend's name is returned.

    Raises ``DbPasswordError``: ``no_keyring`` (no backend, or one that drops writes),
    ``keyring_error`` (the backend refused), ``timeout`` (no answer in ``timeout`` s,
    by default ``KEYRING_TIMEOUT_S``).
    """

    def store() -> str:
        import keyring
        from keyring.backends import fail, null
        from keyring.errors import KeyringError, NoKeyringError

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            raise DbPasswordError("no_keyring", backend=type(backend).__name__)
        try:
            keyring.set_password(DB_KEYRING_SERVICE, entry, password)
        except NoKeyringError:
            raise DbPasswordError("no_keyring", backend=type(backend).__name__) from None
        except KeyringError as exc:
            # The message of a backend error may quote what it was given: only its kind.
            raise DbPasswordError("keyring_error", detail=type(exc).__name__) from None
        return f"{type(backend).__module__}.{type(backend).__name__}"

    return in_thread(store, KEYRING_TIMEOUT_S if timeout is None else timeout)


def stored_db_password(entry: str, timeout: float | None = None) -> str | None:
    """The password kept for ``entry``, or None (none kept, no backend, error, no answer)."""

    def look() -> str | None:
        import keyring

        return keyring.get_password(DB_KEYRING_SERVICE, entry)

    try:
        return in_thread(look, KEYRING_TIMEOUT_S if timeout is None else timeout) or None
    except Exception:  # a keyring that fails here means "no password kept": the server says
        return None
