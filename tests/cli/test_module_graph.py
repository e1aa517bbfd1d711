"""The command line's modules import one another one way: no circle, even inside functions
(the entry point ``cli.entry`` is above both the typer application and the console launch)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from grimp import ImportGraph


def _reaches(graph: ImportGraph, start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == goal:
                return True
            if imported.startswith("cs_console.cli") and imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return False


def test_no_cli_module_imports_itself_back() -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("cs_console")
    modules = sorted(m for m in graph.modules if m.startswith("cs_console.cli"))
    circles = [m for m in modules if _reaches(graph, m, m)]
    assert circles == []


def test_the_entry_point_is_above_the_application_and_the_launch() -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("cs_console")
    assert graph.direct_import_exists(
        importer="cs_console.cli.entry", imported="cs_console.cli.commands"
    )
    assert graph.direct_import_exists(
        importer="cs_console.cli.entry", imported="cs_console.cli.launch"
    )
    assert not _reaches(graph, "cs_console.cli.launch", "cs_console.cli.entry")
    assert not _reaches(graph, "cs_console.cli.commands", "cs_console.cli.entry")
