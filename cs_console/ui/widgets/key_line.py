"""The footer of keys, drawn in a screen's first frame as one widget.

Textual's ``Footer`` composes one widget per key once the screen announces its bindings, a
frame or two after the screen first shows, and styling those ten-odd widgets costs more
than the rest of the workspace's first frame. ``KeyLine`` draws the same line (same keys,
same theme colours, unavailable keys dimmed) as one widget; the screen puts a
``KeysFooter`` in its place right after the first frame.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget


class KeyLine(Widget):
    """A compact ``Footer``'s look in one widget: "F2 Answer F3 Complaint …"."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-line--key", "key-line--description"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key")
        description_style = self.get_component_rich_style("key-line--description")
        dim = Style(dim=True)
        line = Text(no_wrap=True, overflow="crop")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue  # like Footer: one key per action
            seen.add(binding.action)
            extra = Style() if enabled else dim
            line.append(self.app.get_key_display(binding), key_style + extra)
            line.append(f" {binding.description}", description_style + extra)
            line.append(" ")
        return line
