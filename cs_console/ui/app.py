"""The console app: start-up, signing in, and the keys that work everywhere.

Start-up paints first and loads afterwards: the login screen (or, with a login from the
command line, the workspace saying "signing in…") shows at once; the settings, scripts
and, when no console was given, the database open in a thread worker after that paint.
"""

from __future__ import annotations

import re
from contextlib import ExitStack, suppress
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.binding import Binding, BindingType

from cs_console.config.settings import SettingsError, load_settings
from cs_console.i18n import current_language, t
from cs_console.ui.desk import Desk
from cs_console.ui.heap import settle_heap
from cs_console.ui.key_help import help_rows
from cs_console.ui.looks import apply_looks, check_looks, register_themes
from cs_console.ui.messages import ConsoleReady, FirstPaint, SignedIn, SignInFailed, StartFailed
from cs_console.ui.signing_in import SigningIn
from cs_console.ui.textual_fixes import apply_textual_fixes
from cs_console.ui.textual_fixes.key_order import KeysInTurn
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.workspace.screen import WorkspaceScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from cs_console.domain.prohibited import ProhibitedItem
    from cs_console.domain.scripts import CallScript
    from cs_console.services.accounts import Login
    from cs_console.services.context import Actor, ServiceContext
    from cs_console.services.journal.writes import JournalledWrites
    from cs_console.ui.screens.login import LoginScreen


FUNCTION_KEY = re.compile(r"f\d+")


def _app_commands() -> type[Provider]:
    """The palette's commands, imported when the palette first opens."""
    from cs_console.ui.commands import AppCommands

    return AppCommands


class CsConsoleApp(KeysInTurn, SigningIn):
    """cs_console: the agent's desk in a terminal."""

    # The first screens' styles load with the app's: a screen's own CSS_PATH would make
    # Textual re-parse every style sheet and restyle every widget when it is first shown.
    CSS_PATH: ClassVar = ["styles/app.tcss", "styles/workspace.tcss", "styles/login.tcss"]
    COMMANDS: ClassVar = {_app_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "ui.key.quit", priority=True, id="quit"),
        Binding("f1", "help", "ui.key.help", key_display="F1", id="help"),
        Binding("question_mark", "help", "ui.key.help", show=False, id="help-question-mark"),
        # The supervisor's overview from anywhere; others are told why not (F5 may be taken
        # by a terminal: ctrl+d and the palette too).
        Binding("f5,ctrl+d", "overview", "ui.key.overview", show=False, id="overview"),
        Binding(
            "ctrl+p",
            "command_palette",
            "ui.key.command_palette",
            show=False,
            priority=True,
            id="command-palette",
        ),
    ]

    def __init__(
        self,
        *,
        db_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        console: ServiceContext | None = None,
        cursor_blink: bool = True,
    ) -> None:
        apply_textual_fixes()  # before anything is drawn: see ui/textual_fixes
        super().__init__()
        register_themes(self)
        translate_bindings(self)
        self.db_url = db_url
        self.service_console = console
        self.cursor_blink = cursor_blink  # off in snapshot tests
        # With a user name the workspace shows at once; the sign-in worker then uses the
        # password given, else the remembered login, else asks on the login screen.
        self.auto_login = bool(username)
        self._username = username or ""
        self._credentials: tuple[str, str | None] | None = (
            (username or "", password or None) if self.auto_login else None
        )
        self.first_frame_shown = False
        self._hold_output = ExitStack()
        self._console_ready = False
        self._preparing = False
        self._start_error = ""
        self._company = ""
        self._script: CallScript | None = None
        self._items: tuple[ProhibitedItem, ...] = ()
        self._keyring_told = False  # "no keyring here" is said once
        self._writes: JournalledWrites | None = None

    # -- start-up -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.title = t("ui.app.title")
        # Nothing is drawn until the first screen is laid out (``on_ready``): Textual would
        # otherwise draw parts of it first (textual 8.2: its start-up batch swallows the
        # first frame, and only widgets refreshed later are drawn), a frame without a pane.
        self._hold_output.enter_context(self.batch_update())
        # A bad settings file is named by the start-up worker, on the login screen.
        with suppress(SettingsError):
            apply_looks(self, load_settings())  # read by the command line already
        if self.auto_login:
            self.push_screen(WorkspaceScreen())
        else:
            from cs_console.ui.screens.login import LoginScreen

            self.push_screen(LoginScreen(username=self._username))

    def on_ready(self, _event: events.Ready) -> None:
        """The first screen is laid out: draw it whole. Once it is on the terminal the
        screen hears of it (the workspace then builds its panes) and the message bubbles
        back here to start loading."""
        self._hold_output.close()
        screen = self.screen
        screen.refresh()
        # textual 8.2: an update draws only its screen's dirty widgets, and the frame drawn
        # under the start-up batch was swallowed; with the screen itself dirty, the next
        # update (a layout for the terminal's size, or this refresh) draws it whole.
        screen._dirty_widgets.add(screen)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.first_frame_shown = True
        self.screen.post_message(FirstPaint())

    def on_first_paint(self, _message: FirstPaint) -> None:
        """The first screen is on the terminal: now load the slow parts, off the UI thread."""
        if not self._preparing:
            self._preparing = True
            self._prepare()

    @work(thread=True, exclusive=True, group="start")
    def _prepare(self) -> None:
        from cs_console.config.script_files import load_call_script, load_prohibited_items
        from cs_console.ui.startup import StartRefused, open_console

        try:
            settings = load_settings()
            check_looks(settings, self.available_themes)
            lang = current_language()
            script, items = load_call_script(lang), load_prohibited_items()
            console, offline = (
                (self.service_console, False)
                if self.service_console is not None
                else open_console(self.db_url, settings)
            )
            from cs_console.services.journal.writes import JournalledWrites, open_journal

            writes = JournalledWrites(console, open_journal(console))
            writes.offline = offline  # signing in then tries the server, else the journal
        except StartRefused as exc:
            self.post_message(StartFailed(str(exc)))
            return
        except Exception as exc:  # a bad policy, script or settings file names itself
            self.post_message(StartFailed(t("ui.start.failed", detail=str(exc))))
            return
        company = settings.company_name(lang)
        self.post_message(ConsoleReady(console, company, script, items, writes))

    def on_console_ready(self, message: ConsoleReady) -> None:
        self.service_console = message.console
        self._company, self._script, self._items = message.company, message.script, message.items
        self._writes = message.writes
        self._console_ready = True
        if self._credentials is not None:
            self._sign_in(*self._credentials)

    def on_start_failed(self, message: StartFailed) -> None:
        self._start_error = message.text
        self._show_login(message.text, self._username)

    # -- signing in -----------------------------------------------------------------------

    def on_login_screen_submitted(self, message: LoginScreen.Submitted) -> None:
        from cs_console.ui.screens.login import LoginScreen

        self._credentials = (message.username, message.password)
        if self._start_error:
            self._show_login(self._start_error)
        elif self._console_ready:
            self._sign_in(message.username, message.password)
        elif isinstance(self.screen, LoginScreen):
            self.screen.show_busy(t("ui.login.connecting"))

    def on_signed_in(self, message: SignedIn) -> None:
        login: Login = message.login
        self._credentials = None  # the password is not kept once used
        if not login.must_change_password:
            self._enter_workspace(login.actor)
            return
        from cs_console.ui.screens.password import ChangePasswordScreen

        assert self.service_console is not None

        def changed(ok: bool | None) -> None:
            if ok:
                self.notify(t("ui.password.changed"), markup=False)
                self._keep_changed_password(login)
                self._enter_workspace(replace(login.actor, password_change_due=False))
            else:
                self._show_login(t("ui.password.required"), login.actor.username)

        self.push_screen(ChangePasswordScreen(self.service_console, login.actor.username), changed)

    def on_sign_in_failed(self, message: SignInFailed) -> None:
        username = self._credentials[0] if self._credentials else ""
        self._credentials = None
        self._show_login(message.text, username)

    def _show_login(self, error: str, username: str = "") -> None:
        from cs_console.ui.screens.login import LoginScreen

        if isinstance(self.screen, LoginScreen):
            self.screen.show_error(error)
        else:
            self.switch_screen(LoginScreen(error=error, username=username))

    def _enter_workspace(self, actor: Actor) -> None:
        assert self.service_console is not None and self._script is not None
        assert self._writes is not None
        desk = Desk(
            self.service_console, actor, self._company, self._script, self._items, self._writes
        )
        if actor.role == "outlet":  # counter staff get the walk-in form, not the workspace
            from cs_console.ui.screens.outlet import OutletScreen

            self.switch_screen(OutletScreen(desk))
        elif isinstance(self.screen, WorkspaceScreen):
            self.screen.attach(desk)
        else:
            self.switch_screen(WorkspaceScreen(desk))
        # Built: the long-lived objects leave the full collections (the tick's p95, ui/heap.py).
        self.call_after_refresh(settle_heap)

    def workspace(self) -> WorkspaceScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, WorkspaceScreen):
                return screen
        return None

    # -- keys everywhere ------------------------------------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        """F-keys read F11 whether the code or settings.toml's [keymap] bound them."""
        shown = super().get_key_display(binding)
        return shown.upper() if FUNCTION_KEY.fullmatch(shown) else shown

    def signed_in_desk(self) -> Desk | None:
        """The signed-in person's desk (workspace or outlet counter), if anyone signed in."""
        for screen in self.screen_stack:
            desk = getattr(screen, "desk", None)
            if isinstance(desk, Desk):
                return desk
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "overview":
            return True if self.signed_in_desk() is not None else None
        return True

    def action_overview(self) -> None:
        """F5: the overview for a supervisor; anyone else is told it is for supervisors."""
        from cs_console.domain.permissions import Action, can
        from cs_console.ui.screens.overview import OverviewScreen

        desk = self.signed_in_desk()
        if desk is None or isinstance(self.screen, OverviewScreen):
            return
        if not can(desk.actor.role, Action.VIEW_OVERVIEW):
            self.notify(t("overview.refused"), severity="warning", markup=False)
            return
        self.push_screen(OverviewScreen(desk.console, desk.actor))

    async def action_quit(self) -> None:
        """ctrl+q: write the draft of what is typed (workspace or outlet form), then leave.

        During a call it asks first (quit / stay): a caller is never dropped by a slip.
        """
        from cs_console.ui.screens.quit_confirm import QuitDuringCallScreen

        if isinstance(self.screen, QuitDuringCallScreen):
            return  # asked already: only its own keys answer
        if any(getattr(screen, "call_in_progress", False) for screen in self.screen_stack):

            def answered(quit_anyway: bool | None) -> None:
                if quit_anyway:
                    self._save_drafts_and_exit()

            self.push_screen(QuitDuringCallScreen(), answered)
            return
        self._save_drafts_and_exit()

    def _save_drafts_and_exit(self) -> None:
        for screen in reversed(self.screen_stack):
            save_draft_now = getattr(screen, "save_draft_now", None)
            if save_draft_now is not None:
                save_draft_now(self.exit)
                return
        self.exit()

    def action_help(self) -> None:
        from cs_console.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_rows(self)))
