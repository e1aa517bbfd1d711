"""Fixtures for every UI test."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from cs_console.i18n import set_language


@pytest.fixture(autouse=True)
def chinese() -> None:
    """The screens in Chinese, whatever an earlier test chose."""
    set_language("zh-CN")


@pytest.fixture(autouse=True)
def heap_unfrozen() -> Iterator[None]:
    """A signed-in console freezes its heap (ui/heap.py); one test's app is not kept alive
    for the rest of the run."""
    yield
    gc.unfreeze()
