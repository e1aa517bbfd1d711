"""CSV/formula injection: no exported cell starts like a formula, and imports undo the mark."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.domain.spreadsheet_cells import FORMULA_STARTS, neutralise_cell, restore_cell


@pytest.mark.parametrize(
    "dangerous",
    [
        "=1+1",
        '=HYPERLINK("http://evil","点我")',
        "+8613812345678",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_formula_like_cells_are_marked_as_text(dangerous: str) -> None:
    safe = neutralise_cell(dangerous)

    assert safe == "'" + dangerous
    assert restore_cell(safe) == dangerous


@pytest.mark.parametrize("plain", ["", "张伟", "138****5678", "[TODO]", "a=b", " =1", "'x"])
def test_plain_cells_are_left_alone(plain: str) -> None:
    assert restore_cell(plain) == plain
    if not plain.startswith("'"):
        assert neutralise_cell(plain) == plain


def test_a_cell_starting_with_an_apostrophe_comes_back_exactly() -> None:
    for typed in ("'quoted'", "'=1", "''"):
        assert restore_cell(neutralise_cell(typed)) == typed


@given(st.text() | st.text(alphabet="'=+-@\t\rx张"))
def test_no_neutralised_cell_starts_like_a_formula_and_restoring_gives_it_back(text: str) -> None:
    safe = neutralise_cell(text)

    assert not safe.startswith(FORMULA_STARTS)
    assert restore_cell(safe) == text
