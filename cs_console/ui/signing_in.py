"""Signing in, the app's side: a password or the remembered login, online or, while the
database server is unreachable, from what this machine kept (services/journal/sign_ins.py).

``SigningIn`` is a part of the app class (``CsConsoleApp``): its worker runs the services
and posts ``SignedIn`` or ``SignInFailed``; after an online sign-in it keeps what an offline
one will need, sends the sign-ins tried offline, remembers the login for the shift and
checks the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from cs_console.i18n import t
from cs_console.ui.messages import SignedIn, SignInFailed, describe_error

if TYPE_CHECKING:
    from cs_console.services.accounts import Login
    from cs_console.services.context import ServiceContext
    from cs_console.services.journal.writes import JournalledWrites


def password_login(writes: JournalledWrites, username: str, password: str) -> Login:
    """Sign in at the server; when it does not answer, from what this machine kept."""
    from cs_console.services.accounts import authenticate
    from cs_console.services.journal.sign_ins import offline_sign_in
    from cs_console.services.journal.writes import is_outage

    try:
        return authenticate(writes.console, username, password)
    except Exception as error:
        if not is_outage(error):
            raise
        writes.offline = True
    return offline_sign_in(writes.console, writes.journal, username, password)


def keep_for_offline(writes: JournalledWrites, login: Login) -> None:
    """After an online sign-in (in its worker): send what was tried offline, and keep this
    sign-in for the offline window. Neither may stop the person working."""
    from cs_console.services.journal.sign_ins import keep_sign_in, send_offline_sign_ins

    if login.offline:
        return
    try:
        send_offline_sign_ins(writes.console, writes.journal, login.actor.data_key)
        keep_sign_in(writes.console, writes.journal, login.actor)
    except Exception:  # the server went away again: the next sign-in keeps it
        return


class SigningIn(App[None]):
    """The sign-in worker of the console app."""

    service_console: ServiceContext | None
    _writes: JournalledWrites | None
    _keyring_told: bool

    @work(thread=True, exclusive=True, group="sign-in")
    def _sign_in(self, username: str, password: str | None) -> None:
        """Sign in; without a password, with the login remembered in the OS keyring.

        A password login that needs no change is remembered for the shift (a token in the
        keyring); where no keyring works the person is told once, and asked each start.
        While the server is away a remembered login is kept (it needs the server) and the
        password is asked: the offline sign-in checks it.
        """
        from cs_console.config import remembered_login
        from cs_console.services.journal.writes import is_outage
        from cs_console.services.sessions import authenticate_token

        assert self.service_console is not None and self._writes is not None
        console, writes = self.service_console, self._writes
        if password is None:
            token = remembered_login.remembered_token(username)
            remembered = None
            if token is not None:
                try:
                    remembered = authenticate_token(console, username, token)
                except Exception as error:  # ended or refused: forgotten, the password asked
                    if is_outage(error):
                        writes.offline = True
                    else:
                        remembered_login.forget_token(username)
            # Nothing (valid) remembered: ask, with the name filled in.
            self.post_message(SignedIn(remembered) if remembered else SignInFailed(""))
            if remembered:
                keep_for_offline(writes, remembered)
                self._watch_audit_trail(remembered)
            return
        try:
            login = password_login(writes, username, password)
        except Exception as exc:
            self.post_message(SignInFailed(describe_error(exc)))
            return
        self.post_message(SignedIn(login))  # the workspace first; remembering can follow
        if login.offline:
            return
        keep_for_offline(writes, login)
        if not login.must_change_password:
            self._remember(login)
        self._watch_audit_trail(login)

    @work(thread=True, group="keep-sign-in")
    def _keep_changed_password(self, login: Login) -> None:
        """The password was just changed: what an offline sign-in checks is the new one."""
        assert self._writes is not None
        keep_for_offline(self._writes, login)

    def _watch_audit_trail(self, login: Login) -> None:
        """After a sign-in (in its worker): keep this machine's daily anchor of the audit
        trail, and tell an administrator or supervisor if the trail is broken."""
        from cs_console.services.audit_anchors import daily_anchor
        from cs_console.services.audit_checks import audit_alarm

        assert self.service_console is not None
        daily_anchor(self.service_console)
        try:
            alarm = audit_alarm(self.service_console, login.actor)
        except Exception:  # a check that fails is reported by doctor, never blocks work
            return
        if alarm is not None:
            self.call_from_thread(
                self.notify, alarm.describe(), markup=False, severity="error", timeout=60
            )

    def _remember(self, login: Login) -> None:
        """Keep a token for the shift in the OS keyring (called from the sign-in worker)."""
        from cs_console.config import remembered_login
        from cs_console.services.sessions import forget_login, remember_login

        assert self.service_console is not None
        try:
            token = remember_login(self.service_console, login.actor)
        except Exception:  # the session row could not be written: nothing is remembered
            return
        if not remembered_login.remember_token(login.actor.username, token):
            forget_login(self.service_console, token)
            if not self._keyring_told:
                self._keyring_told = True
                self.call_from_thread(
                    self.notify, t("ui.remember.no_keyring"), markup=False, severity="warning"
                )
