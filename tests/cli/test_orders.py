"""cs-console order create|list|reply: the call desk sends, an outlet's script lists and
answers; JSON with the issue's fields, times with their offset; refusals exit 1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from cs_console.domain.enums import Role
from cs_console.domain.work_orders import OrderKind
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.work_orders import send_work_order
from cs_console.services.worklists import complaint_view
from cs_console.storage.tables import Complaint
from tests.cli.conftest import Run, add_person, assert_clean_failure, output_json, services_on
from tests.conftest import FakeClock
from tests.injections import FEW_INJECTIONS
from tests.services.helpers import distinct_form, one

AS = {"CS_CONSOLE_PASSWORD": "secret-pass-1"}  # add_person's password
FIELDS = {
    "id",
    "complaint_reference",
    "kind",
    "outlet",
    "status",
    "created_at",
    "due_at",
    "answered_at",
    "result",
    "answer",
}
PUDONG = "浦东网点"


@pytest.fixture
def admin_db(admin_db_on_each_engine: str) -> str:
    return admin_db_on_each_engine


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    """The CLI's database; the clock is the real one's minute (the commands use the real)."""
    with services_on(admin_db, FakeClock(datetime.now(UTC).replace(microsecond=0))) as console:
        yield console


@pytest.fixture
def people(console: ServiceContext) -> dict[str, Actor]:
    return {
        "agent": add_person(console, "wang", agent_no="1024"),
        "boss": add_person(console, "boss", Role.SUPERVISOR, agent_no="9001"),
        "pudong": add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet=PUDONG),
        "xuhui": add_person(console, "xuhui", Role.OUTLET, agent_no="7002", outlet="徐汇网点"),
    }


def _reference(console: ServiceContext, agent: Actor, i: int = 1) -> str:
    return register_complaint(console, agent, distinct_form(i, outlet=PUDONG)).reference


def test_create_prints_the_order_with_offset_times(
    run: Run, admin_db: str, console: ServiceContext, people: dict[str, Actor]
) -> None:
    reference = _reference(console, people["agent"])
    said = "客户说没收到" + "".join(FEW_INJECTIONS)

    result = run(
        ["order", "create", reference, "--kind", "urge", "--text", said, "--user", "wang",
         "--db", admin_db],
        env=AS,
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    order = output_json(result)
    assert set(order) == FIELDS
    assert (order["kind"], order["outlet"], order["status"]) == ("urge", PUDONG, "open")
    assert (order["answered_at"], order["result"], order["answer"]) == (None, None, "")
    created = datetime.fromisoformat(order["created_at"])
    due = datetime.fromisoformat(order["due_at"])
    assert order["due_at"].endswith("+08:00") and due - created == timedelta(hours=4)
    assert f"Work order {order['id']} sent to {PUDONG}" in result.stderr


def test_an_outlet_lists_its_orders_and_replies(
    run: Run, admin_db: str, console: ServiceContext, people: dict[str, Actor]
) -> None:
    first = _reference(console, people["agent"], 1)
    second = _reference(console, people["agent"], 2)
    urge = send_work_order(console, people["agent"], first, OrderKind.URGE, "请催派")
    send_work_order(
        console, people["agent"], second, OrderKind.REDELIVER, "请再投", outlet="徐汇网点"
    )

    listed = run(["order", "list", "--format", "json", "--user", "pudong", "--db", admin_db],
                 env=AS)  # fmt: skip
    assert listed.exit_code == 0, listed.stderr
    [mine] = output_json(listed)
    assert set(mine) == FIELDS and (mine["id"], mine["complaint_reference"]) == (urge.id, first)

    replied = run(
        ["order", "reply", str(urge.id), "--result", "facts", "--text", "快递员明天上午再派",
         "--user", "pudong", "--db", admin_db],
        env=AS,
    )  # fmt: skip
    assert replied.exit_code == 0, replied.stderr
    answer = output_json(replied)
    assert (answer["status"], answer["result"], answer["answer"]) == (
        "answered",
        "facts",
        "快递员明天上午再派",
    )
    assert answer["answered_at"].endswith("+08:00")
    complaint = complaint_view(console, people["agent"], _id_of(console, first))
    assert complaint.events[-1].kind == "order_answered"

    answered = run(["order", "list", "--status", "answered", "--format", "json",
                    "--user", "boss", "--db", admin_db], env=AS)  # fmt: skip
    assert [o["id"] for o in output_json(answered)] == [urge.id]


def _id_of(console: ServiceContext, reference: str) -> int:
    found: int = one(console, Complaint, Complaint.reference == reference).id
    return found


def test_refusals_exit_1_with_a_message(
    run: Run, admin_db: str, console: ServiceContext, people: dict[str, Actor]
) -> None:
    reference = _reference(console, people["agent"])
    order = send_work_order(console, people["agent"], reference, OrderKind.URGE, "请催派")

    def failed(*args: str) -> str:
        result = run([*args, "--db", admin_db], env=AS)
        assert_clean_failure(result)
        return result.stderr

    assert "role may not answer work orders" in failed(
        "order", "reply", str(order.id), "--result", "done", "--user", "wang"
    )
    assert "your outlet's records" in failed(
        "order", "reply", str(order.id), "--result", "done", "--user", "xuhui"
    )
    assert "text" in failed(
        "order", "reply", str(order.id), "--result", "cannot", "--user", "pudong"
    )
    assert "outlet" in failed(
        "order", "list", "--outlet", "徐汇网点", "--format", "json", "--user", "pudong"
    )
    assert "No outlet account serves 无此网点" in failed(
        "order", "create", reference, "--kind", "urge", "--text", "x", "--outlet", "无此网点",
        "--user", "wang",
    )  # fmt: skip
    usage = run(["order", "create", reference, "--kind", "fly", "--text", "x", "--user", "wang",
                 "--db", admin_db], env=AS)  # fmt: skip
    assert usage.exit_code == 2


def test_the_table_shows_the_state_and_time_left(
    run: Run, admin_db: str, console: ServiceContext, people: dict[str, Actor]
) -> None:
    reference = _reference(console, people["agent"])
    send_work_order(console, people["agent"], reference, OrderKind.INTERCEPT, "请拦截")

    result = run(["order", "list", "--user", "wang", "--db", admin_db], env=AS)

    assert result.exit_code == 0, result.stderr
    assert "Work orders: 1" in result.stdout
    assert reference in result.stdout and "intercept" in result.stdout
    assert "● open" in result.stdout and PUDONG in result.stdout
