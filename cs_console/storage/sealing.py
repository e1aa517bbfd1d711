"""The data key: AES-256-GCM for personal data at rest, HMAC-SHA256 for lookups.

One random 32-byte data key per database. It is never stored in clear: each account keeps
it wrapped (AES-GCM) with a key derived from that person's password, each remembered login
with a key derived from its token, and the recovery key printed once at ``init`` wraps it
too. Two subkeys are derived from it (HMAC-SHA256 with a label, as HKDF-Expand does), one
to encrypt fields and one to compute the keyed hashes that find a customer by phone, so a
lookup key never doubles as an encryption key.

A sealed field is ``base64(nonce ‖ ciphertext ‖ tag)`` with a random 96-bit nonce and the
column's name as associated data (a value moved to another column does not open). An empty
field stays empty: it holds nothing personal, and the demo's million rows stay small.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
_NONCE_BYTES = 12
_WRAP_LABEL = b"cs-console data key v1"


class KeyMismatch(Exception):
    """A wrapped key or a sealed value did not open: wrong key, or the bytes were changed."""


def _subkey(key: bytes, label: bytes) -> bytes:
    return hmac.new(key, label, hashlib.sha256).digest()


class DataKey:
    """The unlocked data key of one signed-in session (kept in memory only)."""

    __slots__ = ("_aead", "_lookup", "_raw")

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        self._raw = raw
        self._aead = AESGCM(_subkey(raw, b"cs-console field encryption v1"))
        self._lookup = _subkey(raw, b"cs-console lookup hash v1")

    @classmethod
    def generate(cls) -> DataKey:
        """A fresh random data key."""
        return cls(secrets.token_bytes(KEY_BYTES))

    def __repr__(self) -> str:
        return "DataKey(<hidden>)"

    @property
    def fingerprint(self) -> str:
        """A public check value: tells which key sealed a database, reveals nothing of it."""
        return _subkey(self._raw, b"cs-console key fingerprint v1").hex()

    def seal(self, value: str, column: str) -> str:
        """``value`` encrypted for ``column`` (empty stays empty)."""
        if not value:
            return ""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode(), column.encode())
        return base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, column: str) -> str:
        """The clear value of a field sealed for ``column``; KeyMismatch if it does not open."""
        if not sealed:
            return ""
        try:
            raw = base64.b64decode(sealed)
            clear = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], column.encode())
        except (InvalidTag, ValueError) as exc:
            raise KeyMismatch(column) from exc
        return clear.decode()

    def lookup_hash(self, value: str) -> str:
        """The keyed hash (HMAC-SHA256, hex) a value is found by without decrypting."""
        return hmac.new(self._lookup, value.encode(), hashlib.sha256).hexdigest()

    def wrap(self, kek: bytes) -> str:
        """This key encrypted with a key-encryption key (from a password, token or recovery key)."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(kek).encrypt(nonce, self._raw, _WRAP_LABEL)
        return base64.b64encode(nonce + sealed).decode("ascii")

    @classmethod
    def unwrap(cls, wrapped: str, kek: bytes) -> DataKey:
        """The data key inside ``wrapped``; KeyMismatch when ``kek`` is not the one used."""
        try:
            raw = base64.b64decode(wrapped)
            key = AESGCM(kek).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _WRAP_LABEL)
        except (InvalidTag, ValueError) as exc:
            raise KeyMismatch("wrapped key") from exc
        return cls(key)


def token_kek(token: str) -> bytes:
    """The key-encryption key of a remembered-login token or a recovery key.

    Both are 256-bit random secrets, so one HMAC is enough (no slow KDF needed).
    """
    return _subkey(token.encode(), b"cs-console token kek v1")


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, to find it, never to reopen it."""
    return hashlib.sha256(token.encode()).hexdigest()
