"""The outage line: ⚠ the database server is unreachable (and how much waits in the outage
journal), or the journal is being sent; hidden once all is sent and the server answers.

Shown in the workspace's header and on the outlet counter; styled by the screens' ``#outage``
rules (``-offline``: red, ``-sending``: amber; hidden otherwise).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cs_console.i18n import t


class OutageLine(Static):
    """One line about the server and the outage journal."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def set_outage(self, waiting: int, offline: bool, since: str = "") -> bool:
        """Say what is known now (``since``: when the server was found away, as shown);
        True when something is shown."""
        sending = not offline and waiting > 0
        if offline and waiting:
            self.update(Text(t("journal.header.offline", count=waiting, since=since)))
        elif offline:
            self.update(Text(t("journal.header.unreachable", since=since)))
        elif sending:
            self.update(Text(t("journal.header.sending", count=waiting)))
        else:
            self.update("")
        self.set_class(offline, "-offline").set_class(sending, "-sending")
        return offline or sending
