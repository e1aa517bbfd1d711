"""A bad audit row stops nobody signing in, and administrators are told at sign-in."""

from __future__ import annotations

from sqlalchemy import text

from cs_console.domain.enums import Role
from cs_console.services.context import ServiceContext
from cs_console.ui.factory import make_app
from tests.conftest import add_person
from tests.ui.screen_text import compact
from tests.ui.support import PASSWORD, people, ready, rows, settle, shown_compact


def _forge_row_behind_the_heads_back(console: ServiceContext) -> int:
    """A row at the next id (the head untouched), as someone with SQL access could add."""
    newest = rows(console, "SELECT id, at, hash FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    with console.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (id, at, actor_id, action, target, detail, prev_hash, hash)"
                " VALUES (:id, :at, NULL, 'login', 'user:ghost', '{}', :prev, :hash)"
            ),
            {"id": newest[0] + 1, "at": newest[1], "prev": newest[2], "hash": "e" * 64},
        )
    return newest[0] + 1


async def _sign_in(console: ServiceContext, username: str) -> tuple[str, list[str]]:
    """Sign ``username`` in: the screen they see, and what they were told."""
    app = make_app(console=console, username=username, password=PASSWORD)
    app.cursor_blink = False  # type: ignore[attr-defined]
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await settle(pilot)
        told = [compact(str(n.message)) for n in app._notifications]
        return shown_compact(app), told


async def test_a_forged_row_stops_no_sign_in_and_the_administrator_is_told(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    add_person(sqlite_console, "root", Role.ADMIN, agent_no="0001", display_name="管理员")
    forged = _forge_row_behind_the_heads_back(sqlite_console)

    agent_screen, agent_told = await _sign_in(sqlite_console, "wangfang")
    admin_screen, admin_told = await _sign_in(sqlite_console, "root")

    logins = rows(
        sqlite_console,
        "SELECT u.username FROM audit_log a JOIN users u ON u.id = a.actor_id "
        "WHERE a.action = 'login' ORDER BY a.id",
    )
    assert [name for (name,) in logins] == ["wangfang", "root"]  # both recorded
    assert "工号1024王芳" in agent_screen and not agent_told  # agents are not told
    assert "工号0001管理员" in admin_screen
    told = f"审计日志已被篡改：有条目被插入（第{forged}条）。请运行cs-consoleauditverify"
    assert told in admin_told
