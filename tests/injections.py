"""Hostile strings for every layer's tests (PITFALLS.md): markup, links, actions, emoji
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
