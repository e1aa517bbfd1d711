"""The ``cs-console`` entry point, and opening the console without loading typer.

``cs-console [--db URL] [--lang L] [--user NAME]`` (the agent's everyday start) is read here
directly: typer builds its parameters through pydantic, ~0.1 s before the first frame. Every
other command line (commands, --help, --version, anything unusual) goes to the typer
application in ``cli.main``, which opens the console the same way (``open_console_app``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from cs_console.cli.basics import (
    CliState,
    require_database_file,
    resolve_db_url,
    stdin_is_terminal,
)
from cs_console.i18n import LANGUAGES, resolve_language, set_language

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


def apply_root_options(
    db: str | None,
    lang: str | None,
    user: str | None,
    *,
    doctor: bool = False,
    console: bool = False,
) -> CliState:
    """Settings and language for this invocation; a broken policy stops a command.

    ``doctor`` reports a broken settings file or policy among its checks instead; the
    ``console`` reads the policy once, after its first frame, and names a broken file and
    key on its login screen (reading it here first would cost ~15 ms before that frame).
    """
    from cs_console.config.settings import SettingsError, load_settings

    load_settings.cache_clear()  # read settings.toml afresh for each invocation
    try:
        configured = load_settings().language
    except SettingsError:
        if not doctor:
            raise
        configured = None
    chosen = resolve_language(lang, configured)
    set_language(chosen)
    if not (doctor or console):
        from cs_console.config.policy_file import read_policy

        read_policy()  # names the file and the key
    return CliState(db=db, user=user, lang=chosen)


def open_console_app(options: CliState) -> None:
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


def run() -> None:
    """The ``cs-console`` entry point."""
    options = console_options(sys.argv[1:])
    if options is None:
        from cs_console.cli.main import app

        app()
        return
    try:
        state = apply_root_options(
            options.get("db"), options.get("lang"), options.get("user"), console=True
        )
        open_console_app(state)
    except (KeyboardInterrupt, EOFError):
        print("\nAborted!", file=sys.stderr)  # as typer says it
        sys.exit(1)
    except Exception as exc:
        from cs_console.cli.failures import describe_failure

        message = describe_failure(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        sys.exit(1)
