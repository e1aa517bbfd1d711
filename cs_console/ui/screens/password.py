"""Changing a password that has expired or was set by an administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from cs_console.i18n import t
from cs_console.ui.messages import describe_error
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.field_error import show_error
from cs_console.ui.widgets.fields import CleanInput

if TYPE_CHECKING:
    from cs_console.services.context import ServiceContext


class ChangePasswordScreen(ModalScreen[bool]):
    """Old password, new password twice; dismisses True once changed, False on Escape."""

    CSS_PATH = "../styles/modals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "ui.key.cancel", id="password-cancel"),
    ]

    def __init__(self, console: ServiceContext, username: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.console, self.username = console, username

    def compose(self) -> ComposeResult:
        with Vertical(id="password-dialog", classes="dialog"):
            yield Static(Text(t("ui.password.title")), classes="dialog-title")
            yield Static(Text(t("ui.password.why")), classes="dialog-text")
            for name in ("old", "new", "again"):
                yield Label(Text(t(f"ui.password.{name}")))
                yield CleanInput(id=f"password-{name}", password=True)
            yield Static("", id="password-error", classes="field-error", markup=False)
            yield Static(Text(t("ui.password.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        blink = bool(getattr(self.app, "cursor_blink", True))
        for field in self.query(Input):
            field.cursor_blink = blink
        self.query_one("#password-old").focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#password-{name}", Input).value

    def _error(self, text: str) -> None:
        show_error(self.query_one("#password-error", Static), text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "password-again":
            self.focus_next()
            return
        if not self._value("new"):
            self._error(t("error.required"))
        elif self._value("new") != self._value("again"):
            self._error(t("ui.password.mismatch"))
            self.query_one("#password-again", Input).value = ""
        else:
            self._error("")
            self._change(self._value("old"), self._value("new"))

    @work(thread=True, exclusive=True)
    def _change(self, old: str, new: str) -> None:
        from cs_console.services.accounts import change_password

        try:
            change_password(self.console, self.username, old, new)
        except Exception as exc:
            text = describe_error(exc)
            if getattr(exc, "code", "") == "login_failed":
                text = t("ui.password.old_wrong")
            self.app.call_from_thread(self._error, text)
            return
        self.app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)
