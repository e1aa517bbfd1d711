"""Claims figures for scripts/bench.py (``--only claims``): the claims list on a database.

``claims`` claims (three evidence items each) are spread over the database's loss and damage
complaints, a fifth of them the demo agent's, every state represented; the list is timed as
the service (p50/p95 of ``list_claims``: the agent's own and team's, the supervisor's all)
and as ``cs-console claims --format json`` (a subprocess: start, sign-in, query, JSON). The
claims are deleted again at the end, so a reused ``--big-db`` file is left as it was.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def claims_figures(url: str, cs: str, supervisor: str, password: str, claims: int = 20_000) -> dict:
    from sqlalchemy import delete, func, insert, select

    from cs_console.config.policy_file import default_policy
    from cs_console.services.accounts import authenticate
    from cs_console.services.claims import list_claims
    from cs_console.services.context import ServiceContext
    from cs_console.storage.engine import make_engine
    from cs_console.storage.tables import Claim, ClaimEvidence, Complaint, User

    engine = make_engine(url)
    console = ServiceContext(engine, default_policy())
    now = datetime.now(UTC)
    statuses = ("open", "pending", "approved", "paid")
    with engine.begin() as conn:
        found = conn.execute(
            select(Complaint.id, Complaint.customer_id, Complaint.parcel_id)
            .where(Complaint.category.in_(("loss", "damage")))
            .order_by(func.random())
            .limit(claims)
        ).all()
        agent = conn.execute(select(User.id).where(User.username == "wangfang")).scalar_one()
        boss = conn.execute(select(User.id).where(User.username == supervisor)).scalar_one()
        rows = []
        for i, (complaint, customer, parcel) in enumerate(found):
            status = statuses[i % 4]
            decided = now - timedelta(days=1) if status in ("approved", "paid") else None
            rows.append({
                "complaint_id": complaint, "contact_id": None, "customer_id": customer,
                "parcel_id": parcel, "kind": "loss", "status": status, "claimed_fen": 50_000,
                "declared_value_fen": 50_000, "insured": False, "insured_amount_fen": 0,
                "shipping_fee_fen": 1_200, "owner_id": agent if i % 5 == 0 else boss,
                "opened_at": now - timedelta(days=2), "decision_due": now + timedelta(hours=i % 90),
                "proposed_fen": 50_000 if status != "open" else None, "proposal_reason": "",
                "proposed_by": boss if status != "open" else None, "proposed_at": None,
                "decided_at": decided, "decided_by": boss if decided else None,
                "payout_due": now + timedelta(days=2) if decided else None, "paid_fen": None,
                "payout_method": "", "payout_reference": "", "payout_date": None,
                "paid_at": now if status == "paid" else None, "paid_by": None, "version": 1,
            })  # fmt: skip
        conn.execute(insert(Claim), rows)
        ids = conn.execute(select(Claim.id)).scalars().all()
        conn.execute(insert(ClaimEvidence), [
            {"claim_id": c, "item": item, "status": "received", "note": "bench",
             "recorded_by": boss, "recorded_at": now}
            for c in ids for item in ("proof_of_value", "photos", "identity")
        ])  # fmt: skip
    people = {  # signed in: the claimant's name is opened with the data key they unlock
        "agent": authenticate(console, "wangfang", "wangfang-demo1").actor,
        "supervisor": authenticate(console, supervisor, password).actor,
    }
    figures: dict[str, object] = {"claims": len(ids), "evidence_rows": 3 * len(ids)}
    try:
        for who, actor in people.items():
            for shown, runs in ((200, 20), (None, 3)):  # the CLI's default page; all
                samples, listed = [], 0
                for _ in range(runs):
                    start = time.perf_counter()
                    listed = len(list_claims(console, actor, limit=shown))
                    samples.append(time.perf_counter() - start)
                name = f"service_{who}_{shown or 'all'}"
                figures[f"{name}_ms_p50"] = round(statistics.median(samples) * 1000, 1)
                figures[f"{name}_ms_p95"] = round(_p(samples, 0.95) * 1000, 1)
                figures[f"{name}_rows"] = listed
        env = {**os.environ, "CS_CONSOLE_PASSWORD": password}
        for limit in ("200", "0"):  # the default page; every claim
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                out = subprocess.run(
                    [cs, "--db", url, "claims", "--format", "json", "--limit", limit,
                     "--user", supervisor],
                    check=True, capture_output=True, env=env,
                ).stdout  # fmt: skip
                runs.append(time.perf_counter() - start)
            name = f"cli_claims_json_limit_{limit}"
            figures[f"{name}_s_median"] = round(statistics.median(runs), 3)
            figures[f"{name}_rows"] = len(json.loads(out))
    finally:
        with engine.begin() as conn:
            conn.execute(delete(Claim))
        engine.dispose()
    return figures
