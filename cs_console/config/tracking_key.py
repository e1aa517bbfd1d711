"""The tracking provider's key: in the OS keyring (``cs-console tracking set-key``), else in
CS_CONSOLE_TRACKING_KEY; never in settings.toml.

One entry per provider account: service ``cs-console-tracking``, name ``kuaidi100:<customer>``.
keyring runs in a thread abandoned after a timeout, as for the database password
(config/db_password.py): it can hang on a broken D-Bus, and headless Linux has none.
"""

from __future__ import annotations

import os

from cs_console.config.db_password import KEYRING_TIMEOUT_S, DbPasswordError, in_thread

TRACKING_KEYRING_SERVICE = "cs-console-tracking"
TRACKING_KEY_ENV = "CS_CONSOLE_TRACKING_KEY"


def key_entry(provider: str, customer: str) -> str:
    """The keyring user name of a provider account."""
    return f"{provider}:{customer}"


def store_tracking_key(entry: str, key: str, timeout: float = KEYRING_TIMEOUT_S) -> str:
    """Keep ``key`` for ``entry`` in the keyring; the backend's name is returned.

    Raises ``DbPasswordError`` (``no_keyring``, ``keyring_error``, ``timeout``) as
    ``config.db_password.store_db_password`` does.
    """

    def store() -> str:
        import keyring
        from keyring.backends import fail, null
        from keyring.errors import KeyringError

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            raise DbPasswordError("no_keyring", backend=type(backend).__name__)
        try:
            keyring.set_password(TRACKING_KEYRING_SERVICE, entry, key)
        except KeyringError as exc:  # its message may quote the key: only its kind
            raise DbPasswordError("keyring_error", detail=type(exc).__name__) from None
        return f"{type(backend).__module__}.{type(backend).__name__}"

    return in_thread(store, timeout)


def tracking_key(entry: str, timeout: float = KEYRING_TIMEOUT_S) -> str | None:
    """The key kept for ``entry`` in the keyring, else CS_CONSOLE_TRACKING_KEY, else None."""

    def look() -> str | None:
        import keyring

        return keyring.get_password(TRACKING_KEYRING_SERVICE, entry)

    try:
        kept = in_thread(look, timeout)
    except Exception:  # no backend, a refusal, no answer: as if none were kept
        kept = None
    return kept or os.environ.get(TRACKING_KEY_ENV) or None
