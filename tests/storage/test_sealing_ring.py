"""The data key as a ring (storage/sealing.py): a rotated key says which key sealed a
value, keeps the lookup secret, learns through the links, and a ring that cannot reach
the database's current key seals nothing more."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from cs_console.storage.sealing import DataKey, KeyChain, KeyMismatch, KeyRetired

COLUMN = "customers.name"


def test_a_rotated_key_prefixes_its_values_and_keeps_the_lookup() -> None:
    old = DataKey.generate()
    new = old.successor()

    legacy, rotated = old.seal("张伟", COLUMN), new.seal("张伟", COLUMN)

    assert "$" not in legacy and rotated.startswith(f"{new.key_id}$")
    assert new.lookup_hash("+8613812345678") == old.lookup_hash("+8613812345678")
    assert new.fingerprint != old.fingerprint
    with pytest.raises(KeyMismatch):
        new.open(legacy, COLUMN)
    with pytest.raises(KeyMismatch):
        old.open(rotated, COLUMN)
    kek = bytes(32)
    again = DataKey.unwrap(new.wrap(kek), kek)  # the lookup secret travels with the key
    assert again.open(rotated, COLUMN) == "张伟" and again.key_id == new.key_id


def test_a_ring_learns_the_new_key_and_seals_with_it() -> None:
    old = DataKey.generate()
    new = old.successor()
    session_key = DataKey.unwrap(old.wrap(bytes(32)), bytes(32))  # a session's own copy
    legacy = old.seal("李娜", COLUMN)

    session_key.learn(KeyChain(new.fingerprint, (new.wrap_for(old), old.wrap_for(new))))

    assert session_key.fingerprint == new.fingerprint
    assert session_key.seal("x", COLUMN).startswith(f"{new.key_id}$")
    assert session_key.open(legacy, COLUMN) == "李娜"
    assert session_key.open(new.seal("王芳", COLUMN), COLUMN) == "王芳"
    copy = session_key.detached()
    assert copy.open(legacy, COLUMN) == "李娜" and copy.fingerprint == new.fingerprint


def test_a_ring_that_cannot_reach_the_current_key_seals_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = DataKey.generate()
    newer = old.successor()
    calls: list[int] = []

    def database() -> KeyChain:  # the old key destroyed: no links left
        calls.append(1)
        return KeyChain(newer.fingerprint)

    old.follow(database)
    monkeypatch.setattr(DataKey, "FOLLOW_SECONDS", 0.0)  # asks at every seal
    with pytest.raises(KeyRetired):
        old.seal("张伟", COLUMN)
    with pytest.raises(KeyMismatch):  # a value of the new key: asked the database at once
        old.open(newer.seal("张伟", COLUMN), COLUMN)
    assert len(calls) == 2


def test_a_ring_whose_database_is_unreachable_seals_with_the_key_it_knows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What is typed during an outage goes to the journal sealed: asking the database
    whether the key was replaced must not fail the seal (seen as a walk-in lost to
    "server unreachable" when the ring's look fell during the outage)."""
    key = DataKey.generate()

    def database() -> KeyChain:
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    key.follow(database)
    monkeypatch.setattr(DataKey, "FOLLOW_SECONDS", 0.0)  # asks at every seal
    assert key.open(key.seal("张伟", COLUMN), COLUMN) == "张伟"

    def refusing() -> KeyChain:
        raise ValueError("not an outage")

    key.follow(refusing)
    with pytest.raises(ValueError):  # anything else is not swallowed
        key.seal("张伟", COLUMN)
