"""Twenty consoles (separate processes) registering complaints at the same moment."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

from cs_console.domain.enums import Role
from cs_console.services.context import ServiceContext
from cs_console.storage.engine import read_session
from cs_console.storage.tables import Complaint, Event
from tests.conftest import add_person

PASSWORD = "secret-pass-1"  # add_person's

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from register_worker import run_workers  # noqa: E402

WORKERS, EACH = 20, 5


def test_twenty_processes_lose_nothing_and_share_no_reference(console: ServiceContext, db_url: str):  # type: ignore[no-untyped-def]
    people = [add_person(console, f"agent{i}", Role.AGENT, agent_no=f"10{i:02d}") for i in range(4)]
    results = run_workers(db_url, [p.username for p in people], PASSWORD, WORKERS, EACH)
    errors = [e for r in results for e in r["errors"]]
    assert errors == []  # no "database is locked", no duplicate key, nothing refused
    references = [ref for r in results for ref in r["references"]]
    assert len(references) == WORKERS * EACH
    assert len(set(references)) == len(references)
    with read_session(console.engine) as session:
        stored = session.execute(select(Complaint.reference)).scalars().all()
        registered = session.execute(
            select(func.count()).select_from(Event).where(Event.kind == "registered")
        ).scalar_one()
    assert sorted(stored) == sorted(references)
    assert registered == WORKERS * EACH
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in references)
    assert numbers == list(range(1, WORKERS * EACH + 1))  # the day's sequence has no gap
