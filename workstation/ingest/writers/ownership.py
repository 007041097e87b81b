"""The ``ownership`` kind: a customer assignment history, one row per period.

Columns: the customer (客户编号), the owner's employee number (负责人工号), from (开始日期;
empty: since a day the CRM does not know) and to (结束日期; empty: still holds). Each row
becomes an assignment statement; the customer's periods are then derived again with what
customer lists and events said (:mod:`workstation.domain.ownership`). A row whose period the
store already has (a customer list gave it) counts as a duplicate, as does one that changes
nothing.

Rejected: a customer not in the store (the row is about nothing stored: import customers
first), a period ending on or before its start, a row given twice. Kept with a warning: an
owner who is not a known employee yet (the period appears once the employee is imported).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from workstation.ingest.model import ParsedRow
from workstation.ingest.writers.base import WriteContext, WriteOutcome
from workstation.ingest.writers.periods import ASSIGNMENT, rederive
from workstation.ingest.writers.places import repeated
from workstation.store.models import CustomerOwnership, Employee, OwnershipStatement

Key = tuple[int, str, date | None, date | None]


def write_ownership(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    known: set[Key] = {
        (customer_id, owner or "", start, end)
        for customer_id, owner, start, end in session.execute(
            select(
                OwnershipStatement.customer_id,
                OwnershipStatement.owner_no,
                OwnershipStatement.start_date,
                OwnershipStatement.end_date,
            ).where(OwnershipStatement.kind == ASSIGNMENT)
        )
    }
    held: dict[int, set[tuple[str, date | None, date | None]]] = defaultdict(set)
    for held_id, owner_no, held_start, held_end in session.execute(
        select(
            CustomerOwnership.customer_id,
            Employee.employee_no,
            CustomerOwnership.start_date,
            CustomerOwnership.end_date,
        ).join(Employee, Employee.id == CustomerOwnership.employee_id)
    ):
        held[held_id].add((owner_no, held_start, held_end))
    first_row: dict[tuple[str, str, date | None, date | None], int] = {}
    written: list[tuple[ParsedRow, int, bool]] = []
    for row in rows:
        code, owner = str(row.values["customer_code"]), str(row.values["owner_no"])
        start: date | None = row.values.get("start_date")
        end: date | None = row.values.get("end_date")
        customer_id = ctx.customer_id(code)
        problem = (
            row.problem("customer_code", f"unknown customer {code}; import customers first")
            if customer_id is None
            else None
        ) or (
            row.problem(
                "end_date",
                f"the period ends on {end.isoformat()}, not after it starts ({start.isoformat()})",
            )
            if start is not None and end is not None and end <= start
            else None
        )
        problem = problem or repeated(
            row, (code, owner, start, end), first_row, "customer_code", f"period of {code}"
        )
        if problem is not None or customer_id is None:
            if problem is not None:
                outcome.problems.append(problem)
            continue
        if ctx.employee_id(owner) is None:
            outcome.warnings.append(
                row.warning(
                    "owner_no",
                    f"owner {owner} is not a known employee yet; kept, and counted once the "
                    "employee is imported",
                )
            )
        key = (customer_id, owner, start, end)
        if key in known:
            outcome.duplicates += 1
            continue
        known.add(key)
        session.add(
            OwnershipStatement(
                customer_id=customer_id,
                kind=ASSIGNMENT,
                owner_no=owner,
                start_date=start,
                end_date=end,
                batch_id=ctx.batch_id,
                source_row=row.row,
            )
        )
        implied = any(
            o == owner and (start is None or start == s) and end == e
            for o, s, e in held[customer_id]
        )
        written.append((row, customer_id, implied))
    derived = rederive(ctx, {c for _, c, _ in written})
    for _row, customer_id, implied in written:
        if customer_id in derived.changed and not implied:
            outcome.accepted += 1
        else:
            outcome.duplicates += 1
    return outcome
