"""Writing a file that holds customers' data: created by this command and nobody else,
readable by its owner only, whole or not at all.

The content goes to ``<output>.part``, created exclusively with mode 0600 (a ``.part`` that
exists, left by another export running or one that died, is never reused), flushed and
synced, then renamed over ``output``. A target that is not a regular file (``/dev/full``,
a directory, a pipe) is refused, never replaced. Every write is checked: a full disk stops
the command with exit 1 and leaves no half file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from cs_console.cli.refusals import fail


def _check_target(output: Path) -> Path:
    """Refuse a target that is not a regular file, or an unfinished ``.part`` beside it."""
    try:
        if not stat.S_ISREG(os.stat(output).st_mode):
            fail("export.not_a_file", path=output)
    except FileNotFoundError:
        pass
    partial = output.with_name(output.name + ".part")
    if os.path.lexists(partial):
        fail("export.part_exists", path=partial)
    return partial


def _create_private(partial: Path) -> BinaryIO:
    """Create ``partial`` exclusively, readable by its owner only. A file that appeared
    since the check is refused, not opened."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.fdopen(os.open(partial, flags, 0o600), "wb")
    except FileExistsError:
        fail("export.part_exists", path=partial)


def write_private(output: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write ``output`` through ``write`` (given the binary file), whole or not at all."""
    try:
        partial = _check_target(output)
        with _create_private(partial) as binary:
            try:
                write(binary)
                binary.flush()
                os.fsync(binary.fileno())
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        os.replace(partial, output)
    except OSError as exc:
        fail("export.write_failed", detail=exc.strerror or exc)
