"""``init`` shows the recovery key once; ``key recover`` gives an administrator a new
password with it; ``key seal`` encrypts a database from before encryption."""

from __future__ import annotations

import re

from sqlalchemy import insert, text

from cs_console.cli.command_context import command_console
from cs_console.domain.enums import Role
from cs_console.services.accounts import authenticate, create_user
from cs_console.storage.engine import make_engine, write_session
from cs_console.storage.tables import Customer
from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, Run, assert_clean_failure, output_json

RECOVERY = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}")


def test_init_shows_a_recovery_key_that_recovers_the_admin(run: Run, new_db: str) -> None:
    init = run(
        ["init", "--db", new_db, "--admin", ADMIN, "--password-stdin"],
        input=ADMIN_PASSWORD + "\n",
    )
    assert init.exit_code == 0, init.stderr
    found = RECOVERY.search(init.stderr)
    assert found is not None and found.group() not in init.stdout

    wrong = run(
        ["key", "recover", ADMIN, "--db", new_db, "--password-stdin"],
        input="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-2222\nnew-admin-pass-1\n",
    )
    assert_clean_failure(wrong)
    weak = run(
        ["--lang", "en", "key", "recover", ADMIN, "--db", new_db, "--password-stdin"],
        input=f"{found.group()}\nqwerty123\n",
    )
    assert_clean_failure(weak)
    assert "one of the most common passwords" in weak.stderr
    right = run(
        ["key", "recover", ADMIN, "--db", new_db, "--password-stdin"],
        input=f"{found.group()}\nnew-admin-pass-1\n",
    )
    assert right.exit_code == 0, right.stderr
    assert output_json(right) == {"username": ADMIN, "must_change_password": True}
    console = command_console(new_db)
    try:
        assert authenticate(console, ADMIN, "new-admin-pass-1").actor.data_key is not None
    finally:
        console.engine.dispose()


def test_key_seal_encrypts_an_old_database(run: Run, new_db: str) -> None:
    assert run(["init", "--db", new_db]).exit_code == 0
    console = command_console(new_db)
    try:  # accounts and customers as a database from before encryption holds them
        create_user(
            console,
            username=ADMIN,
            display_name=ADMIN,
            agent_no="1",
            role=Role.ADMIN,
            password=ADMIN_PASSWORD,
        )
        with write_session(console.engine) as session:
            session.execute(
                insert(Customer).values(
                    phone_key="+8613812345678",
                    phone="+8613812345678",
                    name="张伟",
                    created_at=console.now(),
                )
            )
    finally:
        console.engine.dispose()
    upgraded = run(["init", "--db", new_db])
    assert "not encrypted yet" in upgraded.stderr

    sealed = run(  # as the README writes it: --user after the command
        ["key", "seal", "--user", ADMIN, "--db", new_db],
        env={"CS_CONSOLE_PASSWORD": ADMIN_PASSWORD},
    )

    assert sealed.exit_code == 0, sealed.stderr
    assert output_json(sealed) == {"sealed_customers": 1, "key_holder": ADMIN}
    assert RECOVERY.search(sealed.stderr)
    engine = make_engine(new_db)
    with engine.connect() as connection:
        name, phone = connection.execute(text("SELECT name, phone FROM customers")).one()
    engine.dispose()
    assert "张伟" not in name and "13812345678" not in phone
    assert "not encrypted yet" not in run(["init", "--db", new_db]).stderr


def test_recover_on_a_database_without_a_recovery_key_says_so(run: Run, new_db: str) -> None:
    demo = run(["demo", "--db", new_db, "--complaints", "5"])
    assert demo.exit_code == 0, demo.stderr

    result = run(
        ["key", "recover", "admin", "--db", new_db, "--password-stdin"],
        input="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-2222\nnew-admin-pass-1\n",
    )

    assert_clean_failure(result)
    assert "This database has no recovery key" in result.stderr
    assert "not encrypted" not in result.stderr
