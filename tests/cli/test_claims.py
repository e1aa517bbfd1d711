"""cs-console claims: the list (JSON and table) and the flow from a script: open, evidence,
propose, approve/refuse, pay; refusals and bad input exit 1 with a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from cs_console.domain.enums import Role
from cs_console.services.context import Actor, ServiceContext
from tests.cli.conftest import Run, add_person, assert_clean_failure, output_json, services_on
from tests.conftest import FakeClock
from tests.services.claim_cases import insured_loss

PASSWORD = {"CS_CONSOLE_PASSWORD": "secret-pass-1"}
KEPT = "发票原件存于理赔档案柜"


@pytest.fixture
def admin_db(admin_db_on_each_engine: str) -> str:
    return admin_db_on_each_engine


@pytest.fixture
def console(admin_db: str) -> Iterator[ServiceContext]:
    with services_on(admin_db, FakeClock(datetime.now(UTC).replace(microsecond=0))) as console:
        yield console


@pytest.fixture
def people(console: ServiceContext) -> dict[str, Actor]:
    return {
        "agent": add_person(console, "wang", agent_no="1024"),
        "specialist": add_person(console, "zhou", Role.SPECIALIST, agent_no="6001"),
        "boss": add_person(console, "boss", Role.SUPERVISOR, agent_no="9001"),
    }


def test_a_claim_from_open_to_paid_by_script(
    run: Run, admin_db: str, console: ServiceContext, people: dict[str, Actor]
) -> None:
    reference = insured_loss(console, people["agent"])

    def claims(*args: str, user: str = "wang") -> dict:
        result = run(["claims", *args, "--user", user, "--db", admin_db], env=PASSWORD)
        assert result.exit_code == 0, result.stderr
        return output_json(result)

    opened = claims("open", reference, "--kind", "loss", "--amount", "2,500")
    assert (opened["status"], opened["claimed_fen"], opened["payable_rule"]) == (
        "open", 250_000, "no_proof"
    )  # fmt: skip
    assert opened["decision_due"].endswith("+08:00")
    assert opened["evidence_missing"] == ["proof_of_value", "insurance_record", "identity"]
    claim_id = str(opened["id"])
    for item in opened["evidence_required"]:
        shown = claims("evidence", claim_id, "--item", item, "--note", KEPT)
    assert shown["evidence_missing"] == [] and shown["payable_fen"] == 200_000
    proposed = claims("propose", claim_id)
    assert (proposed["status"], proposed["waiting_for"]) == ("pending", "supervisor")

    specialist = run(["claims", "approve", claim_id, "--reason", "材料齐全同意", "--user",
                      "zhou", "--db", admin_db], env=PASSWORD)  # fmt: skip
    assert_clean_failure(specialist)
    assert "above your approval limit of ¥1,000" in specialist.stderr

    approved = claims("approve", claim_id, "--reason", "材料齐全同意", user="boss")
    assert approved["status"] == "approved" and approved["approver"] == "boss"
    paid = claims("pay", claim_id, "--method", "alipay", "--reference", "2026120622001")
    assert (paid["status"], paid["paid_fen"], paid["payout_method"]) == ("paid", 200_000, "alipay")

    [listed] = claims("--format", "json", user="boss")
    assert listed["id"] == opened["id"] and listed["status"] == "paid"
    table = run(["claims", "--user", "boss", "--db", admin_db], env=PASSWORD)
    assert table.exit_code == 0 and reference in table.stdout and "insured amount" in table.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["open", "C-20261122-9999", "--kind", "loss", "--amount", "abc"], "not an amount"),
        (["open", "C-20261122-9999", "--kind", "loss", "--amount", "100"], "No such complaint"),
        (["evidence", "99", "--item", "photos", "--note", KEPT], "No such claim"),
        (["pay", "99", "--method", "cash", "--reference", "R1", "--date", "12/07"], "not a date"),
        (["approve", "99", "--reason", "x"], "reason"),
    ],
)
def test_bad_input_is_refused_clearly(
    run: Run, admin_db: str, people: dict[str, Actor], args: list[str], says: str
) -> None:
    result = run(["claims", *args, "--user", "wang", "--db", admin_db], env=PASSWORD)
    assert_clean_failure(result)
    assert says in result.stderr


def test_a_claim_past_its_decision_is_in_sla(
    run: Run, admin_db: str, console: ServiceContext, people: dict[str, Actor]
) -> None:
    from sqlalchemy import text

    from cs_console.domain.claims import ClaimKind
    from cs_console.services.claims import open_claim

    reference = insured_loss(console, people["agent"])
    claim = open_claim(console, people["agent"], reference, ClaimKind.LOSS, 100_000)
    with console.engine.begin() as connection:  # opened four weeks ago, never decided
        connection.execute(
            text("UPDATE claims SET opened_at = :o, decision_due = :d WHERE id = :i"),
            {"o": datetime(2026, 11, 2, tzinfo=UTC), "d": datetime(2026, 11, 5, tzinfo=UTC),
             "i": claim.id},
        )  # fmt: skip
    listed = run(["sla", "--format", "json", "--user", "boss", "--db", admin_db], env=PASSWORD)
    assert listed.exit_code == 0, listed.stderr
    [row] = [r for r in output_json(listed) if r["kind"] == "claim"]
    assert (row["id"], row["clock"], row["state"], row["reference"]) == (
        claim.id, "claim_decision", "breached", reference
    )  # fmt: skip
    shown = run(["sla", "--user", "boss", "--db", admin_db], env=PASSWORD)
    assert f"claim {claim.id} {reference}" in shown.stdout and "claim decision" in shown.stdout
