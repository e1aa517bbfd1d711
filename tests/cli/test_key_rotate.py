"""``cs-console key rotate``: an administrator only; the first run shows a new recovery key
once and waits for the accounts to sign in; a later run destroys the old key. Both engines."""

from __future__ import annotations

from sqlmodel import select

from cs_console.cli.command_context import command_console
from cs_console.domain.enums import Role
from cs_console.services.accounts import authenticate
from cs_console.services.complaints import register_complaint
from cs_console.storage.engine import read_session
from cs_console.storage.tables import DataKeyRecord
from tests.cli.conftest import ADMIN, Run, add_person, assert_clean_failure, output_json
from tests.cli.test_key_commands import RECOVERY
from tests.services.helpers import delay_form

AGENT_PASSWORD = "secret-pass-1"


def test_rotate_as_admin_then_again_after_the_accounts_signed_in(
    run: Run, admin_db_on_each_engine: str, as_admin: dict[str, str]
) -> None:
    db = admin_db_on_each_engine
    console = command_console(db)
    try:
        agent = add_person(console, "wangfang", Role.AGENT)
        register_complaint(console, agent, delay_form(2, customer_name="张伟"))
    finally:
        console.engine.dispose()
    refused = run(
        ["key", "rotate", "--user", "wangfang", "--db", db],
        env={"CS_CONSOLE_PASSWORD": AGENT_PASSWORD},
    )
    assert_clean_failure(refused)

    first = run(["key", "rotate", "--user", ADMIN, "--db", db], env=as_admin)

    assert first.exit_code == 0, first.stderr
    found = RECOVERY.search(first.stderr)
    assert found is not None and found.group() not in first.stdout
    assert "old recovery key no longer works" in first.stderr
    assert output_json(first) == {
        "started": True,
        "resealed": 1,
        "finished": False,
        "pending": ["root", "wangfang"],  # root signed in before the start: takes it next run
        "accounts_reset": [],
        "sessions_ended": 0,
    }
    assert "wangfang" in first.stderr

    console = command_console(db)
    try:
        authenticate(console, "wangfang", AGENT_PASSWORD)  # takes the new key
    finally:
        console.engine.dispose()
    last = run(["key", "rotate", "--user", ADMIN, "--db", db], env=as_admin)

    assert last.exit_code == 0, last.stderr
    assert output_json(last)["finished"] is True and RECOVERY.search(last.stderr) is None
    assert "old data key is destroyed" in last.stderr
    console = command_console(db)
    try:
        with read_session(console.engine) as session:
            assert len(session.exec(select(DataKeyRecord)).all()) == 1
    finally:
        console.engine.dispose()
