"""``cs-console [--db] [--lang] [--user]`` opens the console without typer, pydantic or keyring."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from cs_console.cli import entry, launch
from cs_console.cli.root_options import RootOptions
from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, Run


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {}),
        (["--db", "sqlite:///x.db"], {"db": "sqlite:///x.db"}),
        (["--db=sqlite:///x.db", "--lang", "en"], {"db": "sqlite:///x.db", "lang": "en"}),
        (["--user", "wangfang", "--lang=zh-CN"], {"user": "wangfang", "lang": "zh-CN"}),
    ],
)
def test_console_options_read_the_root_options(argv: list[str], expected: dict) -> None:
    assert launch.console_options(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["user", "list"],
        ["--db", "x.db", "doctor"],
        ["--lang", "fr"],
        ["--lang", "EN"],
        ["--user"],
        ["--user", "--db"],
        ["--db", "a.db", "--db", "b.db"],
        ["--unknown", "x"],
    ],
)
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert launch.console_options(argv) is None


class FakeApp:
    made: list[dict[str, Any]] = []

    def __init__(self, **options: Any) -> None:
        FakeApp.made.append(options)

    def run(self) -> None:
        FakeApp.made[-1]["ran"] = True


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    FakeApp.made = []
    monkeypatch.setattr("cs_console.ui.factory.make_app", FakeApp)
    return FakeApp.made


def _launch(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setattr(sys, "argv", ["cs-console", *args])
    entry.run()


def test_the_fast_path_opens_the_console_like_typer(
    run: Run, admin_db: str, fake_app: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CS_CONSOLE_PASSWORD", ADMIN_PASSWORD)
    _launch(monkeypatch, "--db", admin_db, "--lang", "en", "--user", ADMIN)
    through_typer = run(["--db", admin_db, "--user", ADMIN])
    assert through_typer.exit_code == 0, through_typer.stderr
    expected = {
        "db_url": admin_db,
        "lang": "en",
        "username": ADMIN,
        "password": ADMIN_PASSWORD,
        "ran": True,
    }
    assert fake_app == [expected, expected]


def test_on_a_terminal_the_password_is_left_to_the_app(
    admin_db: str,
    fake_app: list[dict[str, Any]],
    memory_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(memory_keyring, "get_password", lambda _s, user: asked.append(user))
    monkeypatch.setattr(launch, "stdin_is_terminal", lambda: True)
    launch.open_console_app(RootOptions(db=admin_db, user=ADMIN, lang="en"))
    assert fake_app[0]["username"] == ADMIN and fake_app[0]["password"] is None
    assert asked == []  # the app asks the keyring, in a worker after its first frame


def test_off_a_terminal_the_remembered_login_is_left_to_the_app(
    admin_db: str, fake_app: list[dict[str, Any]], memory_keyring: Any
) -> None:
    memory_keyring.set_password("cs-console", ADMIN, "a-session-token")
    launch.open_console_app(RootOptions(db=admin_db, user=ADMIN, lang="en"))
    assert fake_app[0]["username"] == ADMIN and fake_app[0]["password"] is None


def test_the_fast_path_refuses_like_typer(
    new_db: str,
    fake_app: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        _launch(monkeypatch, "--db", new_db, "--lang", "en")
    assert stopped.value.code == 1
    assert "run cs-console init" in capsys.readouterr().err
    assert fake_app == []


def test_opening_the_console_loads_neither_typer_nor_keyring(admin_db: str) -> None:
    """What is imported by the time the app is made (the rest waits for the first frame)."""
    code = (
        "import sys\n"
        "import cs_console.ui.factory as factory\n"
        "def make_app(**options):\n"
        "    heavy = ('typer', 'pydantic', 'keyring', 'sqlalchemy', 'sqlmodel', 'textual')\n"
        "    print('LOADED=' + ','.join(m for m in heavy if m in sys.modules))\n"
        "    raise SystemExit(0)\n"
        "factory.make_app = make_app\n"
        f"sys.argv = ['cs-console', '--db', {admin_db!r}, '--user', {ADMIN!r}]\n"
        "from cs_console.cli.entry import run\n"
        "run()\n"
    )
    env = {**os.environ, "CS_CONSOLE_PASSWORD": ADMIN_PASSWORD}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "LOADED="
