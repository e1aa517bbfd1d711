"""Expected failures become one clear message on stderr and exit code 1, never a traceback."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from cs_console.cli.failures import describe_failure

__all__ = ["ConsoleGroup", "describe_failure"]


class ConsoleGroup(TyperGroup):
    """The command group that turns expected failures into a message and exit code 1.

    Everything a person can cause (a bad --db URL, an unreachable server, a broken policy
    file, a refused service call) ends in one clear line on stderr, never a traceback.
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = describe_failure(exc)
            if message is None:
                raise
            typer.echo(message, err=True)
            raise typer.Exit(1) from None
