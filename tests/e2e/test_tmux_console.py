"""The installed cs-console in a real terminal (tmux): a person logs in, takes a call,
registers a complaint typed in Chinese and reads it back; a draft survives kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

CS = Path(sys.executable).with_name("cs-console")
PASSWORD = "wangfang-demo1"

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed (.ci/run installs it)", allow_module_level=True)
if not CS.exists():
    pytest.skip(f"cs-console is not installed beside {sys.executable}", allow_module_level=True)


class Terminal:
    """One tmux session running a command; keys in, screen text out."""

    def __init__(self, command: str, env: dict[str, str], size: tuple[int, int] = (120, 35)):
        self.name = f"cs-e2e-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v!r}" for k, v in env.items())
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                f"env {exports} {command}; sleep 30",
            ],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.4)  # a person's pace: one key at a time

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.6)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, check: Callable[[str], bool] | str, timeout: float = 20) -> str:
        test = (lambda s: check in s) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"not on screen after {timeout}s: {check!r}\n{self.screen()}")

    def console_pid(self) -> int:
        pane = subprocess.run(
            ["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[0]
        found = subprocess.run(
            ["pgrep", "-f", "-P", pane, "cs-console"], capture_output=True, text=True
        ).stdout.split()
        return int(found[0]) if found else int(pane)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, str]]]:
    home = tmp_path / "home"
    env = {"CS_CONSOLE_HOME": str(home), "LANG": "zh_CN.UTF-8"}
    path = tmp_path / "demo.db"
    url = f"sqlite:///{path}"
    subprocess.run(
        [str(CS), "demo", "--db", url, "--complaints", "200", "--seed", "7"],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    yield url, path, env


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def _log_in(terminal: Terminal) -> None:
    terminal.wait_for("用户名")  # the login screen asks for user name and password
    terminal.type("wangfang")
    terminal.keys("Tab")
    terminal.type(PASSWORD)
    terminal.keys("Enter")
    terminal.wait_for("1024 王芳")


def _name_in_clear(url: str, sealed: str) -> str:
    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.context import ServiceContext
    from cs_console.storage.customers import open_name
    from cs_console.storage.engine import make_engine

    engine = make_engine(url)
    try:
        key = authenticate(
            ServiceContext(engine, default_policy()), "wangfang", PASSWORD
        ).actor.data_key
    finally:
        engine.dispose()
    assert key is not None
    return open_name(sealed, key)


def test_a_complaint_typed_in_chinese_is_registered_and_read_back(demo_db, terminals) -> None:
    url, path, env = demo_db
    terminal = Terminal(f"{CS} --db {url}", env)
    terminals.append(terminal)
    _log_in(terminal)

    terminal.keys("F2")
    terminal.wait_for("顺达速运客服")  # the greeting (its line breaks depend on the width)
    assert "1024" in terminal.screen()
    terminal.keys("C-g")
    terminal.type("13912345678")
    terminal.keys("Tab")
    terminal.type("SF1311234567890")
    terminal.keys("F3")
    terminal.type("欧阳娜娜")
    terminal.keys("Tab", "Tab", "Tab")
    terminal.keys("1")  # category: delay; the cursor goes on to days late
    terminal.wait_for("▸1延误")
    terminal.type("2")
    terminal.keys("Tab")
    terminal.type("包裹两天没有更新物流[急]")
    terminal.keys("Tab")
    terminal.type("尽快派送并解释原因")
    terminal.wait_for("一般投诉")  # the live classification while typing
    terminal.keys("C-s")
    screen = terminal.wait_for("C-2")
    reference = next(word for word in screen.split() if word.startswith("C-2"))[:15]

    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT c.severity, c.days_late, c.description, c.request, u.username, cu.name "
            "FROM complaints c JOIN users u ON u.id = c.owner_id "
            "JOIN customers cu ON cu.id = c.customer_id WHERE c.reference = ?",
            (reference,),
        ).fetchone()
    assert "欧阳" not in row[5]  # stored sealed: read back with the key wangfang unlocks
    row = (*row[:5], _name_in_clear(url, row[5]))
    assert row == (
        "general",
        2,
        "包裹两天没有更新物流[急]",
        "尽快派送并解释原因",
        "wangfang",
        "欧阳娜娜",
    )

    terminal.keys("F8")
    terminal.wait_for("还有")  # the closing question: 还有其他可以帮您的吗
    terminal.keys("C-g")
    terminal.keys("C-g")
    time.sleep(1.0)
    with sqlite3.connect(path) as db:
        ended = db.execute(
            "SELECT contact_type, ended_at IS NOT NULL FROM contacts "
            "WHERE id = (SELECT contact_id FROM complaints WHERE reference = ?)",
            (reference,),
        ).fetchone()
    assert ended == ("complaint", 1)


def test_a_draft_survives_kill_9_and_is_restored(demo_db, terminals) -> None:
    url, path, env = demo_db
    first = Terminal(f"{CS} --db {url}", env)
    terminals.append(first)
    _log_in(first)
    first.keys("F3")
    first.type("司马相如")
    first.keys("Tab")
    first.type("13712345678")
    time.sleep(1.5)  # drafts are at most one second behind
    os.kill(first.console_pid(), signal.SIGKILL)
    time.sleep(0.5)

    second = Terminal(f"{CS} --db {url}", env)
    terminals.append(second)
    _log_in_until_draft(second)
    second.keys("Enter")  # restore
    screen = second.wait_for(lambda s: "13712345678" in s and "上次没有保存" not in s)
    assert "司马相如" in screen


def _log_in_until_draft(terminal: Terminal) -> None:
    terminal.wait_for("用户名")
    terminal.type("wangfang")
    terminal.keys("Tab")
    terminal.type(PASSWORD)
    terminal.keys("Enter")
    terminal.wait_for("上次没有保存的内容")  # the restore offer


def test_a_burst_of_keys_fills_each_field_in_turn(demo_db, terminals) -> None:
    """One send-keys call (a scanner's speed): each value lands in its own field."""
    url, _path, env = demo_db
    terminal = Terminal(f"{CS} --db {url}", env)
    terminals.append(terminal)
    terminal.wait_for("用户名")
    burst = ["wangfang", "Tab", PASSWORD, "Enter"]
    subprocess.run(["tmux", "send-keys", "-t", terminal.name, *burst], check=True)
    terminal.wait_for("1024 王芳")  # signed in: the password did not land in the user name
    terminal.keys("F3")
    burst = ["张伟", "Tab", "13812345678", "Tab", "SF1311234567890", "Tab"]
    subprocess.run(["tmux", "send-keys", "-t", terminal.name, *burst], check=True)
    wanted = {"姓名 张伟", "电话 13812345678", "单号 SF1311234567890"}
    terminal.wait_for(lambda screen: wanted <= _form_lines(screen))


def _form_lines(screen: str) -> set[str]:
    """The form pane's lines (right of the call pane's frame), spaces squeezed."""
    panes = (line.split("││") for line in screen.splitlines())
    return {" ".join(parts[1].strip("│").split()) for parts in panes if len(parts) > 1}


UNREACHABLE = "postgresql+psycopg://agent@127.0.0.1:1/cs_offline"  # nothing answers port 1


def test_the_console_starts_offline_for_who_signed_in_here(
    demo_db, terminals, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server does not answer: 王芳, who signed in on this machine today, signs in from
    the outage journal; the header says since when it is offline; a complaint is journalled."""
    from cs_console.config.paths import journal_path
    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.context import ServiceContext
    from cs_console.services.journal.sign_ins import keep_sign_in
    from cs_console.services.journal.store import Journal
    from cs_console.storage.engine import make_engine

    url, _path, env = demo_db
    monkeypatch.setenv("CS_CONSOLE_HOME", env["CS_CONSOLE_HOME"])
    engine = make_engine(url)  # her online sign-in, kept for the server now unreachable
    journal = Journal(journal_path(make_engine(UNREACHABLE).url.render_as_string()))
    try:
        console = ServiceContext(engine, default_policy())
        keep_sign_in(console, journal, authenticate(console, "wangfang", PASSWORD).actor)
    finally:
        journal.close()
        engine.dispose()

    terminal = Terminal(f"{CS} --db {UNREACHABLE}", env)
    terminals.append(terminal)
    terminal.wait_for("用户名")
    terminal.type("wangfang")
    terminal.keys("Tab")
    terminal.type(PASSWORD)
    terminal.keys("Enter")
    header = terminal.wait_for("起离线").splitlines()[0]  # "offline since …"
    assert "1024 王芳" in header, header
    terminal.keys("F2")
    terminal.keys("F3")
    terminal.type("王五")
    terminal.keys("Tab")
    terminal.type("13712345678")
    terminal.keys("Tab")
    terminal.type("SF1311234567890")
    terminal.keys("Tab", "1")  # category: delay; on to days late
    for text in ("2", "两天没到", "尽快派送"):
        terminal.type(text)
        terminal.keys("Tab")
    terminal.keys("C-s")
    screen = terminal.wait_for("待发送")
    assert "P00" in screen  # a number of the journal's own, until the server answers
