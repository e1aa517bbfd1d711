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

A key made by a rotation (services.key_rotation) prefixes what it seals with its id
(``id$base64…``; ``$`` is not in base64's alphabet), so a value says which key sealed it;
it keeps the lookup secret of the key it replaced, so phone lookups do not change (README,
"Keys"). While a rotation runs a session's ``DataKey`` is a small ring of both keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
_NONCE_BYTES = 12
_WRAP_LABEL = b"cs-console data key v1"
_ID_CHARS = 8
_ID_MARK = "$"  # not in base64's alphabet: a prefix cannot be mistaken for a sealed value


class KeyMismatch(Exception):
    """A wrapped key or a sealed value did not open: wrong key, or the bytes were changed."""


def _subkey(key: bytes, label: bytes) -> bytes:
    return hmac.new(key, label, hashlib.sha256).digest()


@dataclass(frozen=True)
class KeyChain:
    """What a database says about its keys: the current key's fingerprint, and while a
    rotation runs the links between the old key and the new one (each wrapped under the
    other's chain key, storage.key_rotation)."""

    fingerprint: str
    links: tuple[str, ...] = ()


class KeyRetired(KeyMismatch):
    """This session's key was replaced and destroyed since it signed in: sign in again."""


class _Key:
    """One data key's material: its field cipher, its lookup secret and its id."""

    __slots__ = ("aead", "audit", "fingerprint", "key_id", "lookup", "raw", "rotated")

    def __init__(self, raw: bytes, lookup: bytes | None) -> None:
        if len(raw) != KEY_BYTES or (lookup is not None and len(lookup) != KEY_BYTES):
            raise ValueError("a data key is 32 bytes")
        self.raw, self.rotated = raw, lookup is not None
        self.aead = AESGCM(_subkey(raw, b"cs-console field encryption v1"))
        self.lookup = lookup if lookup is not None else _subkey(raw, b"cs-console lookup hash v1")
        # Of the lookup secret, which a rotation keeps: audit seals check across rotations.
        self.audit = _subkey(self.lookup, b"cs-console audit seal v1")
        self.fingerprint = _subkey(raw, b"cs-console key fingerprint v1").hex()
        # A database's first key seals without a prefix (as it always did); a key made by a
        # rotation prefixes what it seals with its id, so a value says which key sealed it.
        self.key_id = self.fingerprint[:_ID_CHARS] if self.rotated else ""

    def material(self) -> bytes:
        return self.raw + self.lookup if self.rotated else self.raw

    def chain_kek(self) -> bytes:
        return _subkey(self.raw, b"cs-console key chain v1")


class DataKey:
    """The unlocked data key of one signed-in session (kept in memory only).

    During a rotation it is a small ring: it seals with the newest key it knows and opens
    what any of its keys sealed. ``follow`` lets it learn, from the database, a key that
    replaced it while the session runs (a console signed in before the rotation began).
    """

    FOLLOW_SECONDS = 5.0
    """How often a following key asks the database whether it was replaced (on a seal)."""

    __slots__ = ("_checked", "_current", "_keys", "_lock", "_source", "_stale")

    def __init__(self, raw: bytes, lookup: bytes | None = None) -> None:
        key = _Key(raw, lookup)
        self._current = key
        self._keys: dict[str, _Key] = {key.key_id: key}
        self._lock = threading.Lock()
        self._source: Callable[[], KeyChain] | None = None
        self._checked = 0.0
        self._stale = False

    @classmethod
    def generate(cls) -> DataKey:
        """A fresh random data key."""
        return cls(secrets.token_bytes(KEY_BYTES))

    def successor(self) -> DataKey:
        """A new random key to rotate to: new field encryption, the same lookup secret (phone
        lookups keep working through a rotation; README, "Keys"), an id of its own."""
        while True:
            key = DataKey(secrets.token_bytes(KEY_BYTES), self._current.lookup)
            if key.key_id not in self._keys:
                return key

    def __repr__(self) -> str:
        return "DataKey(<hidden>)"

    @property
    def fingerprint(self) -> str:
        """A public check value: tells which key sealed a database, reveals nothing of it."""
        return self._current.fingerprint

    @property
    def key_id(self) -> str:
        """The prefix this key seals with ("" for a database's first key)."""
        return self._current.key_id

    def detached(self) -> DataKey:
        """A copy of this ring that learns on its own (the session it came from is left as
        it was)."""
        current = self._current
        copy = DataKey(current.raw, current.lookup if current.rotated else None)
        copy._keys = dict(self._keys)
        return copy

    def seal(self, value: str, column: str) -> str:
        """``value`` encrypted for ``column`` (empty stays empty)."""
        if not value:
            return ""
        self._follow(force=False)
        if self._stale:
            raise KeyRetired(column)
        key = self._current
        nonce = os.urandom(_NONCE_BYTES)
        sealed = base64.b64encode(nonce + key.aead.encrypt(nonce, value.encode(), column.encode()))
        return f"{key.key_id}{_ID_MARK}{sealed.decode('ascii')}" if key.key_id else sealed.decode()

    def open(self, sealed: str, column: str) -> str:
        """The clear value of a field sealed for ``column``; KeyMismatch if it does not open."""
        if not sealed:
            return ""
        key_id, _, body = sealed.rpartition(_ID_MARK)
        key = self._keys.get(key_id)
        if key is None:
            self._follow(force=True)
            key = self._keys.get(key_id)
        if key is None:
            raise KeyMismatch(column)
        try:
            raw = base64.b64decode(body)
            clear = key.aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], column.encode())
        except (InvalidTag, ValueError) as exc:
            raise KeyMismatch(column) from exc
        return clear.decode()

    def lookup_hash(self, value: str) -> str:
        """The keyed hash (HMAC-SHA256, hex) a value is found by without decrypting."""
        return hmac.new(self._current.lookup, value.encode(), hashlib.sha256).hexdigest()

    def audit_seal(self, digest: str) -> str:
        """The seal of an audit entry whose unsealed hash is ``digest`` (HMAC-SHA256, hex).

        Keyed by the lookup secret, which every key of a database keeps through rotations,
        so an entry sealed before a rotation still checks after it."""
        return hmac.new(self._current.audit, digest.encode("ascii"), hashlib.sha256).hexdigest()

    def wrap(self, kek: bytes) -> str:
        """The current key encrypted with a key-encryption key (from a password, a token, the
        recovery key or another data key's chain key)."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(kek).encrypt(nonce, self._current.material(), _WRAP_LABEL)
        return base64.b64encode(nonce + sealed).decode("ascii")

    @classmethod
    def unwrap(cls, wrapped: str, kek: bytes) -> DataKey:
        """The data key inside ``wrapped``; KeyMismatch when ``kek`` is not the one used."""
        try:
            raw = base64.b64decode(wrapped)
            key = AESGCM(kek).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _WRAP_LABEL)
        except (InvalidTag, ValueError) as exc:
            raise KeyMismatch("wrapped key") from exc
        return cls(key[:KEY_BYTES], key[KEY_BYTES:] or None)

    def wrap_for(self, other: DataKey) -> str:
        """This ring's current key wrapped under ``other``'s chain key (a rotation's link)."""
        return self.wrap(other._current.chain_kek())

    def learn(self, chain: KeyChain) -> None:
        """Take every key the chain's links open with a key this ring holds (repeatedly, so
        old → new → newer works), then seal with the chain's current key if it is known;
        a ring that cannot reach the current key seals nothing more (KeyRetired)."""
        with self._lock:
            found = True
            while found:
                found = False
                for link in chain.links:
                    for key in list(self._keys.values()):
                        try:
                            learned = DataKey.unwrap(link, key.chain_kek())._current
                        except KeyMismatch:
                            continue
                        if learned.key_id not in self._keys:
                            self._keys[learned.key_id] = learned
                            found = True
            current = [k for k in self._keys.values() if k.fingerprint == chain.fingerprint]
            if current:
                self._current, self._stale = current[0], False
            else:
                self._stale = True

    def follow(self, source: Callable[[], KeyChain]) -> None:
        """Ask ``source`` (the database) now and then whether this key was replaced."""
        self._source = source
        self._checked = time.monotonic()

    def refresh(self) -> None:
        """Ask the database now (when following it) whether this key was replaced: before
        wrapping it for someone, so a session from before a rotation wraps the new key."""
        self._follow(force=True)

    def _follow(self, *, force: bool) -> None:
        source = self._source
        if source is None:
            return
        now = time.monotonic()
        if not force and now - self._checked < self.FOLLOW_SECONDS:
            return
        self._checked = now
        try:
            chain = source()
        except Exception as error:
            from cs_console.storage.engine import server_unreachable

            # A server that does not answer tells of no rotation: what is typed meanwhile
            # is sealed (into the outage journal) with the key known, the next look asks.
            if not server_unreachable(error):
                raise
            return
        self.learn(chain)


def token_kek(token: str) -> bytes:
    """The key-encryption key of a remembered-login token or a recovery key.

    Both are 256-bit random secrets, so one HMAC is enough (no slow KDF needed).
    """
    return _subkey(token.encode(), b"cs-console token kek v1")


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, to find it, never to reopen it."""
    return hashlib.sha256(token.encode()).hexdigest()
