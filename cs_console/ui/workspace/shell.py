"""The workspace's first frame, and the panes that take its place.

The first frame is a light shell: the header, the frames of the call pane, the form and
the two lists (titles and borders, empty), and the footer with its keys (drawn as one
line, ``KeyLine``; the real ``Footer`` replaces it with the panes). The panes and the
domain rules they use are imported and mounted right after that frame is on the
terminal, so the workspace shows about as fast as a one-widget app.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.ui.call_state import CallState
from cs_console.ui.workspace.script import script_line

if TYPE_CHECKING:
    from cs_console.ui.desk import Desk


def frame(title_key: str, frame_id: str) -> Static:
    """An empty, titled frame holding a pane's place in the first frame."""
    placeholder = Static("", id=frame_id, classes="pane-frame", markup=False)
    placeholder.border_title = t(title_key)
    return placeholder


def policy_readable() -> bool:
    """The lists read the policy: no panes without it (the start-up worker names a
    broken file)."""
    from cs_console.config.policy_file import default_policy
    from cs_console.domain.policy import PolicyError

    try:
        default_policy()
    except PolicyError:
        return False
    return True


async def build_panes(screen: Screen[None], desk: Desk | None) -> None:
    """Import and mount the panes in place of the frames: all placed before any await,
    so no frame shows some panes moved. The SAY NEXT box waits for someone to sign in,
    or for a call."""
    from cs_console.ui.widgets.call_pane import CallPane
    from cs_console.ui.widgets.callback_queue import CallbackQueue
    from cs_console.ui.widgets.clock_list import ClockList
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.widgets.keys_footer import KeysFooter
    from cs_console.ui.widgets.severity_preview import SeverityPreview

    form_parts = [
        Static("", id="saved-banner", markup=False),
        Static("", id="kept-drafts", markup=False),  # forms kept for later: F12
        ComplaintFormPane(id="complaint-form"),
        SeverityPreview(id="preview"),
    ]
    clocks, queue = ClockList(id="my-clocks"), CallbackQueue(id="callbacks")
    call_pane = CallPane(id="call-pane")
    placed: list[Awaitable[object]] = [
        screen.query_one("#columns").mount(call_pane, before="#call-frame"),
        screen.query_one("#form-column").mount_all(form_parts),
        screen.query_one("#lists-column").mount_all([clocks, queue], before=0),
        screen.mount(KeysFooter(compact=True, show_command_palette=False)),
        screen.query(".pane-frame, KeyLine").remove(),
    ]
    for done in placed:
        await done
    clocks.border_title = t("ui.lists.my_clocks")
    queue.border_title = t("ui.lists.callbacks")
    line = script_line(desk, CallState())
    call_pane.script_line.say(line.text, label=line.label, hint=line.hint)
