"""A one-key choice: "1 延误  2 丢失  3 破损 …", chosen with its digit or the arrow keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceBar(Widget, can_focus=True):
    """Options in a row, each with its number; the chosen one is marked ▸ and highlighted."""

    DEFAULT_CSS = """
    ChoiceBar {
        height: auto;
        width: 1fr;
        & > .choice-bar--chosen { text-style: bold; color: $text-accent; }
        & > .choice-bar--number { color: $text-muted; }
        &:focus { background: $boost; }
        &:focus > .choice-bar--chosen { text-style: bold reverse; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice-bar--chosen", "choice-bar--number"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False, id="choice-previous"),
        Binding("right", "move(1)", show=False, id="choice-next"),
        Binding("backspace,delete", "clear", show=False, id="choice-clear"),
    ]

    value: reactive[str] = reactive("", init=False)

    class Changed(Message):
        """The chosen value changed ("" when nothing is chosen)."""

        def __init__(self, choice_bar: ChoiceBar, value: str) -> None:
            super().__init__()
            self.choice_bar, self.value = choice_bar, value

        @property
        def control(self) -> ChoiceBar:
            return self.choice_bar

    class Picked(Message):
        """A choice was made with its digit (a deliberate pick: the form may move on)."""

        def __init__(self, choice_bar: ChoiceBar, value: str) -> None:
            super().__init__()
            self.choice_bar, self.value = choice_bar, value

        @property
        def control(self) -> ChoiceBar:
            return self.choice_bar

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        *,
        value: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.choices = tuple(choices)  # (value, label)
        self.set_reactive(ChoiceBar.value, value)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def render(self) -> Text:
        chosen = self.get_component_rich_style("choice-bar--chosen", partial=True)
        number = self.get_component_rich_style("choice-bar--number", partial=True)
        text = Text(no_wrap=False, overflow="fold")
        for index, (value, label) in enumerate(self.choices):
            if index:
                text.append("  ")
            # No space inside an option, so a narrow pane wraps between options only.
            mark = "▸" if value == self.value else ""
            text.append(f"{mark}{index + 1}", number if value != self.value else chosen)
            text.append(label, chosen if value == self.value else "")
        return text

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def choose(self, value: str) -> None:
        """Choose ``value`` (one of the values, or "" for none)."""
        if value == "" or value in self.values:
            self.value = value

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.choices):
                event.stop()
                event.prevent_default()
                self.value = self.choices[index][0]
                self.post_message(self.Picked(self, self.value))

    def action_move(self, delta: int) -> None:
        values = self.values
        index = values.index(self.value) if self.value in values else (-1 if delta > 0 else 0)
        self.value = values[(index + delta) % len(values)]

    def action_clear(self) -> None:
        self.value = ""
