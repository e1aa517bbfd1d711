"""cs-console user add|list|passwd|lock|unlock, acting for an administrator."""

from __future__ import annotations

import pytest

from cs_console.config.policy_file import read_policy
from cs_console.services.accounts import authenticate
from cs_console.services.context import ServiceContext, ServiceError
from cs_console.storage.engine import make_engine
from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, Run, assert_clean_failure, output_json
from tests.conftest import MemoryKeyring

AGENT, AGENT_PASSWORD = "wangfang", "agent-pass-1"


def _console(url: str) -> ServiceContext:
    return ServiceContext(make_engine(url), read_policy())


def _add_agent(run: Run, db: str, env: dict[str, str], name: str = AGENT, number: str = "1024"):
    return run(
        ["user", "add", name, "--role", "agent", "--display-name", "王芳", "--agent-no", number,
         "--team", "客服一组", "--password-stdin", "--user", ADMIN, "--db", db],
        input=AGENT_PASSWORD + "\n",
        env=env,
    )  # fmt: skip


def test_add_then_list_as_json_without_password_hashes(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    added = _add_agent(run, admin_db, as_admin)
    assert added.exit_code == 0, added.stderr
    assert "Added wangfang (agent)" in added.stderr
    assert output_json(added)["team"] == "客服一组"
    listed = run(
        ["user", "list", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )
    assert listed.exit_code == 0, listed.stderr
    accounts = output_json(listed)
    assert [(a["username"], a["role"], a["display_name"]) for a in accounts] == [
        (ADMIN, "admin", ADMIN),
        (AGENT, "agent", "王芳"),
    ]
    assert "scrypt" not in listed.stdout and "hash" not in listed.stdout
    assert authenticate(_console(admin_db), AGENT, AGENT_PASSWORD).actor.agent_no == "1024"


def test_list_cleans_names_stored_with_invisible_controls(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    from sqlalchemy import text

    assert _add_agent(run, admin_db, as_admin).exit_code == 0
    with make_engine(admin_db).begin() as connection:  # as a row written before cleaning
        connection.execute(
            text("UPDATE users SET display_name = :name WHERE username = :user"),
            {"name": "\u202e芳王\u200b\x1b[2J", "user": AGENT},
        )

    as_json = run(
        ["user", "list", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )
    as_table = run(["user", "list", "--user", ADMIN, "--db", admin_db], env=as_admin)

    assert as_json.exit_code == 0, as_json.stderr
    assert output_json(as_json)[1]["display_name"] == "芳王"
    for output in (as_json.stdout, as_table.stdout):
        assert "\u202e" not in output and "\u200b" not in output and "\x1b" not in output


def test_list_as_table_by_default(run: Run, admin_db: str, as_admin: dict[str, str]) -> None:
    _add_agent(run, admin_db, as_admin)
    listed = run(["--user", ADMIN, "--db", admin_db, "user", "list"], env=as_admin)  # root options
    assert listed.exit_code == 0, listed.stderr
    assert "王芳" in listed.stdout and "agent" in listed.stdout
    assert "scrypt" not in listed.stdout


def test_passwd_sets_a_password_to_change_at_next_login(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    _add_agent(run, admin_db, as_admin)
    result = run(
        ["user", "passwd", AGENT, "--password-stdin", "--user", ADMIN, "--db", admin_db],
        input="temporary-pass-9\n",
        env=as_admin,
    )
    assert result.exit_code == 0, result.stderr
    assert output_json(result) == {"username": AGENT, "must_change_password": True}
    login = authenticate(_console(admin_db), AGENT, "temporary-pass-9")
    assert login.must_change_password


@pytest.mark.parametrize("why", ["reset", "expired"])
def test_a_password_to_change_allows_no_command(
    run: Run, admin_db: str, as_admin: dict[str, str], why: str
) -> None:
    from sqlalchemy import text

    added = run(
        [
            "user", "add", "boss", "--role", "supervisor", "--display-name", "周敏",
            "--agent-no", "9001", "--password-stdin", "--user", ADMIN, "--db", admin_db,
        ],
        input="boss-pass-77\n",
        env=as_admin,
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    password = "boss-pass-77"
    if why == "reset":
        password = "temporary-pass-9"
        run(
            ["user", "passwd", "boss", "--password-stdin", "--user", ADMIN, "--db", admin_db],
            input=password + "\n",
            env=as_admin,
        )
    else:
        with make_engine(admin_db).begin() as connection:
            connection.execute(
                text("UPDATE users SET password_changed_at = :at WHERE username = 'boss'"),
                {"at": "2026-01-01 00:00:00.000000"},
            )
    unmasked = [
        "export", "complaints", "--format", "json", "--unmask", "--reason", "客户本人申请",
        "--user", "boss", "--db", admin_db,
    ]  # fmt: skip
    result = run(unmasked, env={"CS_CONSOLE_PASSWORD": password})

    assert_clean_failure(result)
    assert "The password of boss must be changed before anything else" in result.stderr
    report = run(
        ["report", "--user", "boss", "--db", admin_db], env={"CS_CONSOLE_PASSWORD": password}
    )
    assert_clean_failure(report)


def test_lock_then_unlock(run: Run, admin_db: str, as_admin: dict[str, str]) -> None:
    _add_agent(run, admin_db, as_admin)
    locked = run(["user", "lock", AGENT, "--user", ADMIN, "--db", admin_db], env=as_admin)
    assert locked.exit_code == 0, locked.stderr
    assert output_json(locked)["locked"] is True
    with pytest.raises(ServiceError) as refused:
        authenticate(_console(admin_db), AGENT, AGENT_PASSWORD)
    assert refused.value.code == "account_locked"
    unlocked = run(["user", "unlock", AGENT, "--user", ADMIN, "--db", admin_db], env=as_admin)
    assert unlocked.exit_code == 0, unlocked.stderr
    assert output_json(unlocked)["locked"] is False
    assert authenticate(_console(admin_db), AGENT, AGENT_PASSWORD).actor.username == AGENT


def test_admin_cannot_lock_themselves(run: Run, admin_db: str, as_admin: dict[str, str]) -> None:
    result = run(["user", "lock", ADMIN, "--user", ADMIN, "--db", admin_db], env=as_admin)
    assert_clean_failure(result)
    assert "your own account" in result.stderr


def test_unknown_user(run: Run, admin_db: str, as_admin: dict[str, str]) -> None:
    result = run(["user", "unlock", "nobody", "--user", ADMIN, "--db", admin_db], env=as_admin)
    assert_clean_failure(result)
    assert "No such user" in result.stderr


def test_refused_for_someone_who_is_not_an_administrator(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    _add_agent(run, admin_db, as_admin)
    result = run(
        ["user", "add", "lihua", "--role", "agent", "--display-name", "李华", "--agent-no", "1025",
         "--password-stdin", "--user", AGENT, "--db", admin_db],
        input="lihua-pass-1\n",
        env={"CS_CONSOLE_PASSWORD": AGENT_PASSWORD},
    )  # fmt: skip
    assert_clean_failure(result)
    assert "role may not" in result.stderr
    listed = run(
        ["user", "list", "--user", AGENT, "--db", admin_db],
        env={"CS_CONSOLE_PASSWORD": AGENT_PASSWORD},
    )
    assert_clean_failure(listed)


def test_refused_without_user(run: Run, admin_db: str) -> None:
    result = run(["user", "list", "--db", admin_db])
    assert_clean_failure(result)
    assert "--user" in result.stderr and "init --admin" in result.stderr


def test_refused_with_a_wrong_password(run: Run, admin_db: str) -> None:
    result = run(
        ["user", "list", "--user", ADMIN, "--db", admin_db],
        env={"CS_CONSOLE_PASSWORD": "wrong-pass"},
    )
    assert_clean_failure(result)
    assert "Wrong user name or password" in result.stderr


def test_never_prompts_when_stdin_is_not_a_terminal(
    run: Run, admin_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_prompt(*_args: object) -> str:
        raise AssertionError("prompted although stdin is not a terminal")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    result = run(["user", "list", "--user", ADMIN, "--db", admin_db], input=ADMIN_PASSWORD + "\n")
    assert_clean_failure(result)
    assert "No password for root" in result.stderr
    added = run(
        ["user", "add", "x1", "--role", "agent", "--display-name", "X", "--agent-no", "7",
         "--user", ADMIN, "--db", admin_db],
        env={"CS_CONSOLE_PASSWORD": ADMIN_PASSWORD},
    )  # fmt: skip
    assert_clean_failure(added)  # the new password needs --password-stdin off a terminal
    assert "--password-stdin" in added.stderr


def test_the_remembered_login_from_the_keyring(
    run: Run, admin_db: str, memory_keyring: MemoryKeyring
) -> None:
    from cs_console.cli.command_context import command_console
    from cs_console.services.accounts import authenticate
    from cs_console.services.sessions import remember_login

    console = command_console(admin_db)
    token = remember_login(console, authenticate(console, ADMIN, ADMIN_PASSWORD).actor)
    console.engine.dispose()
    memory_keyring.set_password("cs-console", ADMIN, token)
    result = run(["user", "list", "--format", "json", "--user", ADMIN, "--db", admin_db])
    assert result.exit_code == 0, result.stderr


def test_a_remembered_login_that_ended_is_forgotten_and_the_password_used(
    run: Run, admin_db: str, as_admin: dict[str, str], memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.set_password("cs-console", ADMIN, ADMIN_PASSWORD)  # an old password entry
    result = run(
        ["user", "list", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )
    assert result.exit_code == 0, result.stderr
    assert ("cs-console", ADMIN) not in memory_keyring.store


def test_a_hanging_keyring_falls_back_to_the_environment(
    run: Run, admin_db: str, as_admin: dict[str, str], memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import threading

    release = threading.Event()

    def hang(_service: str, _username: str) -> str:
        release.wait(10)
        return "never-used"

    monkeypatch.setattr(memory_keyring, "get_password", hang)
    monkeypatch.setattr("cs_console.config.remembered_login.KEYRING_TIMEOUT_S", 0.2)
    try:
        result = run(
            ["user", "list", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
        )
    finally:
        release.set()
    assert result.exit_code == 0, result.stderr


def test_a_broken_keyring_falls_back_to_the_environment(
    run: Run, admin_db: str, as_admin: dict[str, str], memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from keyring.errors import KeyringError

    def broken(_service: str, _username: str) -> str:
        raise KeyringError("D-Bus is gone")

    monkeypatch.setattr(memory_keyring, "get_password", broken)
    result = run(
        ["user", "list", "--format", "json", "--user", ADMIN, "--db", admin_db], env=as_admin
    )
    assert result.exit_code == 0, result.stderr


def test_invalid_account_names_the_fields(
    run: Run, admin_db: str, as_admin: dict[str, str]
) -> None:
    result = run(
        ["user", "add", "shop", "--role", "outlet", "--display-name", "门店", "--agent-no", "9001",
         "--password-stdin", "--user", ADMIN, "--db", admin_db],
        input="outlet-pass-1\n",
        env=as_admin,
    )  # fmt: skip
    assert_clean_failure(result)
    assert "outlet:" in result.stderr


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("wangfang88", "The password is built from the user name or display name"),
        ("iloveyou123", "The password is one of the most common passwords"),
        ("1111111111", "The password is made of repeated characters"),
    ],
)
def test_a_weak_password_is_refused_saying_why(
    run: Run, admin_db: str, as_admin: dict[str, str], password: str, why: str
) -> None:
    for command in (
        ["user", "add", AGENT, "--role", "agent", "--display-name", "王芳", "--agent-no", "1024"],
        ["user", "passwd", AGENT],
    ):
        result = run(
            ["--lang", "en", *command, "--password-stdin", "--user", ADMIN, "--db", admin_db],
            input=password + "\n",
            env=as_admin,
        )
        assert_clean_failure(result)
        assert why in result.stderr
        if command[1] == "add":
            assert _add_agent(run, admin_db, as_admin).exit_code == 0
    login = authenticate(_console(admin_db), AGENT, AGENT_PASSWORD)
    assert not login.must_change_password
