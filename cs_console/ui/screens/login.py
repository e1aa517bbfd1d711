"""Signing in: user name, password, Enter. Errors show under the fields, in plain words."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from cs_console.i18n import t
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput


class LoginScreen(Screen[None]):
    """The first screen when no login was given on the command line."""

    # styles/login.tcss is loaded with the app's styles (see CsConsoleApp.CSS_PATH)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "ui.key.sign_in", id="sign-in"),
        Binding("escape", "clear", "ui.key.clear", id="login-clear"),
    ]

    class Submitted(Message):
        """The person asked to sign in with these credentials."""

        def __init__(self, username: str, password: str) -> None:
            super().__init__()
            self.username, self.password = username, password

    def __init__(self, *, error: str = "", username: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self._error, self._username = error, username
        self.busy = False

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static(Text(t("ui.app.title")), id="login-title")
            yield Static(Text(t("ui.login.subtitle")), id="login-subtitle")
            yield Label(Text(t("ui.login.username")))
            yield CleanInput(self._username, id="username", compact=False)
            yield Label(Text(t("ui.login.password")))
            yield CleanInput(id="password", password=True, compact=False)
            yield Static("", id="login-error", markup=False)
            yield Static(Text(t("ui.login.hint")), id="login-hint")
        yield Footer()

    def on_mount(self) -> None:
        password = self.query_one("#password", Input)
        password.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        self.show_error(self._error)
        (password if self._username else self.query_one("#username")).focus()

    @property
    def username(self) -> str:
        return self.query_one("#username", Input).value.strip()

    def show_error(self, text: str) -> None:
        """An error under the fields; the password is cleared for the next try."""
        self.busy = False
        show_error(self.query_one("#login-error", Static), text)
        if text:
            self.query_one("#password", Input).value = ""
            if self.username:
                self.query_one("#password", Input).focus()

    def show_busy(self, text: str) -> None:
        self.busy = True
        error = self.query_one("#login-error", Static)
        error.update(Text(text))
        error.remove_class("-shown")

    @on(Input.Submitted, "#username")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        password = self.query_one("#password", Input).value
        if not self.username:
            self.show_error(t("ui.login.username_required"))
            self.query_one("#username").focus()
            return
        if not password:
            self.show_error(t("ui.login.password_required"))
            self.query_one("#password").focus()
            return
        self.show_busy(t("ui.login.signing_in"))
        self.post_message(self.Submitted(self.username, password))

    def action_clear(self) -> None:
        """Escape: empty both fields (nothing else is lost; ctrl+q quits)."""
        self.busy = False
        self.query_one("#username", Input).value = ""
        self.query_one("#password", Input).value = ""
        self.show_error("")
        self.query_one("#username").focus()
