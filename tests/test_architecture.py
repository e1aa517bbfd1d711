"""The layering of docs/architecture.md, checked mechanically."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint_imports = str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint_imports).exists():
        pytest.skip("import-linter is not installed")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module",
    [
        "cs_console",
        "cs_console.domain.complaint_entry",
        "cs_console.domain.clocks",
        "cs_console.i18n",
        "cs_console.services.context",
    ],
)
def test_core_modules_load_neither_textual_nor_the_orm_needlessly(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "heavy = [m for m in ('textual', 'sqlmodel') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_no_module_imports_itself_back_not_even_for_types() -> None:
    """No circle of imports, counting those made only for type checking: a part of the
    workspace reaches its neighbours through ports, never by importing them."""
    grimp = pytest.importorskip("grimp")  # installed with import-linter
    graph = grimp.build_graph("cs_console", exclude_type_checking_imports=False)
    circles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert circles == []


def test_modules_stay_small_and_the_workspace_screen_only_composes() -> None:
    """No module over 400 lines; the workspace screen under 200 (its work is in its parts)."""
    lines = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "cs_console").rglob("*.py")
    }
    assert {path: n for path, n in lines.items() if n > 400} == {}
    assert lines["cs_console/ui/workspace/screen.py"] < 200
