"""Exactly once when a COMMIT's answer is lost: the server committed the write, the client
saw the connection drop and journalled it. The replay must find the write's idempotency
key (recorded in the write's own transaction, on its first attempt) and not apply it again.
On PostgreSQL, through a proxy on 127.0.0.1 that drops the connection after forwarding
COMMIT (tests/services/commit_proxy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import make_url

from cs_console.config.policy_file import default_policy
from cs_console.services.context import ServiceContext
from cs_console.services.journal.replay import replay_journal
from cs_console.services.journal.writes import JournalledWrites, open_journal
from cs_console.storage.engine import make_engine
from cs_console.storage.tables import AppliedWrite, Complaint
from tests.conftest import PG_URL, TEST_DATA_KEY, FakeClock, _emptied, add_person

from .commit_proxy import CommitProxy
from .helpers import count, distinct_form, rows

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="the lost-COMMIT proxy test needs PostgreSQL: set CS_CONSOLE_TEST_PG (a server URL)",
)


@pytest.fixture
def proxy(request: pytest.FixtureRequest) -> Iterator[tuple[CommitProxy, str]]:
    """The proxy in front of the test's (emptied) database, and the URL through it."""
    url = make_url(_emptied(request.getfixturevalue("pg_database")))
    proxy = CommitProxy(url.host or "127.0.0.1", url.port or 5432)
    through = url.set(host="127.0.0.1", port=proxy.port, query={"sslmode": "disable"})
    yield proxy, through.render_as_string(hide_password=False)
    proxy.close()


def test_a_complaint_whose_commit_answer_was_lost_is_registered_once(
    proxy: tuple[CommitProxy, str], clock: FakeClock
) -> None:
    commits, url = proxy
    engine = make_engine(url)
    console = ServiceContext(engine, default_policy(), ZoneInfo("Asia/Shanghai"), clock)
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    journal = open_journal(console)
    writes = JournalledWrites(console, journal)

    commits.arm()
    registered = writes.register_complaint(agent, distinct_form(1))

    assert commits.dropped == 1  # the COMMIT reached the server, its answer did not
    assert registered.pending and writes.offline  # to the client, a write the journal keeps
    assert count(console, Complaint) == 1  # ... that the server has all the same
    (entry,) = journal.pending()
    report = replay_journal(console, journal, TEST_DATA_KEY)

    assert not report.unreachable and report.failed == []
    assert count(console, Complaint) == 1  # not registered a second time
    (stored,) = [c.reference for c in rows(console, Complaint)]
    assert report.references == [stored]  # the replay answers with the server's complaint
    assert count(console, AppliedWrite, AppliedWrite.key == entry.key) == 1
    assert journal.pending_count() == 0
    journal.close()
    engine.dispose()
