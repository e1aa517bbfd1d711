"""The remembered login: a password kept in the OS keyring, one entry per user name.

keyring is imported only when a password is asked for (importing it and discovering the
backend costs ~0.1 s), and asked in a daemon thread abandoned after ``timeout`` seconds:
it can hang on a broken D-Bus, and headless Linux has no backend at all (PITFALLS.md).
Every keyring error means "nothing remembered"; the caller then asks the person.
"""

from __future__ import annotations

import threading

KEYRING_SERVICE = "cs-console"


def remembered_password(username: str, timeout: float = 2.0) -> str | None:
    """The password remembered for ``username``, or None (none, no backend, error, no answer).

    Blocks for at most ``timeout`` seconds: call it from a thread worker or the command line,
    never on the UI's event loop.
    """
    if not username:
        return None
    found: list[str | None] = []

    def ask() -> None:
        try:
            import keyring

            found.append(keyring.get_password(KEYRING_SERVICE, username))
        except Exception:  # KeyringError, a broken backend, D-Bus errors: nothing remembered
            found.append(None)

    thread = threading.Thread(target=ask, name="cs-console-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    password = found[0] if found else None
    return password or None
