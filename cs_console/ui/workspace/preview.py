"""The live preview under the complaint form: the severity it would get, its clocks, the
compensation the policy suggests (on the agent workspace and the outlet counter).

Computed on the UI thread from the domain only, whenever the form changes and every
``PREVIEW_EVERY`` seconds (the due times move with the clock). ``repeat_of`` is set from
above: the earlier unresolved complaint a new one would repeat (the caller's look-up on
the workspace, the repeat check on the counter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_console.ui.workspace.parts import Part

if TYPE_CHECKING:
    from cs_console.ui.desk import Desk
    from cs_console.ui.widgets.complaint_form_pane import ComplaintFormPane
    from cs_console.ui.widgets.severity_preview import SeverityPreview

PREVIEW_EVERY = 30.0  # seconds


class PreviewPart(Part):
    """Keeps the preview pane in step with the form, the clock and the repeat rule."""

    def __init__(self, desk: Desk, form: ComplaintFormPane, preview: SeverityPreview) -> None:
        super().__init__(desk)
        self.form, self.preview = form, preview
        self.repeat_of: str | None = None

    def on_mount(self) -> None:
        # The first preview is the screen's to draw: the form may not be composed yet.
        self.every(PREVIEW_EVERY, self.refresh_preview)

    def refresh_preview(self) -> None:
        from cs_console.ui.widgets.severity_preview import describe_preview

        console = self.desk.console
        self.preview.show(
            describe_preview(
                self.form.form(), console.policy, console.now(), console.zone, self.repeat_of
            )
        )
