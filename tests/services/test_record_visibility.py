"""Which records a role sees and works (docs/domain.md "People and places"): its own, its
team's, its outlet's, or everything; refused by the services, whatever the screen shows."""

from __future__ import annotations

import pytest

from cs_console.domain.enums import AttemptOutcome, Role
from cs_console.domain.permissions import may_view, may_work
from cs_console.services.callback_attempts import record_attempt
from cs_console.services.callbacks import promise_reply
from cs_console.services.complaint_progress import hand_over, mark_verified
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, PermissionDenied, ServiceContext
from cs_console.services.customers import reveal_customer
from cs_console.services.outlets import outlet_complaints
from cs_console.services.worklists import callback_queue, complaint_view
from tests.conftest import add_person
from tests.services.helpers import distinct_form, phone

OUTLET, TEAM = "浦东网点", "客服一组"
AG, SP, SU, OU = Role.AGENT, Role.SPECIALIST, Role.SUPERVISOR, Role.OUTLET


def _person(console: ServiceContext, name: str, role: Role, number: str, **where: str) -> Actor:
    return add_person(console, name, role, agent_no=number, **where)


def test_agents_see_their_own_and_their_teams_complaints(console: ServiceContext) -> None:
    owner = _person(console, "owner", AG, "5001", team=TEAM)
    mate = _person(console, "mate", AG, "5002", team=TEAM)
    stranger = _person(console, "stranger", AG, "5003", team="客服二组")
    loner = _person(console, "loner", AG, "5004")  # no team: only their own
    complaint_id = register_complaint(console, owner, distinct_form(1)).id

    assert complaint_view(console, owner, complaint_id).id == complaint_id
    assert complaint_view(console, mate, complaint_id).id == complaint_id
    for outsider in (stranger, loner):
        with pytest.raises(PermissionDenied) as refused:
            complaint_view(console, outsider, complaint_id)
        assert refused.value.code == "complaint_not_visible"
    # Seeing a teammate's complaint is not working it.
    with pytest.raises(PermissionDenied) as refused:
        mark_verified(console, mate, complaint_id)
    assert refused.value.code == "not_owner"
    with pytest.raises(PermissionDenied):
        reveal_customer(console, stranger, complaint_id, "只是好奇想看")


def test_specialists_see_and_work_what_was_handed_to_them(console: ServiceContext) -> None:
    agent = _person(console, "agent", AG, "5001", team=TEAM)
    handled = _person(console, "zhou", SP, "6001", team=TEAM)
    other = _person(console, "wu", SP, "6002", team=TEAM)
    complaint_id = register_complaint(console, agent, distinct_form(1)).id
    hand_over(console, agent, complaint_id, "zhou", "重大投诉")

    assert complaint_view(console, handled, complaint_id).owner_id == handled.id
    for refused_call in (
        lambda: complaint_view(console, other, complaint_id),
        lambda: mark_verified(console, other, complaint_id),
    ):
        with pytest.raises(PermissionDenied):
            refused_call()
    mark_verified(console, handled, complaint_id)


def test_supervisors_see_and_reassign_everything(console: ServiceContext) -> None:
    agent = _person(console, "agent", AG, "5001", team=TEAM)
    _person(console, "zhou", SP, "6001")
    boss = _person(console, "chen", SU, "9001", team="管理组")
    complaint_id = register_complaint(console, agent, distinct_form(1)).id

    assert complaint_view(console, boss, complaint_id).id == complaint_id
    hand_over(console, boss, complaint_id, "zhou", "人手调整")
    assert complaint_view(console, boss, complaint_id).owner == "zhou"


def test_outlets_see_their_own_outlets_records_only(console: ServiceContext) -> None:
    pudong = _person(console, "pudong", OU, "7001", outlet=OUTLET)
    minhang = _person(console, "minhang", OU, "7002", outlet="闵行网点")
    agent = _person(console, "agent", AG, "5001")
    walk_in = register_complaint(console, pudong, distinct_form(1)).id
    by_phone = register_complaint(console, agent, distinct_form(2)).id

    assert complaint_view(console, pudong, walk_in).channel == "walk_in"
    for actor, complaint_id in ((minhang, walk_in), (pudong, by_phone)):
        with pytest.raises(PermissionDenied) as refused:
            complaint_view(console, actor, complaint_id)
        assert refused.value.code == "not_your_outlet"
    assert [r.complaint_id for r in outlet_complaints(console, pudong)] == [walk_in]
    assert outlet_complaints(console, minhang) == []


def test_only_the_owner_or_a_supervisor_records_a_callback_attempt(console: ServiceContext) -> None:
    owner = _person(console, "owner", AG, "5001", team=TEAM)
    mate = _person(console, "mate", AG, "5002", team=TEAM)
    boss = _person(console, "chen", SU, "9001")
    promise_reply(console, owner, phone=phone(1))
    [row] = callback_queue(console, owner)

    with pytest.raises(PermissionDenied) as refused:
        record_attempt(console, mate, row.callback_id, AttemptOutcome.NO_ANSWER)
    assert refused.value.code == "not_your_callback"
    record_attempt(console, boss, row.callback_id, AttemptOutcome.NO_ANSWER)


@pytest.mark.parametrize("role", list(Role))
def test_the_pure_rules(role: Role) -> None:
    sees_all = role is SU
    assert may_view(role, owner=False) is sees_all
    assert may_view(role, owner=True) is (role in (AG, SP, SU))
    assert may_view(role, owner=False, same_team=True) is (role in (AG, SU))
    assert may_view(role, owner=False, same_outlet=True) is (role in (OU, SU))
    assert may_work(role, owner=True) is (role in (AG, SP, SU))
    assert may_work(role, owner=False) is sees_all
