"""Opening the console: from the root options alone, without loading typer.

``cs-console [--db URL] [--lang L] [--user NAME]`` (the agent's everyday start) is read here
directly (``console_options``): typer builds its parameters through pydantic, ~0.1 s before
the first frame. The typer application (``cli.commands``) opens the console the same way
(``open_console_app``) when no command is given with other options.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cs_console.cli.database_urls import require_database_file, resolve_db_url
from cs_console.cli.root_options import RootOptions
from cs_console.cli.terminals import stdin_is_terminal
from cs_console.i18n import LANGUAGES

PASSWORD_ENV = "CS_CONSOLE_PASSWORD"
_ROOT_OPTIONS = ("--db", "--lang", "--user")


def console_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The root options (db, lang, user) when ``argv`` only opens the console; else None."""
    found: dict[str, str] = {}
    args = list(argv)
    while args:
        name, equals, value = args.pop(0).partition("=")
        if name not in _ROOT_OPTIONS or name in found:
            return None
        if not equals:
            if not args:
                return None
            value = args.pop(0)
        if value.startswith("-"):
            return None  # let typer word whatever this is
        found[name] = value
    if found.get("--lang", LANGUAGES[0]) not in LANGUAGES:
        return None
    return {name.removeprefix("--"): value for name, value in found.items()}


def open_console_app(options: RootOptions) -> None:
    """Resolve the database, then run the Textual console (imported only now).

    The password is not looked for here: with ``--user`` the workspace shows at once and
    signs in from a thread after its first frame, with CS_CONSOLE_PASSWORD or else the
    remembered login (the keyring), else it asks on the login screen. Off a terminal there
    is no one to ask, so the password must be found before (keyring, else a refusal).
    """
    url = resolve_db_url(options.db)
    require_database_file(url)
    password = (os.environ.get(PASSWORD_ENV) or None) if options.user else None
    if options.user and password is None and not stdin_is_terminal():
        from cs_console.config.remembered_login import remembered_token

        if remembered_token(options.user) is None:  # else the app signs in with it
            from cs_console.cli.passwords import acting_password

            password = acting_password(options.user)
    from cs_console.ui.factory import make_app

    make_app(db_url=url, lang=options.lang, username=options.user, password=password).run()
