"""Password hashing with scrypt, a memory-hard KDF from the standard library.

One derivation gives 64 bytes: the first half is the verifier kept in ``password_hash``,
the second half the key that wraps the data key for this account (storage.sealing). The
two halves are independent PBKDF2 blocks, so the stored verifier tells nothing of the
wrapping key, and a login costs one scrypt, not two.

Cost: N=2^15, r=8, p=1, 32 MiB of memory per guess: today's guidance for interactive
logins (Go's x/crypto/scrypt recommends exactly these since 2017; scrypt's 2009 paper used
2^14). Measured at 0.22 s median, 0.25 s at worst for the derivation on the 2-core test
machine under load, so a sign-in stays within 300 ms at p95 (``scripts/bench.py --only
login``). These are not policy a company tunes but the security floor of the program,
hence constants here and not in policy.toml; ``maxmem`` (64 MiB) leaves room for this cost
only, a higher one must raise it. Hashes are self-describing: older ones still verify, and
``needs_rehash`` tells sign-in to re-hash them at the current cost (2^13 before issue 14;
``scrypt$…``, 32 bytes and no wrapping key, before migration 0003).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P = 2**15, 8, 1  # the current cost; see the module's docstring
_SCHEME = "scrypt-kek"  # verifier + key-encryption key from one derivation
_LEGACY = "scrypt"  # verifier only (before migration 0003)
_HALF = 32


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2**26)


def hash_password(password: str) -> tuple[str, bytes]:
    """(a self-describing hash of ``password`` with a fresh salt, its key-encryption key)."""
    salt = secrets.token_bytes(16)
    derived = _scrypt(password, salt, _N, _R, _P, 2 * _HALF)
    stored = "$".join(
        [
            _SCHEME,
            str(_N),
            str(_R),
            str(_P),
            base64.b64encode(salt).decode(),
            base64.b64encode(derived[:_HALF]).decode(),
        ]
    )
    return stored, derived[_HALF:]


def password_kek(password: str, stored: str) -> bytes | None:
    """The key-encryption key when ``password`` matches ``stored`` (constant time), else None.

    A legacy hash that matches gives ``b""``: the password is right but wraps nothing.
    """
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme not in (_SCHEME, _LEGACY):
            return None
        expected = base64.b64decode(digest)
        length = len(expected) * (2 if scheme == _SCHEME else 1)
        derived = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), length)
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(derived[: len(expected)], expected):
        return None
    return derived[len(expected) :]


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made at another cost or scheme than hash_password's today
    (then, once its password is known to be right, it should be hashed again)."""
    return not stored.startswith(f"{_SCHEME}${_N}${_R}${_P}$")


DUMMY_HASH = f"{_SCHEME}${_N}${_R}${_P}$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"
"""Verified against when no account matches, so an unknown name costs as much as a known one."""


def derivation_of(stored: str) -> str | None:
    """``stored``'s scheme, cost and salt without its verifier (what derives the same
    verifier and key-encryption key again: ``derive``), or None for a hash that wraps no key."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        return None
    return "$".join(parts[:5])


def derive(password: str, derivation: str) -> tuple[bytes, bytes]:
    """(verifier, key-encryption key) of ``password`` under ``derivation`` (derivation_of):
    the one scrypt a sign-in costs, made without the stored verifier at hand."""
    try:
        scheme, n, r, p, salt = derivation.split("$")
        if scheme != _SCHEME:
            raise ValueError(scheme)
        derived = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), 2 * _HALF)
    except (ValueError, TypeError):
        derived = _scrypt(password, b"\0" * 16, _N, _R, _P, 2 * _HALF)  # same cost, no match
        return b"", derived[_HALF:]
    return derived[:_HALF], derived[_HALF:]
