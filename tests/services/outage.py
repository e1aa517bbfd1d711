"""A database server that goes away and comes back, for the outage journal's tests.

``ServerGate(engine).down()`` closes the engine's pooled connections and makes every new
one fail as a driver does when the server is unreachable; ``up()`` lets them through again.
"""

from __future__ import annotations

from sqlalchemy import Engine, event


class ServerGate:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_down = False

    def _refuse(self, dialect, _record, _cargs, _params):  # type: ignore[no-untyped-def]
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
