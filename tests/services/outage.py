"""A database server that goes away and comes back, for the outage journal's tests.

``ServerGate(engine).down()`` closes the engine's pooled connections and makes every new
one fail as a driver does when the server is unreachable; ``up()`` lets them through again.
The fixtures ``gate`` (the test console's server, up again after the test) and ``writes``
(the write path with its journal) are imported by the journal's test modules (as
``gate_fixture`` and ``writes_fixture``: a test's parameter does not shadow the import).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from cs_console.services.context import ServiceContext
from cs_console.services.journal.writes import JournalledWrites, open_journal


class ServerGate:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_down = False

    def _refuse(self, dialect: Any, _record: object, _cargs: object, _params: object) -> None:
        raise dialect.loaded_dbapi.OperationalError("connection refused (test outage)")

    def down(self) -> None:
        if not self.is_down:
            event.listen(self.engine, "do_connect", self._refuse)
            self.is_down = True
        self.engine.dispose()

    def up(self) -> None:
        if self.is_down:
            event.remove(self.engine, "do_connect", self._refuse)
            self.is_down = False


@pytest.fixture(name="gate")
def gate_fixture(console: ServiceContext) -> Iterator[ServerGate]:
    gate = ServerGate(console.engine)
    yield gate
    gate.up()


@pytest.fixture(name="writes")
def writes_fixture(console: ServiceContext) -> Iterator[JournalledWrites]:
    journal = open_journal(console)
    yield JournalledWrites(console, journal)
    journal.close()
