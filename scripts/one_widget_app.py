"""The yardstick: a one-widget Textual app, the fastest a Textual program can paint."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class OneWidget(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("one-widget-ready")


if __name__ == "__main__":
    OneWidget().run()
