"""The passwords a command needs: the acting person's, and a new account's.

The acting person's comes from the remembered login in the OS keyring, else
CS_CONSOLE_PASSWORD, else a prompt when stdin is a terminal; a new account's from the first
line of stdin (--password-stdin), or typed twice on a terminal. Nothing ever prompts a pipe.
"""

from __future__ import annotations

import os
import sys

from cs_console.cli.common import fail, stdin_is_terminal
from cs_console.config.language import t
from cs_console.config.remembered_login import KEYRING_SERVICE, remembered_password

__all__ = ["KEYRING_SERVICE", "acting_password", "keyring_password", "new_password"]

KEYRING_TIMEOUT_S = 2.0
PASSWORD_ENV = "CS_CONSOLE_PASSWORD"


def keyring_password(username: str, timeout: float | None = None) -> str | None:
    """The remembered password of ``username``, or None (no backend, error, or no answer).

    Asked in a daemon thread abandoned after ``timeout`` seconds (``remembered_login``).
    """
    return remembered_password(username, KEYRING_TIMEOUT_S if timeout is None else timeout)


def acting_password(username: str) -> str:
    """The password of the person a command acts for.

    The remembered login in the OS keyring, else CS_CONSOLE_PASSWORD, else a prompt when
    stdin is a terminal; otherwise the command refuses (it never prompts a pipe).
    """
    remembered = keyring_password(username)
    if remembered:
        return remembered
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
