"""The agent workspace: call pane, complaint form with its live preview, my clocks, callbacks.

The screen composes the first frame (``shell.py``), builds the panes once it is on the
terminal, seats the parts on sign-in (``bench.py``; each owns its state, keys and workers:
docs/workspace.md), routes the panes' messages to them (``routes.py``) and tells the
person what failed. This module loads neither sqlmodel nor the storage layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.ui.call_state import CallState
from cs_console.ui.messages import FirstPaint, JobFailed
from cs_console.ui.widgets.binding_text import translate_bindings
from cs_console.ui.widgets.desk_header import DeskHeader
from cs_console.ui.widgets.key_line import KeyLine
from cs_console.ui.workspace.bench import KEY_ORDER, KEYED, ROLE_KEYS, SCREEN_KEYS, seat
from cs_console.ui.workspace.keys import ordered
from cs_console.ui.workspace.layout import WIDE_FROM, lists_visible
from cs_console.ui.workspace.routes import PaneRoutes
from cs_console.ui.workspace.shell import build_panes, frame, policy_readable

if TYPE_CHECKING:
    from textual.command import Provider

    from cs_console.ui.desk import Desk
    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.workspace.neighbours import DraftsPort


def _workspace_commands() -> type[Provider]:
    """The palette's commands, imported when the palette first opens."""
    from cs_console.ui.commands import WorkspaceCommands

    return WorkspaceCommands


class WorkspaceScreen(PaneRoutes):
    """Everything an agent on phone duty needs, on one screen."""

    # styles/workspace.tcss is loaded with the app's styles (see CsConsoleApp.CSS_PATH)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]
    COMMANDS = {_workspace_commands}
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = list(
        ordered(KEY_ORDER, [*(part.BINDINGS for part in KEYED), SCREEN_KEYS])
    )

    def __init__(self, desk: Desk | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.desk = desk
        self.built = False  # the panes are mounted after the first paint
        self._building = False

    def compose(self) -> ComposeResult:
        # The breakpoint class Textual would set on the first resize, set now: changing a
        # class restyles every widget of the screen, once more before the first frame.
        wide = self.app.size.width >= WIDE_FROM
        self.set_class(wide, "-wide", update=False).set_class(not wide, "-narrow", update=False)
        yield DeskHeader(id="desk-header")
        yield Static("", id="incident-banner", markup=False)  # mass-complaint alerts
        with Horizontal(id="columns"):
            yield frame("ui.call.title", "call-frame")
            yield VerticalScroll(id="form-column")
            with Vertical(id="lists-column"):
                yield frame("ui.lists.my_clocks", "clocks-frame")
                yield frame("ui.lists.callbacks", "callbacks-frame")
        yield KeyLine()  # the footer's look in one widget; the real one comes with the panes

    def on_resize(self, _event: events.Resize) -> None:
        # F10 (my clocks) is offered on wide screens only: the footer asks again once
        # Textual has set the breakpoint class for the new width.
        self.call_after_refresh(self.refresh_bindings)

    def on_mount(self) -> None:
        self.query_one("#form-column").border_title = t("ui.form.title")
        if getattr(self.app, "first_frame_shown", True):  # shown after start-up (login)
            self.call_after_refresh(self._build)
        # else the app's first frame is this shell: FirstPaint comes once it is on screen

    async def on_first_paint(self, _message: FirstPaint) -> None:
        """The shell is on the terminal: build the panes (then the app starts loading)."""
        await self._build()

    async def _build(self) -> None:
        if self._building or not policy_readable():
            return
        self._building = True
        await build_panes(self, self.desk)
        self.built = True
        if self.desk is not None:
            self._seat(self.desk)

    def attach(self, desk: Desk) -> None:
        """Someone signed in: fill the header, load the lists, offer any saved draft."""
        self.desk = desk
        if self.built:
            self._seat(desk)

    def _seat(self, desk: Desk) -> None:
        bench = self.bench = seat(self, desk)
        bench.preview.refresh_preview()
        self.mount_all(bench.parts)
        self.lend_keys(bench.parts)

    # -- what the app and the tests read --------------------------------------------------

    @property
    def call(self) -> CallState:
        return self.bench.call.call if self.bench is not None else CallState()

    @property
    def drafts(self) -> DraftsPort | None:
        return self.bench.drafts if self.bench is not None else None

    @property
    def call_pane(self) -> CallPane:
        from cs_console.ui.widgets.call_pane import CallPane

        return self.query_one("#call-pane", CallPane)

    @property
    def form(self) -> ComplaintFormPane:
        from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane

        return self.query_one("#complaint-form", ComplaintFormPane)

    @property
    def clock_list(self) -> ClockList:
        from cs_console.ui.widgets.clock_list import ClockList

        return self.query_one("#my-clocks", ClockList)

    @property
    def call_in_progress(self) -> bool:
        """A caller is on the line (quitting asks first)."""
        return self.call.active

    def repaint_clocks(self) -> None:
        """Repaint the timer and every countdown now, not at their next tick."""
        self.query_one(DeskHeader).tick()
        if self.built:
            self.clock_list.refresh()
            self.query_one("#callbacks").refresh()

    def show_status(self, text: str) -> None:
        """A line in the header while nobody is signed in yet ("signing in…", an error)."""
        self.query_one(DeskHeader).set_message(text)

    def save_draft_now(self, then: Callable[[], object]) -> None:
        """Before quitting: write what is typed now (a call going on is left), then ``then``."""
        if self.bench is None:
            then()
        else:
            self.bench.call.leave(then)

    # -- the screen's own keys ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screen's keys, and the parts' until they are seated: greyed out (F9 is
        for supervisors, F11 for specialists and supervisors, F10 for wide screens: hidden
        for others)."""
        if action == "leave_field":
            return True
        if action in ROLE_KEYS:
            return self.desk is not None and self.desk.actor.role in ROLE_KEYS[action]
        if action == "my_clocks" and not self.has_class("-wide"):
            return False
        ready = self.bench is not None and self.bench.drafts.ready
        return True if action == "toggle_lists" and ready else None

    def action_toggle_lists(self) -> None:
        self.toggle_class("-lists-flipped")
        if lists_visible(self):
            self.clock_list.focus()
        elif self.focused is None or self.focused in self.query_one("#lists-column").query("*"):
            self.form.focus_first_empty()

    def action_leave_field(self) -> None:
        """Escape: leave the field; everything typed stays (and is in the draft)."""
        self.set_focus(None)

    def on_job_failed(self, message: JobFailed) -> None:
        """A part's worker failed (the part has put its state back): tell the person."""
        if self.bench is not None and not self.bench.outage.worth_telling(message):
            return
        self.notify(message.text, title=t(f"ui.job.{message.job}"), severity="error", markup=False)
