"""``make_app``: the one way the CLI, the tests and the snapshots build the console app.

Importing this module costs nothing: textual and the app are imported when called, and
the storage layer only after the first paint (see ``ui.startup``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from cs_console.services.context import ServiceContext


def make_app(
    *,
    db_url: str | None = None,
    lang: str | None = None,
    username: str | None = None,
    password: str | None = None,
    console: ServiceContext | None = None,
) -> App[None]:
    """The console app.

    ``console`` (tests) is used as given, clock included; otherwise one is opened on
    ``db_url`` in a worker after the first paint. With ``username`` the workspace shows at
    once and signs in behind it, with ``password`` or else the login remembered in the OS
    keyring (looked up in that worker); when neither works, the login screen asks for the
    password, the name filled in. Without ``username`` the login screen shows.
    """
    from cs_console.i18n import set_language

    if lang:
        set_language(lang)
    from cs_console.ui.app import CsConsoleApp

    return CsConsoleApp(db_url=db_url, username=username, password=password, console=console)
