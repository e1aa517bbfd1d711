"""Signing a command's person in, and the passwords a command needs.

The acting person signs in with the remembered login in the OS keyring (a session token,
services.sessions), else with a password: CS_CONSOLE_PASSWORD, else a prompt when stdin is
a terminal. A new account's password comes from the first line of stdin
(--password-stdin), or typed twice on a terminal. Nothing ever prompts a pipe.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from cs_console.cli.refusals import fail
from cs_console.cli.terminals import stdin_is_terminal
from cs_console.config import remembered_login
from cs_console.i18n import t

if TYPE_CHECKING:
    from cs_console.services.accounts import Login
    from cs_console.services.context import ServiceContext

__all__ = ["KEYRING_SERVICE", "acting_login", "acting_password", "new_password"]

KEYRING_SERVICE = remembered_login.KEYRING_SERVICE
PASSWORD_ENV = "CS_CONSOLE_PASSWORD"


def acting_login(console: ServiceContext, username: str) -> Login:
    """Sign the person a command acts for in: their remembered login while it holds (a
    token that no longer does is forgotten), else their password (``acting_password``)."""
    from cs_console.services.accounts import authenticate
    from cs_console.services.context import ServiceError
    from cs_console.services.sessions import authenticate_token

    token = remembered_login.remembered_token(username)
    if token:
        try:
            return authenticate_token(console, username, token)
        except ServiceError:
            remembered_login.forget_token(username)
    return authenticate(console, username, acting_password(username))


def acting_password(username: str) -> str:
    """The password of the person a command acts for.

    CS_CONSOLE_PASSWORD, else a prompt when stdin is a terminal; otherwise the command
    refuses (it never prompts a pipe).
    """
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if stdin_is_terminal():
        import getpass

        return getpass.getpass(t("cli.password_prompt", user=username))
    fail("cli.password_unavailable", user=username, env=PASSWORD_ENV)


def new_password(password_stdin: bool) -> str:
    """A new account's password: the first line of stdin, or typed twice on a terminal."""
    if password_stdin:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        password = line.rstrip("\r\n")
        if not password:
            fail("cli.password_stdin_empty")
        return password
    if not stdin_is_terminal():
        fail("cli.password_stdin_required")
    import getpass

    first = getpass.getpass(t("cli.new_password_prompt"))
    if getpass.getpass(t("cli.repeat_password_prompt")) != first:
        fail("cli.passwords_differ")
    return first
