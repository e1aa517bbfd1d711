"""The tracking cache table: migration 0016 adds and removes it; answers replace older ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, inspect

from cs_console.storage.engine import read_session, write_session
from cs_console.storage.migrate import upgrade_to_head
from cs_console.storage.tracking_cache import cached_answer, store_answer
from tests.conftest import START
from tests.storage.test_migrate import _migrate, empty_engine  # noqa: F401  (the fixture)


def test_0016_adds_the_tracking_cache_and_takes_it_away_again(empty_engine: Engine) -> None:  # noqa: F811
    _migrate(empty_engine, "upgrade", "0014")
    assert "tracking_cache" not in inspect(empty_engine).get_table_names()
    _migrate(empty_engine, "upgrade", "0016")
    inspector = inspect(empty_engine)
    assert "tracking_cache" in inspector.get_table_names()
    unique = {u["name"] for u in inspector.get_unique_constraints("tracking_cache")}
    assert "uq_tracking_cache_provider_number" in unique
    _migrate(empty_engine, "downgrade", "0014")
    assert "tracking_cache" not in inspect(empty_engine).get_table_names()


def test_the_latest_answer_is_kept_and_read_while_fresh(empty_engine: Engine) -> None:  # noqa: F811
    upgrade_to_head(empty_engine)
    for minutes, payload in ((0, '{"first": 1}'), (10, '{"second": 2}')):
        with write_session(empty_engine) as session:
            store_answer(
                session=session,
                provider="kuaidi100",
                tracking_no="SF1311234567890",
                payload=payload,
                fetched_at=START + timedelta(minutes=minutes),
            )

    def read(since_minutes: int, provider: str = "kuaidi100") -> str | None:
        with read_session(empty_engine) as session:
            found = cached_answer(
                session=session,
                provider=provider,
                tracking_no="SF1311234567890",
                since=START + timedelta(minutes=since_minutes),
            )
        return None if found is None else found.payload

    assert read(5) == '{"second": 2}'
    assert read(11) is None
    assert read(0, provider="demo") is None
