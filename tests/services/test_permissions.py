"""The role matrix (docs/domain.md "People and places", "Information security"), enforced by the
services: for every action and every role, the real use case runs or is refused.

``EXPECTED`` is written out here from docs/domain.md, not read from the code: changing who may do
what means changing this table too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from cs_console.domain.enums import AttemptOutcome, CompensationKind, ContactType, Role
from cs_console.domain.permissions import ALLOWED, Action, can
from cs_console.domain.scorecard import Rating
from cs_console.domain.work_orders import OrderKind, OrderResult
from cs_console.i18n import catalog
from cs_console.services.account_admin import (
    add_account,
    all_accounts,
    lock_account,
    reset_password,
    unlock_account,
)
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.calls import end_call, mark_answered, start_call
from cs_console.services.complaint_export import ExportRequest, open_export
from cs_console.services.complaint_import import import_register
from cs_console.services.complaint_progress import hand_over, mark_verified, record_resolution
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.services.customers import reveal_customer
from cs_console.services.data_subjects import erase_person, export_person
from cs_console.services.emergencies import declare_disaster, declare_outage, end_incident
from cs_console.services.incidents import incident_board
from cs_console.services.outlets import outlet_complaints
from cs_console.services.overview import overview, sla_clocks
from cs_console.services.register_files import RegisterTable
from cs_console.services.reports import monthly_report
from cs_console.services.resolutions import decide_compensation
from cs_console.services.scoring import rate_agent
from cs_console.services.work_orders import answer_work_order, list_work_orders, send_work_order
from cs_console.services.worklists import callback_queue, complaint_view, my_clocks
from tests.conftest import add_person
from tests.services.claim_cases import APPROVE_CLAIM, CLAIM_EXPECTED, CLAIM_USE_CASES
from tests.services.helpers import distinct_form, phone

OUTLET, TEAM = "浦东网点", "客服一组"
AG, SP, SU, OU, AD = Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.OUTLET, Role.ADMIN

EXPECTED: dict[Action, set[Role]] = {
    Action.REGISTER_COMPLAINT: {AG, SP, SU, OU},
    Action.VIEW_COMPLAINT: {AG, SP, SU, OU},
    Action.VERIFY: {AG, SP, SU},
    Action.RECORD_RESOLUTION: {AG, SP, SU},
    Action.HAND_OVER: {AG, SP, SU},
    Action.REASSIGN: {SU},
    Action.PROMISE_REPLY: {AG, SP, SU},
    Action.RECORD_ATTEMPT: {AG, SP, SU},
    Action.START_CALL: {AG, SP, SU},
    Action.VIEW_WORKLIST: {AG, SP, SU},
    Action.VIEW_INCIDENTS: {AG, SP, SU},
    Action.VIEW_OUTLET_COMPLAINTS: {OU},
    Action.REVEAL_PERSONAL_DATA: {AG, SP, SU},
    Action.VIEW_OVERVIEW: {SU},
    Action.EXPORT: {SU},
    Action.DECLARE_INCIDENT: {SU},
    Action.MANAGE_USERS: {AD},
    Action.PURGE: {AD},
    Action.VERIFY_AUDIT: {SU, AD},
    Action.IMPORT_COMPLAINTS: {AG, SU},
    Action.VIEW_REPORTS: {SU},
    Action.RATE_AGENTS: {SU},
    # Each within its limit (tests/services/test_claims.py tries the limits).
    Action.APPROVE_COMPENSATION: {AG, SP, SU},
    Action.SEND_WORK_ORDER: {AG, SP, SU},
    Action.VIEW_WORK_ORDERS: {AG, SP, SU, OU},
    Action.ANSWER_WORK_ORDER: {OU},
    Action.EXPORT_PERSON: {SU, AD},
    Action.ERASE_PERSON: {AD},
    **CLAIM_EXPECTED,
}
# No use case asks these yet (purge and the audit check still name their roles themselves).
NO_SERVICE_YET = {
    Action.PURGE,
    Action.VERIFY_AUDIT,
}
CASES = [(action, role) for action in Action for role in Role]


def test_the_matrix_is_the_one_of_the_domain() -> None:
    assert set(ALLOWED) == set(Action) == set(EXPECTED)
    assert {action: set(roles) for action, roles in ALLOWED.items()} == EXPECTED


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_refusal_is_explained_in_both_languages(lang: str) -> None:
    messages = catalog(lang)
    codes = [f"refused_{a.value}" for a in Action]
    codes += ["complaint_not_visible", "not_your_outlet", "not_your_callback", "not_owner"]
    for code in codes:
        assert messages.get(f"error.{code}"), code
    if lang == "en":  # the CLI's users read "your role may not …"
        assert all("role may not" in messages[f"error.refused_{a.value}"] for a in Action)


# --- the people and records each case needs ----------------------------------------------


def subject(console: ServiceContext, role: Role) -> Actor:
    """The person whose role is under test (an outlet account at 浦东网点, in 客服一组)."""
    return add_person(
        console,
        "subject",
        role,
        agent_no="3001",
        outlet=OUTLET if role is OU else "",
        team=TEAM,
    )


def colleague(console: ServiceContext) -> Actor:
    """An agent who registers what the subject is then given."""
    return add_person(console, "helper", agent_no="3002")


def given_complaint(console: ServiceContext, owner: Actor, helper: Actor) -> int:
    """A complaint of 浦东网点 registered by ``helper`` and then owned by ``owner``."""
    registered = register_complaint(console, helper, distinct_form(7, outlet=OUTLET))
    with console.engine.begin() as connection:
        connection.execute(
            text("UPDATE complaints SET owner_id = :o WHERE id = :c"),
            {"o": owner.id, "c": registered.id},
        )
    return registered.id


def given_callback(console: ServiceContext, owner: Actor, helper: Actor) -> int:
    promise_reply(console, helper, phone=phone(8))
    with console.engine.begin() as connection:
        connection.execute(text("UPDATE callbacks SET owner_id = :o"), {"o": owner.id})
        return connection.execute(text("SELECT id FROM callbacks")).scalar_one()


def _register(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    register_complaint(console, actor, distinct_form(1))


def _view(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    complaint_view(console, actor, given_complaint(console, actor, helper))


def _verify(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    mark_verified(console, actor, given_complaint(console, actor, helper))


def _resolution(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    record_resolution(
        console,
        actor,
        given_complaint(console, actor, helper),
        kind=CompensationKind.COUPON,
        amount_fen=500,
        accepted=False,
    )


def _hand_over(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    hand_over(console, actor, given_complaint(console, actor, helper), "helper", "换班")


def _reassign(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    add_person(console, "other", agent_no="3003")
    hand_over(console, actor, given_complaint(console, helper, helper), "other", "人手调整")


def _promise(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    promise_reply(console, actor, phone=phone(9))


def _attempt(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    callback_id = given_callback(console, actor, helper)
    record_attempt(console, actor, callback_id, AttemptOutcome.NO_ANSWER)


def _call(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    contact_id = start_call(console, actor)
    mark_answered(console, actor, contact_id, console.now())
    end_call(console, actor, contact_id, contact_type=ContactType.TRACKING, notes="", outcome="")


def _worklist(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    my_clocks(console, actor)
    callback_queue(console, actor)


def _incidents(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    incident_board(console, actor)


def _outlet_list(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    outlet_complaints(console, actor)


def _reveal(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    reveal_customer(console, actor, given_complaint(console, actor, helper), "核对电话")


def _users(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    add_account(
        console,
        actor,
        username="new",
        display_name="新人",
        agent_no="4001",
        role=Role.AGENT,
        password="secret-pass-9",
    )
    all_accounts(console, actor)
    reset_password(console, actor, "new", "secret-pass-8")
    lock_account(console, actor, "new")
    unlock_account(console, actor, "new")


def _export(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    list(open_export(console, actor, ExportRequest("json")).rows())


def _import(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    header = (
        "姓名",
        "联系电话",
        "快递单号",
        "投诉类型",
        "延误天数",
        "问题描述",
        "诉求",
        "登记时间",
    )
    row = ("张伟", phone(5), "YT4400000005", "延误", "2", "晚到", "道歉", "2026-11-22 09:00")
    import_register(console, actor, RegisterTable(header, ((2, row),)))


def _overview(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    overview(console, actor)


def _reports(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    monthly_report(console, actor, "2026-11")
    sla_clocks(console, actor)


def _rate(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    rate_agent(console, actor, "helper", "2026-11", Rating(80, 80))


def _approve(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    complaint_id = given_complaint(console, helper, helper)
    record_resolution(
        console,
        helper,
        complaint_id,
        kind=CompensationKind.COUPON,
        amount_fen=5_000,  # above the suggestion, within every approver's limit
        accepted=True,
        reason="客户多次投诉，主管同意加赔",
    )
    decide_compensation(console, actor, complaint_id, approve=True)
    APPROVE_CLAIM(console, actor, helper)


def _declare(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    end_incident(console, actor, declare_outage(console, actor))
    end_incident(console, actor, declare_disaster(console, actor, "杭州", 2))


def _order_to_pudong(console: ServiceContext, sender: Actor, owner: Actor, helper: Actor) -> int:
    """An order about a complaint ``helper`` registered for ``owner``, sent by ``sender`` to
    浦东网点 (which an outlet account serves: the subject, or a counter added here)."""
    complaint_id = given_complaint(console, owner, helper)
    with console.engine.connect() as connection:
        served = connection.execute(
            text("SELECT count(*) FROM users WHERE outlet = :o"), {"o": OUTLET}
        ).scalar_one()
        reference = connection.execute(
            text("SELECT reference FROM complaints WHERE id = :c"), {"c": complaint_id}
        ).scalar_one()
    if not served:
        add_person(console, "counter", OU, agent_no="3004", outlet=OUTLET)
    return send_work_order(console, sender, reference, OrderKind.URGE, "请尽快派送").id


def _send_order(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    _order_to_pudong(console, actor, actor, helper)


def _list_orders(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    list_work_orders(console, actor)


def _answer_order(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    order_id = _order_to_pudong(console, helper, helper, helper)
    answer_work_order(console, actor, order_id, OrderResult.DONE)


def _export_person(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    register_complaint(console, helper, distinct_form(6))
    export_person(console, actor, phone(6), "客户要求查阅个人信息", "-")


def _erase_person(console: ServiceContext, actor: Actor, helper: Actor) -> None:
    register_complaint(console, helper, distinct_form(6))
    erase_person(console, actor, phone(6), "客户要求删除个人信息")


USE_CASES: dict[Action, Callable[[ServiceContext, Actor, Actor], None]] = {
    Action.REGISTER_COMPLAINT: _register,
    Action.VIEW_COMPLAINT: _view,
    Action.VERIFY: _verify,
    Action.RECORD_RESOLUTION: _resolution,
    Action.HAND_OVER: _hand_over,
    Action.REASSIGN: _reassign,
    Action.PROMISE_REPLY: _promise,
    Action.RECORD_ATTEMPT: _attempt,
    Action.START_CALL: _call,
    Action.VIEW_WORKLIST: _worklist,
    Action.VIEW_INCIDENTS: _incidents,
    Action.VIEW_OUTLET_COMPLAINTS: _outlet_list,
    Action.REVEAL_PERSONAL_DATA: _reveal,
    Action.MANAGE_USERS: _users,
    Action.EXPORT: _export,
    Action.IMPORT_COMPLAINTS: _import,
    Action.VIEW_OVERVIEW: _overview,
    Action.VIEW_REPORTS: _reports,
    Action.RATE_AGENTS: _rate,
    Action.DECLARE_INCIDENT: _declare,
    Action.APPROVE_COMPENSATION: _approve,
    Action.SEND_WORK_ORDER: _send_order,
    Action.VIEW_WORK_ORDERS: _list_orders,
    Action.ANSWER_WORK_ORDER: _answer_order,
    Action.EXPORT_PERSON: _export_person,
    Action.ERASE_PERSON: _erase_person,
    **CLAIM_USE_CASES,
}


def test_every_action_with_a_service_is_exercised() -> None:
    assert set(USE_CASES) | NO_SERVICE_YET == set(Action)


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_the_service_allows_or_refuses_as_the_matrix_says(
    console: ServiceContext, action: Action, role: Role
) -> None:
    allowed = role in EXPECTED[action]
    assert can(role, action) is allowed
    use_case = USE_CASES.get(action)
    if use_case is None:
        return  # no service yet: the matrix above is what it will ask
    actor, helper = subject(console, role), colleague(console)
    if allowed:
        use_case(console, actor, helper)
    else:
        with pytest.raises(PermissionDenied) as refused:
            use_case(console, actor, helper)
        # Refused by role; moving someone else's complaint also by not owning it, and by
        # not handing over at all.
        expected = {f"refused_{action.value}"}
        if action is Action.REASSIGN:
            expected |= {"not_owner", "refused_hand_over"}
        assert refused.value.code in expected
