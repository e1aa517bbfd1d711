"""A Rich progress bar on stderr for long commands (import, export), only on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from cs_console.cli.terminals import stderr_is_terminal

if TYPE_CHECKING:
    from rich.progress import Progress

Advance = Callable[..., None]


def stderr_progress() -> Progress:
    """Rich's progress display on stderr: title, bar, done of total, time elapsed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )


@contextmanager
def progress_bar(title: str) -> Iterator[Advance | None]:
    """Yield ``advance(done, total)`` drawing one bar on a terminal; None when piped.

    ``advance(done, total, title)`` also changes the bar's title (a new stage).
    """
    if not stderr_is_terminal():
        yield None
        return
    with stderr_progress() as bar:
        task = bar.add_task(title, total=None)
        shown = [title]

        def advance(done: int, total: int, stage: str | None = None) -> None:
            if stage is not None and stage != shown[0]:
                shown[0] = stage  # a new stage: its own count and elapsed time
                bar.reset(task, total=total, completed=done, description=stage)
            bar.update(task, completed=done, total=total)

        yield advance
