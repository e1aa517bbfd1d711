"""Hostile strings for every layer's tests (docs/pitfalls.md): markup, links, actions, emoji
codes and terminal escapes. All must show as typed (or, for escapes, vanish) and never
style, act or crash."""

# Text that looks like markup: harmless, kept as typed.
MARKUP_LIKE = (
    "[",
    "[/]",
    "[/b]",
    "[TODO]",
    "[bold red]x",
    "[@click=app.quit]x[/]",
    "[link=http://x]y[/link]",
    ":smile:",
)
# Terminal escapes: clear the screen, write the clipboard (OSC 52).
ESCAPES = ("\x1b[2J", "\x1b]52;c;aGk=\x07")
INJECTIONS = MARKUP_LIKE + ESCAPES
# A few of each kind, for lists shown in narrow widgets.
FEW_INJECTIONS = ("[/b]", "[@click=app.quit]x[/]", "\x1b]52;c;aGk=\x07", "[TODO]")
# Typed, but no reason: nothing visible once zero-width and bidirectional controls,
# escapes and markup-like tags are taken out (a recorded reason needs real words).
NO_VISIBLE_WORDS = (
    "\u200b\u200b\u200b\u200b\u200b\u200b",  # zero-width spaces
    "\u202e\u202e\u2066\u2069",  # bidirectional controls
    "\u200b\u202e\u200b\u202e\x1b[2J",  # and a terminal escape
    "[b][/b][red][/red]",  # markup only
    "[bold red][/]",
)
