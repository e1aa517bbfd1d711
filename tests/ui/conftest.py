"""Fixtures for every UI test."""

from __future__ import annotations

import pytest

from cs_console.i18n import set_language


@pytest.fixture(autouse=True)
def chinese() -> None:
    """The screens in Chinese, whatever an earlier test chose."""
    set_language("zh-CN")
