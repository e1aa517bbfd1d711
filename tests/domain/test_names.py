"""Whether a typed name is another name than the one on file (domain.names)."""

from __future__ import annotations

import pytest

from cs_console.domain.names import names_differ


@pytest.mark.parametrize(
    ("on_file", "typed", "differ"),
    [
        ("张伟", "张伟", False),
        ("张伟", " 张伟 ", False),
        ("John Smith", "john  smith", False),
        ("张伟", "李娜", True),
        ("张伟", "张炜", True),
        ("", "李娜", False),  # nothing on file: the name fills it, nobody is overwritten
        ("张伟", "", False),
        ("张伟", "张伟\x1b[2J", False),  # escape sequences are not part of a name
    ],
)
def test_names_differ(on_file: str, typed: str, differ: bool) -> None:
    assert names_differ(on_file, typed) is differ
