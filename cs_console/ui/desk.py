"""What the workspace works with once someone is signed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the services layer (and sqlmodel) loads after the first paint
    from cs_console.domain.prohibited import ProhibitedItem
    from cs_console.domain.scripts import CallScript
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.journal.writes import JournalledWrites


@dataclass(frozen=True)
class Desk:
    """The console, the signed-in person, and the texts the call pane reads from."""

    console: ServiceContext
    actor: Actor
    company: str
    script: CallScript
    items: tuple[ProhibitedItem, ...]
    writes: JournalledWrites  # the write path that survives an outage (the journal)
