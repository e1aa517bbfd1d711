"""The demo database: realistic data to try the console on, with known logins.

``build_demo`` migrates the target, creates the demo people (their passwords are printed
by the CLI), then customers, parcels, contacts, complaints over the last 90 days with their
events and callbacks. It is all-or-nothing: a new SQLite file is built aside and moved
into place, anything else is loaded in one transaction (storage/bulk.py). A database that
already holds accounts or complaints is refused unless ``force`` is given. Customers are
sealed with the data key, which every demo account holds wrapped with its password.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, insert, select
from sqlalchemy.engine import make_url
from sqlmodel import col

from cs_console.demo.closed import closed_batch
from cs_console.demo.contacts import contacts_batch
from cs_console.demo.open import open_batch
from cs_console.demo.pools import OUTLET_XIHU, PEOPLE, DemoPerson
from cs_console.demo.rows import (
    ATTEMPT_COLUMNS,
    CALLBACK_COLUMNS,
    COMPLAINT_COLUMNS,
    CONTACT_COLUMNS,
    CUSTOMER_COLUMNS,
    EVENT_COLUMNS,
    HUB_COLUMNS,
    PARCEL_COLUMNS,
    USER_COLUMNS,
    Batch,
    DemoRows,
    Staff,
)
from cs_console.demo.story import tell_story
from cs_console.domain.enums import Role
from cs_console.domain.policy import Policy
from cs_console.domain.tracking import route_hubs
from cs_console.services.context import Clock, ServiceError, system_clock
from cs_console.services.passwords import hash_password
from cs_console.storage import bulk
from cs_console.storage.engine import make_engine, write_session
from cs_console.storage.migrate import current_revision, upgrade_to_head
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import (
    Callback,
    CallbackAttempt,
    Complaint,
    Contact,
    Customer,
    DataKeyRecord,
    Event,
    Parcel,
    ParcelHub,
    ReferenceCounter,
    User,
    table_of,
)

CHUNK = 20_000
MAX_COMPLAINTS = 5_000_000
LOADED_TABLES = tuple(
    table_of(model)
    for model in (User, Customer, Parcel, Contact, Complaint, Callback, CallbackAttempt, Event)
)
_BATCH_TABLES = (
    ("parcels", Parcel, PARCEL_COLUMNS),
    ("contacts", Contact, CONTACT_COLUMNS),
    ("complaints", Complaint, COMPLAINT_COLUMNS),
    ("callbacks", Callback, CALLBACK_COLUMNS),
    ("attempts", CallbackAttempt, ATTEMPT_COLUMNS),
    ("events", Event, EVENT_COLUMNS),
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoLogin:
    """A demo account; ``password`` is None for an account that already existed."""

    username: str
    display_name: str
    role: str
    agent_no: str
    team: str
    outlet: str
    password: str | None


@dataclass(frozen=True)
class DemoResult:
    logins: tuple[DemoLogin, ...]
    counts: dict[str, int]
    open_complaints: int
    seed: int
    new_file: bool


def demo_password(person: DemoPerson) -> str:
    """The known password of a demo account (printed with the logins)."""
    return f"{person.username}-demo1"


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def build_demo(
    url: str,
    policy: Policy,
    zone: ZoneInfo,
    *,
    complaints: int = 200,
    seed: int | None = None,
    force: bool = False,
    clock: Clock = system_clock,
    progress: Progress | None = None,
    data_key: DataKey | None = None,
) -> DemoResult:
    """Fill the database at ``url`` with a demo of ``complaints`` complaints (see module).

    Customers are sealed with the database's data key: a new one for a database without
    one, else ``data_key`` (an administrator's, unlocked), without which it is refused.
    """
    if not 1 <= complaints <= MAX_COMPLAINTS:
        raise ServiceError("demo_complaints_range", low=1, high=MAX_COMPLAINTS)
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    load = _Load(policy, zone, complaints, seed, clock, progress or _no_progress, data_key)
    parsed = make_url(url)
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    result = None
    if database and database != ":memory:":
        path = Path(database)
        if not path.exists() or path.stat().st_size == 0:
            result = _build_new_file(path, load)
    result = result or _build_in_place(url, load, force)
    passwords = {login.username: login.password for login in result.logins if login.password}
    told = tell_story(url, policy, zone, clock, passwords, OUTLET_XIHU)
    events = result.counts.get("events", 0) + told.pop("events")
    return replace(result, counts={**result.counts, **told, "events": events})


def _build_new_file(path: Path, load: _Load) -> DemoResult:
    with bulk.fresh_sqlite_file(path) as building:
        engine = make_engine(f"sqlite:///{building}")
        upgrade_to_head(engine)
        engine.dispose()
        loader = bulk.loading_engine(building)
        try:
            with loader.begin() as connection:
                index_sql = bulk.drop_secondary_indexes(connection, LOADED_TABLES)
                result = load(connection, new_file=True)
            load.progress("indexes", 0, 1)
            bulk.finish_sqlite_file(loader, index_sql)
            load.progress("indexes", 1, 1)
        finally:
            loader.dispose()
    return result


def _build_in_place(url: str, load: _Load, force: bool) -> DemoResult:
    engine = make_engine(url)
    try:
        if current_revision(engine) is not None:
            with engine.connect() as connection:
                used = any(
                    bulk.has_rows(connection, table_of(model)) for model in (User, Complaint)
                )
            if used and not force:
                raise ServiceError("demo_not_empty")
        upgrade_to_head(engine)
        with write_session(engine) as session:
            connection = session.connection()
            result = load(connection, new_file=False)
            bulk.reset_sequences(connection, LOADED_TABLES)
        return result
    finally:
        engine.dispose()


class _Load:
    """One demo load inside an open transaction."""

    def __init__(
        self,
        policy: Policy,
        zone: ZoneInfo,
        complaints: int,
        seed: int,
        clock: Clock,
        progress: Progress,
        data_key: DataKey | None,
    ) -> None:
        self.policy, self.zone, self.complaints, self.seed = policy, zone, complaints, seed
        self.clock, self.progress, self.data_key = clock, progress, data_key

    def __call__(self, connection: Connection, *, new_file: bool) -> DemoResult:
        now = self.clock()
        rng = random.Random(self.seed)
        ts = bulk.timestamp_writer(connection)
        key = _demo_key(connection, self.data_key, now)
        next_ids = {table.name: bulk.next_id(connection, table) for table in LOADED_TABLES}
        self.progress("accounts", 0, len(PEOPLE))
        staff, logins = _people(connection, ts, now, next_ids, key)
        self.progress("accounts", len(PEOPLE), len(PEOPLE))
        counters = {
            day: last
            for day, last in connection.execute(
                select(col(ReferenceCounter.day), col(ReferenceCounter.last))
            )
        }
        taken_phones = taken_tracking = None
        if not new_file:
            taken_phones = set(connection.execute(select(col(Customer.phone_key))).scalars())
            taken_tracking = set(connection.execute(select(col(Parcel.tracking_no))).scalars())
        rows = DemoRows(
            rng=rng,
            policy=self.policy,
            zone=self.zone,
            now=now,
            complaints=self.complaints,
            staff=staff,
            next_ids=next_ids,
            ts=ts,
            counters=counters,
            data_key=key,
            taken_phones=taken_phones,
            taken_tracking=taken_tracking,
        )
        counts = dict.fromkeys(("customers", *(name for name, _m, _c in _BATCH_TABLES)), 0)
        self.progress("customers", 0, rows.customer_count)
        for chunk in rows.customers(CHUNK):
            bulk.insert_rows(connection, table_of(Customer), CUSTOMER_COLUMNS, chunk)
            counts["customers"] += len(chunk)
            self.progress("customers", counts["customers"], rows.customer_count)
        self.progress("complaints", 0, self.complaints)
        for batch in _batches(rows):
            _write(connection, batch, counts)
            done = min(counts["complaints"], self.complaints)
            self.progress("complaints", done, self.complaints)
        self.progress("complaints", self.complaints, self.complaints)
        bulk.save_reference_counters(connection, table_of(ReferenceCounter), counters)
        counts["users"] = sum(1 for login in logins if login.password is not None)
        return DemoResult(tuple(logins), counts, rows.open, self.seed, new_file)


def _batches(rows: DemoRows) -> Iterator[Batch]:
    """Every batch after the customers, in order: closed chunks, open work, other contacts."""
    for times in rows.closed_times(CHUNK):
        yield closed_batch(rows, times)
    yield open_batch(rows)
    yield contacts_batch(rows)


def _write(connection: Connection, batch: Batch, counts: dict[str, int]) -> None:
    for name, model, columns in _BATCH_TABLES:
        rows = getattr(batch, name)
        bulk.insert_rows(connection, table_of(model), columns, rows)
        counts[name] += len(rows)
        if name == "parcels":
            bulk.insert_rows(connection, table_of(ParcelHub), HUB_COLUMNS, _hub_rows(rows))


def _hub_rows(parcels: list[tuple]) -> list[tuple]:
    """Every hub of the demo's parcels, as the demo provider tells their way."""
    return [
        (parcel[0], hub, position)
        for parcel in parcels
        for position, hub in enumerate(route_hubs(parcel[3], parcel[4]))
    ]


def _free_agent_no(wanted: str, taken: set[str]) -> str:
    number = wanted
    while number in taken:
        number = str(int(number) + 1).zfill(len(wanted))
    return number


def _demo_key(connection: Connection, given: DataKey | None, now: datetime) -> DataKey:
    """The data key the demo seals with: the database's (``given`` must be it), or a new one."""
    fingerprint = connection.execute(select(col(DataKeyRecord.fingerprint))).scalars().first()
    if fingerprint is None:
        key = given or DataKey.generate()
        connection.execute(
            insert(table_of(DataKeyRecord)).values(
                fingerprint=key.fingerprint, recovery_wrapped="", created_at=now
            )
        )
        return key
    if given is None or given.fingerprint != fingerprint:
        raise ServiceError("demo_needs_key")
    return given


def _people(
    connection: Connection,
    ts: Callable[[int], object],
    now: datetime,
    next_ids: dict[str, int],
    key: DataKey,
) -> tuple[Staff, list[DemoLogin]]:
    """Create the demo accounts (reusing same-named ones of the same role), each holding
    the data key wrapped with its password."""
    existing = {
        username: (user_id, role, agent_no)
        for user_id, username, role, agent_no in connection.execute(
            select(col(User.id), col(User.username), col(User.role), col(User.agent_no))
        )
        if user_id is not None  # always: a stored row's primary key
    }
    taken_numbers = {agent_no for _id, _role, agent_no in existing.values()}
    plans: list[tuple[DemoPerson, int, str, str | None]] = []
    for person in PEOPLE:
        found = existing.get(person.username)
        if found is not None and found[1] == person.role.value:
            plans.append((person, found[0], found[2], None))
            continue
        username = person.username if found is None else f"{person.username}_demo"
        agent_no = _free_agent_no(person.agent_no, taken_numbers)
        taken_numbers.add(agent_no)
        user_id = next_ids["users"]
        next_ids["users"] += 1
        person = DemoPerson(
            username, person.display_name, person.role, agent_no, person.team, person.outlet
        )
        plans.append((person, user_id, agent_no, demo_password(person)))
    new = [(person, user_id, password) for person, user_id, _no, password in plans if password]
    with ThreadPoolExecutor(max_workers=2) as pool:  # scrypt releases the GIL
        hashes = list(pool.map(hash_password, [password for _p, _i, password in new]))
    stamp = ts(int(now.timestamp()))
    bulk.insert_rows(
        connection,
        table_of(User),
        USER_COLUMNS,
        [
            (
                user_id,
                person.username,
                person.display_name,
                person.agent_no,
                person.role.value,
                person.team,
                person.outlet,
                hashed,
                stamp,
                False,
                0,
                None,
                True,
                stamp,
                key.wrap(kek),
            )
            for (person, user_id, _password), (hashed, kek) in zip(new, hashes, strict=True)
        ],
    )
    staff = Staff(agents=[], specialists=[], outlet_users=[])
    logins = []
    for person, user_id, agent_no, password in plans:
        if person.role is Role.AGENT:
            staff.agents.append(user_id)
        elif person.role is Role.SPECIALIST:
            staff.specialists.append(user_id)
        elif person.role is Role.OUTLET:
            staff.outlet_users.append((user_id, person.outlet))
        logins.append(
            DemoLogin(
                person.username,
                person.display_name,
                person.role.value,
                agent_no,
                person.team,
                person.outlet,
                password,
            )
        )
    return staff, logins
