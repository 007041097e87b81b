"""Ownership periods and event owners, derived again for the customers an import touched.

The facts are in the store (:class:`~workstation.store.models.OwnershipStatement` rows and
customer events); :func:`workstation.domain.ownership.derive` turns one customer's facts into
its periods and the owner of each of its events. Stored periods are brought in line with
them: unchanged ones stay, others are removed or added. Periods of an owner whose employee
number is not (yet) in the store are not stored (they still end or start the periods of
others); they appear when the employee is imported and the customer is derived again.

Stores older than the statements (and rows written directly, as the built-in demo does) have
periods but no statements: the first derivation adopts them as statements: a period opened
by a customer list as that list's snapshot (its owner as of the day it was imported, since
an unknown start), any other as an assignment. Periods opened by customer events are
derived again from the events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, cast

from sqlalchemy import Table, delete, insert, select

from workstation.domain.enums import CustomerStatus
from workstation.domain.ownership import Assignment, Change, Snapshot, derive
from workstation.ingest.writers.base import WriteContext
from workstation.store.models import (
    CustomerEvent,
    CustomerOwnership,
    Employee,
    ImportBatch,
    OwnershipStatement,
)

SNAPSHOT = "snapshot"
ASSIGNMENT = "assignment"
ACTIVE = CustomerStatus.ACTIVE.value
#: Customers loaded per query (an IN list both SQLite and PostgreSQL take comfortably).
CHUNK = 500


@dataclass
class Derivation:
    #: Customers whose periods or event owners changed.
    changed: set[int] = field(default_factory=set)
    #: Events whose named previous owner is not who held the customer the day before.
    disagreements: list[int] = field(default_factory=list)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def rederive(ctx: WriteContext, customer_ids: Iterable[int]) -> Derivation:
    """Derive the periods and event owners of ``customer_ids`` again and store them."""
    ctx.session.flush()
    result = Derivation()
    numbers = {i: no for i, no in ctx.session.execute(select(Employee.id, Employee.employee_no))}
    for chunk in _chunks(sorted(set(customer_ids))):
        _rederive_chunk(ctx, chunk, numbers, result)
    ctx.session.flush()
    return result


class _Statement(NamedTuple):
    kind: str
    owner_no: str | None
    as_of: date | None
    start_date: date | None
    end_date: date | None
    status: str | None
    batch_id: int | None
    source_row: int | None


class _Period(NamedTuple):
    id: int
    employee_id: int
    start_date: date | None
    end_date: date | None
    batch_id: int | None
    source_row: int | None


def _rederive_chunk(
    ctx: WriteContext, ids: list[int], numbers: dict[int, str], result: Derivation
) -> None:
    session = ctx.session
    statements: dict[int, list[_Statement]] = defaultdict(list)
    for row in session.execute(
        select(
            OwnershipStatement.customer_id,
            OwnershipStatement.kind,
            OwnershipStatement.owner_no,
            OwnershipStatement.as_of,
            OwnershipStatement.start_date,
            OwnershipStatement.end_date,
            OwnershipStatement.status,
            OwnershipStatement.batch_id,
            OwnershipStatement.source_row,
        )
        .where(OwnershipStatement.customer_id.in_(ids))
        .order_by(OwnershipStatement.id)
    ):
        statements[row[0]].append(_Statement._make(row[1:]))
    periods: dict[int, list[_Period]] = defaultdict(list)
    for held in session.execute(
        select(
            CustomerOwnership.customer_id,
            CustomerOwnership.id,
            CustomerOwnership.employee_id,
            CustomerOwnership.start_date,
            CustomerOwnership.end_date,
            CustomerOwnership.batch_id,
            CustomerOwnership.source_row,
        )
        .where(CustomerOwnership.customer_id.in_(ids))
        .order_by(CustomerOwnership.id)
    ):
        periods[held[0]].append(_Period._make(held[1:]))
    events: dict[int, list[CustomerEvent]] = defaultdict(list)
    for e in session.scalars(
        select(CustomerEvent).where(CustomerEvent.customer_id.in_(ids)).order_by(CustomerEvent.id)
    ):
        events[e.customer_id].append(e)
    legacy = [c for c in ids if periods[c] and not statements[c]]
    if legacy:
        _adopt(ctx, legacy, periods, statements, numbers)
    removed: list[int] = []
    added: list[dict[str, object]] = []
    for customer_id in ids:
        derived = derive(
            [
                Snapshot(s.as_of, s.owner_no, s.start_date, s.status or "active", _src(s))
                for s in statements[customer_id]
                if s.kind == SNAPSHOT and s.as_of is not None
            ],
            [
                Assignment(s.owner_no, s.start_date, s.end_date, _src(s))
                for s in statements[customer_id]
                if s.kind == ASSIGNMENT and s.owner_no is not None
            ],
            [
                Change(
                    e.id,
                    e.event_date,
                    e.kind,
                    e.previous_owner_no,
                    e.new_owner_no or numbers.get(e.new_owner_id or 0),
                    _src(e),
                )
                for e in events[customer_id]
            ],
        )
        changed = False
        for event in events[customer_id]:
            owner = derived.owners.get(event.id)
            owner_id = ctx.employee_id(owner) if owner else None
            if event.employee_id != owner_id:
                event.employee_id = owner_id
                changed = True
        result.disagreements += [int(k) for k in derived.disagreements if isinstance(k, int)]
        wanted: dict[tuple[int, date | None, date | None], Hashable] = {}
        for period in derived.periods:
            employee_id = ctx.employee_id(period.owner)
            if employee_id is not None:
                wanted[(employee_id, period.start, period.end)] = period.source
        for stored in periods[customer_id]:
            key = (stored.employee_id, stored.start_date, stored.end_date)
            if key in wanted:
                del wanted[key]
            else:
                removed.append(stored.id)
                changed = True
        for (employee_id, start, end), source in wanted.items():
            batch_id, source_row = source if isinstance(source, tuple) else (None, None)
            added.append(
                {
                    "customer_id": customer_id,
                    "employee_id": employee_id,
                    "start_date": start,
                    "end_date": end,
                    "batch_id": batch_id,
                    "source_row": source_row,
                }
            )
            changed = True
        if changed:
            result.changed.add(customer_id)
    session.flush()
    if removed:
        session.execute(
            delete(CustomerOwnership).where(CustomerOwnership.id.in_(removed)),
            execution_options={"synchronize_session": False},
        )
    if added:
        # Core executemany: one statement for all rows (the ORM bulk path splits the rows
        # wherever the set of empty columns changes)
        session.execute(insert(cast(Table, CustomerOwnership.__table__)), added)


def _src(record: _Statement | CustomerEvent) -> tuple[int | None, int | None]:
    return (record.batch_id, record.source_row)


def _adopt(
    ctx: WriteContext,
    customers: list[int],
    periods: dict[int, list[_Period]],
    statements: dict[int, list[_Statement]],
    numbers: dict[int, str],
) -> None:
    """Statements for the periods of ``customers`` stored before there were statements."""
    batch_ids = {p.batch_id for c in customers for p in periods[c] if p.batch_id is not None}
    kinds = {
        i: kind
        for i, kind in ctx.session.execute(
            select(ImportBatch.id, ImportBatch.kind).where(ImportBatch.id.in_(batch_ids))
        )
    }
    rows: list[dict[str, object]] = []
    for customer_id in customers:
        for p in periods[customer_id]:
            kind = kinds.get(p.batch_id) if p.batch_id is not None else None
            owner = numbers.get(p.employee_id)
            if kind == "customer_events" or owner is None:
                continue  # derived again from the events
            if kind == "customers":
                statement = _Statement(
                    SNAPSHOT, owner, p.start_date, None, None, ACTIVE, p.batch_id, p.source_row
                )
            else:
                statement = _Statement(
                    ASSIGNMENT, owner, None, p.start_date, p.end_date, None, p.batch_id,
                    p.source_row,
                )  # fmt: skip
            statements[customer_id].append(statement)
            rows.append({"customer_id": customer_id, **statement._asdict()})
    if rows:
        ctx.session.execute(insert(cast(Table, OwnershipStatement.__table__)), rows)
