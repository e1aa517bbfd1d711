"""Roles at every door: every public service function that takes an actor asks the role
matrix (``domain.permissions.ALLOWED``) before it reads or writes anything.

The functions are discovered, not listed: every public function of ``cs_console.services``
(the demo generator aside) with an ``actor: Actor`` parameter must be either in ``DOORS``
(the action it asks, and how to call it) or in ``NO_DOOR`` with the reason it needs no
check. A new service function with an actor and neither fails
``test_every_service_function_with_an_actor_is_accounted_for``.

For each door, every role is tried: the roles ``ALLOWED`` excludes are refused with
``PermissionDenied("refused_<action>")``, the others are not refused by role (records that
do not exist answer NotFound and the like, which is fine: the door was passed), and someone
whose password must be changed is refused whatever their role.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import cs_console.services
from cs_console.config.policy_file import default_policy
from cs_console.domain.claims import ClaimKind, EvidenceItem, EvidenceStatus, PayoutMethod
from cs_console.domain.enums import (
    AttemptOutcome,
    Channel,
    CompensationKind,
    ContactType,
    Responsibility,
    Role,
)
from cs_console.domain.permissions import ALLOWED, Action
from cs_console.domain.scorecard import Rating
from cs_console.domain.work_orders import OrderKind, OrderResult
from cs_console.services.complaint_export import ExportRequest
from cs_console.services.complaints import checked_registration
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.services.journal.ops import RegisterComplaint
from cs_console.services.register_files import RegisterTable
from cs_console.storage.engine import make_engine, read_session, write_session
from tests.conftest import PG_URL, TEST_DATA_KEY, FakeClock, _emptied, _fresh_sqlite, add_person
from tests.services.helpers import distinct_form, phone

NONE = 999_999  # an id no record has: past the door, the use case answers NotFound
Call = Callable[[Callable[..., Any], ServiceContext, Actor], object]


def _in_write(call: Callable[[Any], object]) -> Callable[..., object]:
    def run(fn: Callable[..., Any], console: ServiceContext, actor: Actor) -> object:
        with write_session(console.engine) as session:
            return call(lambda *a, **k: fn(session, *a, **k))

    return run


def _store(fn: Callable[..., Any], console: ServiceContext, actor: Actor) -> object:
    valid, _ = checked_registration(console, distinct_form(3))
    with write_session(console.engine) as session:
        return fn(session, console, actor, valid, key=TEST_DATA_KEY, registered_at=console.now())


def _walk_ins(fn: Callable[..., Any], console: ServiceContext, actor: Actor) -> object:
    with read_session(console.engine) as session:
        return fn(console, actor, session, console.now(), 5)


def _followup(fn: Callable[..., Any], console: ServiceContext, actor: Actor) -> object:
    callback = SimpleNamespace(complaint_id=NONE)
    with write_session(console.engine) as session:
        return fn(session, console, actor, callback, 5, console.now())


REGISTER_HEADER = (
    "姓名",
    "联系电话",
    "快递单号",
    "投诉类型",
    "延误天数",
    "问题描述",
    "诉求",
    "登记时间",
)

# "module.function": (the action it asks, how to call it with a console and an actor).
DOORS: dict[str, tuple[Action, Call]] = {
    "account_admin.add_account": (
        Action.MANAGE_USERS,
        lambda f, c, a: f(
            c,
            a,
            username="door",
            display_name="门",
            agent_no="4999",
            role=Role.AGENT,
            password="quiet-harbour-lantern-41",
        ),
    ),  # fmt: skip
    "account_admin.all_accounts": (Action.MANAGE_USERS, lambda f, c, a: f(c, a)),
    "account_admin.reset_password": (
        Action.MANAGE_USERS,
        lambda f, c, a: f(c, a, "nobody", "quiet-harbour-lantern-42"),
    ),
    "account_admin.lock_account": (Action.MANAGE_USERS, lambda f, c, a: f(c, a, "nobody")),
    "account_admin.unlock_account": (Action.MANAGE_USERS, lambda f, c, a: f(c, a, "nobody")),
    "audit_anchors.take_anchor": (Action.VERIFY_AUDIT, lambda f, c, a: f(c, a)),
    "audit_anchors.check_anchors": (Action.VERIFY_AUDIT, lambda f, c, a: f(c, a, [])),
    "audit_checks.verify_audit": (Action.VERIFY_AUDIT, lambda f, c, a: f(c, a)),
    "callback_attempts.record_attempt": (
        Action.RECORD_ATTEMPT,
        lambda f, c, a: f(c, a, NONE, AttemptOutcome.NO_ANSWER),
    ),
    "callback_attempts.undo_attempt": (Action.RECORD_ATTEMPT, lambda f, c, a: f(c, a, NONE)),
    "callbacks.promise_reply": (Action.PROMISE_REPLY, lambda f, c, a: f(c, a, phone=phone(4))),
    "callbacks.apply_followup": (Action.RECORD_ATTEMPT, _followup),
    "calls.start_call": (Action.START_CALL, lambda f, c, a: f(c, a, Channel.PHONE)),
    "calls.mark_answered": (Action.START_CALL, lambda f, c, a: f(c, a, NONE, c.now())),
    "calls.abandon_call": (Action.START_CALL, lambda f, c, a: f(c, a, NONE)),
    "calls.resume_call": (Action.START_CALL, lambda f, c, a: f(c, a, NONE)),
    "calls.caller_history": (
        Action.START_CALL,
        lambda f, c, a: f(c, a, phone=phone(1), tracking_no="YT4400000001"),
    ),
    "calls.end_call": (
        Action.START_CALL,
        lambda f, c, a: f(c, a, NONE, contact_type=ContactType.TRACKING, notes="", outcome=""),
    ),
    "complaint_export.open_export": (
        Action.EXPORT,
        lambda f, c, a: list(f(c, a, ExportRequest("json")).rows()),
    ),
    "complaint_import.import_register": (
        Action.IMPORT_COMPLAINTS,
        lambda f, c, a: f(c, a, RegisterTable(REGISTER_HEADER, ())),
    ),
    # import_register's steps: an empty register staged, a batch that does not exist.
    "import_publish.stage": (Action.IMPORT_COMPLAINTS, lambda f, c, a: f(c, a, [], None)),
    "import_publish.publish": (Action.IMPORT_COMPLAINTS, lambda f, c, a: f(c, a, NONE, 0)),
    "import_publish.settle_leftovers": (Action.IMPORT_COMPLAINTS, lambda f, c, a: f(c, a)),
    "complaints.name_on_file": (Action.REGISTER_COMPLAINT, lambda f, c, a: f(c, a, phone(1))),
    "complaints.find_repeat": (
        Action.REGISTER_COMPLAINT,
        lambda f, c, a: f(c, a, phone(1), "YT4400000001"),
    ),
    "complaints.register_complaint": (
        Action.REGISTER_COMPLAINT,
        lambda f, c, a: f(c, a, distinct_form(2)),
    ),
    "complaints.store_complaint": (Action.REGISTER_COMPLAINT, _store),
    "complaint_progress.mark_verified": (Action.VERIFY, lambda f, c, a: f(c, a, NONE)),
    "complaint_progress.record_resolution": (
        Action.RECORD_RESOLUTION,
        lambda f, c, a: f(c, a, NONE, kind=CompensationKind.COUPON, amount_fen=500, accepted=False),
    ),
    "complaint_progress.hand_over": (
        Action.HAND_OVER,
        lambda f, c, a: f(c, a, NONE, "nobody", "换班交接给同事"),
    ),
    "customers.reveal_customer": (
        Action.REVEAL_PERSONAL_DATA,
        lambda f, c, a: f(c, a, NONE, "核对客户电话"),
    ),
    "customers.reveal_callback_phone": (
        Action.REVEAL_PERSONAL_DATA,
        lambda f, c, a: f(c, a, NONE, "核对客户电话"),
    ),
    "data_subjects.export_person": (
        Action.EXPORT_PERSON,
        lambda f, c, a: f(c, a, phone(61), "客户要求查阅个人信息", "-"),
    ),
    "data_subjects.erase_person": (
        Action.ERASE_PERSON,
        lambda f, c, a: f(c, a, phone(61), "客户要求删除个人信息"),
    ),
    "emergencies.declare_disaster": (
        Action.DECLARE_INCIDENT,
        lambda f, c, a: f(c, a, "杭州", 2),
    ),
    "emergencies.declare_outage": (Action.DECLARE_INCIDENT, lambda f, c, a: f(c, a)),
    "emergencies.end_incident": (Action.DECLARE_INCIDENT, lambda f, c, a: f(c, a, NONE)),
    "incidents.incident_board": (Action.VIEW_INCIDENTS, lambda f, c, a: f(c, a)),
    "incidents.open_incident": (Action.DECLARE_INCIDENT, lambda f, c, a: f(c, a, NONE)),
    "incidents.dismiss_alert": (Action.DECLARE_INCIDENT, lambda f, c, a: f(c, a, NONE)),
    "incidents.queue_incident_callbacks": (
        Action.DECLARE_INCIDENT,
        lambda f, c, a: f(c, a, NONE),
    ),
    "journal.callbacks.schedule_outage_callbacks": (
        Action.PROMISE_REPLY,
        lambda f, c, a: f(c, a, [phone(5)]),
    ),
    "journal.ops.check_offline": (
        Action.REGISTER_COMPLAINT,
        lambda f, c, a: f(c, a, RegisterComplaint(distinct_form(3))),
    ),
    "outlets.outlet_complaints": (Action.VIEW_OUTLET_COMPLAINTS, lambda f, c, a: f(c, a)),
    "overview.overview": (Action.VIEW_OVERVIEW, lambda f, c, a: f(c, a)),
    "overview.sla_clocks": (Action.VIEW_REPORTS, lambda f, c, a: f(c, a)),
    "purge.purge": (Action.PURGE, lambda f, c, a: f(c, a, dry_run=True)),
    "key_rotation.rotate_data_key": (Action.MANAGE_USERS, lambda f, c, a: f(c, a)),
    "reassign.reassign_callback": (
        Action.REASSIGN,
        lambda f, c, a: f(c, a, NONE, "nobody", "人手调整改派"),
    ),
    "reports.monthly_report": (Action.VIEW_REPORTS, lambda f, c, a: f(c, a, "2026-11")),
    "resolutions.decide_compensation": (
        Action.APPROVE_COMPENSATION,
        lambda f, c, a: f(c, a, NONE, approve=True),
    ),
    "scoring.agent_card": (Action.RATE_AGENTS, lambda f, c, a: f(c, a, "nobody", "2026-11")),
    "scoring.rate_agent": (
        Action.RATE_AGENTS,
        lambda f, c, a: f(c, a, "nobody", "2026-11", Rating(80, 80)),
    ),
    "scoring.scored_staff": (Action.RATE_AGENTS, lambda f, c, a: f(c, a)),
    "scoring.attribute_complaint": (
        Action.RATE_AGENTS,
        lambda f, c, a: f(c, a, NONE, Responsibility.COURIER, reason="快递员未按约派送"),
    ),
    "scoring.attribute_by_reference": (
        Action.RATE_AGENTS,
        lambda f, c, a: f(
            c, a, "C-20261122-9999", Responsibility.COURIER, reason="快递员未按约派送"
        ),
    ),
    "walk_ins.walk_ins_in": (Action.VIEW_OVERVIEW, _walk_ins),
    "worklists.my_clocks": (Action.VIEW_WORKLIST, lambda f, c, a: f(c, a)),
    "worklists.callback_queue": (Action.VIEW_WORKLIST, lambda f, c, a: f(c, a)),
    "worklists.complaint_view": (Action.VIEW_COMPLAINT, lambda f, c, a: f(c, a, NONE)),
    "claims.open_claim": (
        Action.WORK_CLAIM,
        lambda f, c, a: f(c, a, "C-20261122-9999", ClaimKind.LOSS, 100),
    ),
    "claims.record_evidence": (
        Action.WORK_CLAIM,
        lambda f, c, a: f(c, a, NONE, EvidenceItem.PHOTOS, EvidenceStatus.RECEIVED, "照片存档"),
    ),
    "claims.claim_view": (Action.VIEW_CLAIMS, lambda f, c, a: f(c, a, NONE)),
    "claims.claim_of_complaint": (Action.VIEW_CLAIMS, lambda f, c, a: f(c, a, NONE)),
    "claims.list_claims": (Action.VIEW_CLAIMS, lambda f, c, a: f(c, a)),
    "claim_decisions.propose_claim": (Action.WORK_CLAIM, lambda f, c, a: f(c, a, NONE)),
    "claim_decisions.decide_claim": (
        Action.APPROVE_COMPENSATION,
        lambda f, c, a: f(c, a, NONE, approve=True, reason="材料齐全同意"),
    ),
    "claim_decisions.approvals_waiting": (Action.APPROVE_COMPENSATION, lambda f, c, a: f(c, a)),
    "claim_decisions.record_payout": (
        Action.WORK_CLAIM,
        lambda f, c, a: f(
            c, a, NONE, method=PayoutMethod.CASH, reference="R1", paid_on=date(2026, 11, 1)
        ),
    ),
    "work_orders.send_work_order": (
        Action.SEND_WORK_ORDER,
        lambda f, c, a: f(c, a, "C-20261122-9999", OrderKind.URGE, "请尽快派送"),
    ),
    "work_orders.order_start": (
        Action.SEND_WORK_ORDER,
        lambda f, c, a: f(c, a, "C-20261122-9999"),
    ),
    "work_orders.list_work_orders": (Action.VIEW_WORK_ORDERS, lambda f, c, a: f(c, a)),
    "work_orders.outlet_inbox": (Action.ANSWER_WORK_ORDER, lambda f, c, a: f(c, a)),
    "work_orders.overdue_work_orders": (Action.VIEW_OVERVIEW, lambda f, c, a: f(c, a)),
    "work_orders.answer_work_order": (
        Action.ANSWER_WORK_ORDER,
        lambda f, c, a: f(c, a, NONE, OrderResult.DONE),
    ),
}

# "module.function": why it asks no action of the role matrix.
NO_DOOR: dict[str, str] = {
    "claims.load_claim": "loads a claim inside a use case that asked require() already",
    "claims.view_of": "shapes a row a use case that asked require() has read",
    "resolutions.check_approver": "the approval limit check of use cases that asked require()",
    "context.require": "the door itself",
    "context.data_key_of": "hands back the actor's own key from memory, reads nothing",
    "audit_checks.audit_alarm": (
        "a notice at sign-in, not a request: answers None (says nothing) to every role "
        "that may not verify the trail, and to a password that must be changed"
    ),
    "drafts.save_draft": "one's own draft (keyed by the actor's id), sealed with their key",
    "drafts.load_draft": "one's own draft (keyed by the actor's id)",
    "drafts.kept_drafts": "one's own kept forms (keyed by the actor's id)",
    "drafts.discard_draft": "one's own draft (keyed by the actor's id)",
    "journal.operation.actor_json": "describes the actor for the journal, reads nothing",
    "journal.once.apply_once": "sends an operation, whose use case asks require() itself",
    "journal.provisional.provisional_complaint": (
        "what is known of a registration journalled after check_offline asked "
        "REGISTER_COMPLAINT; reads and writes nothing"
    ),
    "sessions.remember_login": "one's own sign-in token, made right after that sign-in",
    "journal.sign_ins.keep_sign_in": (
        "one's own sign-in kept on this machine right after it (reads one's own account); "
        "a password that must be changed is kept as such and refused offline"
    ),
    "complaint_lock.load_for_update": (
        "inside a use case that asked its action first (verify, resolve, hand over, "
        "approve); checks the record itself (the owner or a supervisor)"
    ),
    "visibility.check_visible": "the record-level check (may_view) use cases call after require",
    "visibility.check_workable": "the record-level check (may_work) use cases call after require",
    "owners.record_hand_over": (
        "writes the event inside hand_over / reassign_callback, which asked "
        "HAND_OVER / REASSIGN first"
    ),
}


def _takes_an_actor(fn: Callable[..., Any]) -> bool:
    parameter = inspect.signature(fn).parameters.get("actor")
    return parameter is not None and parameter.annotation in ("Actor", Actor)


def service_functions() -> dict[str, Callable[..., Any]]:
    """Every public function of the services (the demo generator aside) taking an actor."""
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(cs_console.services.__path__, "cs_console.services."):
        where = info.name.removeprefix("cs_console.services.")  # journal.ops in a package
        if where.startswith("demo"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ == module.__name__ and _takes_an_actor(fn):
                found[f"{where}.{name}"] = fn
    return found


FUNCTIONS = service_functions()


def test_every_service_function_with_an_actor_is_accounted_for() -> None:
    unchecked = set(FUNCTIONS) - set(DOORS) - set(NO_DOOR)
    assert not unchecked, f"ask require() in these, or say in NO_DOOR why not: {unchecked}"
    assert not set(DOORS) & set(NO_DOOR)
    assert set(DOORS) | set(NO_DOOR) <= set(FUNCTIONS), "a listed function no longer exists"


def test_the_discovery_sees_what_was_there_before_this_test() -> None:
    # A discovery that found nothing would let every check below pass vacuously.
    assert {"calls.caller_history", "complaints.find_repeat", "drafts.save_draft"} <= set(FUNCTIONS)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def door_console(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
) -> Iterator[ServiceContext]:
    """One database per engine for the whole walk: only the answers at the door matter."""
    if request.param == "sqlite":
        url = _fresh_sqlite(sqlite_template, tmp_path_factory.mktemp("doors"))
    elif not PG_URL:
        pytest.skip("PostgreSQL tests need CS_CONSOLE_TEST_PG (a server URL)")
    else:
        url = _emptied(request.getfixturevalue("pg_database"))
    engine = make_engine(url)
    yield ServiceContext(engine, default_policy(), ZoneInfo("Asia/Shanghai"), FakeClock())
    engine.dispose()


@pytest.fixture(scope="module")
def people(door_console: ServiceContext) -> dict[Role, Actor]:
    """One signed-in person of every role (the outlet at 浦东网点)."""
    return {
        role: add_person(
            door_console,
            f"door-{role.value}",
            role,
            agent_no=str(5000 + i),
            outlet="浦东网点" if role is Role.OUTLET else "",
            team="客服一组",
        )
        for i, role in enumerate(Role)
    }


def _refusal(
    call: Call, fn: Callable[..., Any], console: ServiceContext, actor: Actor
) -> str | None:
    """The refusal code when the call is refused by role or password, else None."""
    try:
        call(fn, console, actor)
    except PermissionDenied as refused:
        if refused.code.startswith("refused_") or refused.code == "password_change_due":
            return refused.code
    except Exception:  # noqa: BLE001 - past the door: a missing record, bad input …
        return None
    return None


@pytest.mark.parametrize("name", sorted(DOORS))
def test_each_door_refuses_exactly_the_roles_the_matrix_excludes(
    name: str, door_console: ServiceContext, people: dict[Role, Actor]
) -> None:
    action, call = DOORS[name]
    fn = FUNCTIONS[name]
    answers = {role: _refusal(call, fn, door_console, people[role]) for role in Role}
    expected = {
        role: None if role in ALLOWED[action] else f"refused_{action.value}" for role in Role
    }
    assert answers == expected
    allowed = next(role for role in Role if role in ALLOWED[action])
    due = replace(people[allowed], password_change_due=True)
    assert _refusal(call, fn, door_console, due) == "password_change_due"
