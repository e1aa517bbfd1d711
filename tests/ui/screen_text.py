"""What a person would read on the terminal, as plain text (for asserting in UI tests)."""

from __future__ import annotations

from textual.app import App
from textual.widget import Widget


def screen_text(app: App) -> str:
    """Every line of the current screen, including modals over it, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def compact(text: str) -> str:
    """The text without spaces or line breaks, for finding phrases however they wrap."""
    return "".join(text.split())


def widget_text(app: App, selector: str) -> str:
    """What is visible inside one widget on screen (its content area), spaces removed.

    Wrapped lines inside a bordered box join up again, so a sentence can be found whole.
    """
    widget = app.screen.query_one(selector)
    region = widget.content_region
    strips = app.screen._compositor.render_strips()
    lines = [strip.crop(region.x, region.right).text for strip in strips[region.y : region.bottom]]
    return compact("".join(lines))


def widget_lines(app: App, selector: str | Widget) -> list[str]:
    """The lines visible inside one widget on screen (its content area), as the terminal
    shows them, trailing spaces removed."""
    widget = app.screen.query_one(selector) if isinstance(selector, str) else selector
    region = widget.content_region
    strips = app.screen._compositor.render_strips()
    return [
        strip.crop(region.x, region.right).text.rstrip()
        for strip in strips[region.y : region.bottom]
    ]
