"""Start-up: --help stays light (no textual, no SQLAlchemy), usage errors exit 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.cli.conftest import Run

HEAVY = ("textual", "sqlalchemy", "sqlmodel", "alembic")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LANG"] = "en_US.UTF-8"
    return env


@pytest.mark.parametrize(
    "args", [["--help"], ["init", "--help"], ["user", "--help"], ["demo", "--help"]]
)
def test_help_loads_neither_textual_nor_sqlalchemy(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from cs_console.cli.commands import app\n"
        f"sys.argv = ['cs-console', *{args!r}]\n"
        "try:\n"
        "    app()\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_child_env(), timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "HEAVY="


def test_help_import_profile_of_the_installed_entry_point() -> None:
    """``python -X importtime -m cs_console --help``: the import log names no heavy module."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cs_console", "--help"],
        capture_output=True,
        text=True,
        env=_child_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    assert not imported & set(HEAVY)


def test_version(run: Run) -> None:
    result = run(["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("cs-console ")


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["--lang", "fr", "doctor"],
        ["user", "add", "someone", "--display-name", "X", "--agent-no", "1"],  # no --role
        ["user", "add", "someone", "--role", "boss", "--display-name", "X", "--agent-no", "1"],
        ["demo", "--complaints", "0"],
        ["init", "--password-stdin"],  # without --admin
    ],
)
def test_usage_errors_exit_2(run: Run, args: list[str]) -> None:
    result = run(args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
