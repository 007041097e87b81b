"""Sales records: orders, leads, and customer events with their effect on ownership.

References (what each kind needs, and what it may keep as text):

- **orders**: the employee is the order's subject (the order transfer ratio counts it for
  them): an unknown employee rejects the row. The customer is not needed to count it: an
  unknown customer code is kept as text (``customer_ref``) with a warning, and linked when
  the customer is imported.
- **leads**: the employee likewise is required and must be known. An unknown customer or
  converted order number is kept as text with a warning (a CRM's lead export rarely covers
  the same days as its order export), and linked when that customer or order is imported.
- **customer events**: the customer is the event's subject: an unknown customer rejects the
  row (import customers first). The new owner (新负责人工号), the previous owner
  (原负责人工号) and the competitor are kept as text when not in the store, with a warning;
  the new owner and competitor are linked when imported, and the periods follow.

Rows missing a required value (a reassignment without a new owner, a transfer without a
competitor) or with words no vocabulary knows are rejected as before.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from workstation.domain.enums import CustomerEventKind, OrderStatus
from workstation.ingest.model import ImportWarning, ParsedRow, RowProblem
from workstation.ingest.profiles import CUSTOMER_EVENT_WORDS, ORDER_STATUS_WORDS
from workstation.ingest.writers.base import WriteContext, WriteOutcome
from workstation.ingest.writers.periods import rederive
from workstation.ingest.writers.places import repeated, same, update, word
from workstation.ingest.writers.references import kept, resolve_orders
from workstation.store.models import Customer, CustomerEvent, Lead, Order

CENT = Decimal("0.01")
#: Numeric(14, 2) holds amounts below this.
AMOUNT_LIMIT = Decimal(10) ** 12


def _employee(
    ctx: WriteContext, row: ParsedRow, field: str = "employee_no"
) -> tuple[int | None, RowProblem | None]:
    """The id of the employee a row is about, or why the row cannot be kept."""
    key = row.values.get(field)
    if key is None:
        return None, row.problem(field, "required value is empty")
    found = ctx.employee_id(str(key))
    if found is None:
        return None, row.problem(field, f"unknown employee {key}; import employees first")
    return found, None


def _kept(
    row: ParsedRow, field: str, what: str, key: object, warnings: list[ImportWarning]
) -> None:
    """Warn that ``key`` (a reference to a record not in the store) is kept as text."""
    warnings.append(kept(row, field, what, key))


def write_orders(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    existing = {o.order_no: o for o in session.scalars(select(Order))}
    first_row: dict[str, int] = {}
    for row in rows:
        number = str(row.values["order_no"])
        code = str(row.values["customer_code"])
        customer_id = ctx.customer_id(code)
        employee_id, problem = _employee(ctx, row)
        status = word(row, "status", ORDER_STATUS_WORDS, "order status")
        # the shortest text of the parsed float is the file's number: exact cents
        amount = Decimal(repr(float(row.values["amount"])))
        problem = (
            problem
            or (status if isinstance(status, RowProblem) else None)
            or (
                row.problem("amount", f"amount must not be negative: {amount}")
                if amount < 0
                else None
            )
            or (
                row.problem("amount", f"amount too large: {amount}")
                if amount >= AMOUNT_LIMIT
                else None
            )
            or repeated(row, number, first_row, "order_no", f"order {number}")
        )
        if problem:
            outcome.problems.append(problem)
            continue
        if customer_id is None:
            _kept(row, "customer_code", "customer", code, outcome.warnings)
        amount = amount.quantize(CENT, ROUND_HALF_UP)
        given: dict[str, Any] = {
            "customer_id": customer_id,
            "customer_ref": code,
            "employee_id": employee_id,
            "order_date": row.values["order_date"],
            "amount": amount,
            "status": status,
        }
        # The competitor an order went to, when the file names a stored one (an unknown name
        # leaves it empty: the order stands without it).
        rival = row.values.get("competitor")
        competitor_id = ctx.competitor_id(str(rival)) if rival else None
        if competitor_id is not None:
            given["competitor_id"] = competitor_id
        order = existing.get(number)
        if order is None:
            order = Order(order_no=number, batch_id=ctx.batch_id, source_row=row.row, **given)
            session.add(order)
            existing[number] = order
        elif same(order, given):
            outcome.duplicates += 1
            continue
        else:
            if status != OrderStatus.TRANSFERRED and competitor_id is None:
                given["competitor_id"] = None
            update(ctx, order, given, row)
        outcome.accepted += 1
    session.flush()
    outcome.warnings += resolve_orders(ctx, {no: o.id for no, o in existing.items()})
    return outcome


def write_leads(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    """Leads by lead number; an empty customer or converted order leaves the stored one."""
    outcome = WriteOutcome()
    session = ctx.session
    existing = {lead.lead_no: lead for lead in session.scalars(select(Lead))}
    orders = {no: id_ for no, id_ in session.execute(select(Order.order_no, Order.id))}
    first_row: dict[str, int] = {}
    for row in rows:
        number = str(row.values["lead_id"])
        employee_id, problem = _employee(ctx, row)
        problem = problem or repeated(row, number, first_row, "lead_id", f"lead {number}")
        if problem:
            outcome.problems.append(problem)
            continue
        given: dict[str, Any] = {"employee_id": employee_id, "created_on": row.values["created"]}
        code = row.values.get("customer_code")
        if code is not None:
            given["customer_id"] = ctx.customer_id(str(code))
            given["customer_ref"] = str(code)
            if given["customer_id"] is None:
                _kept(row, "customer_code", "customer", code, outcome.warnings)
        order_no = row.values.get("converted_order_no")
        if order_no is not None:
            given["converted_order_id"] = orders.get(str(order_no))
            given["converted_order_ref"] = str(order_no)
            if given["converted_order_id"] is None:
                _kept(row, "converted_order_no", "order", order_no, outcome.warnings)
        lead = existing.get(number)
        if lead is None:
            lead = Lead(lead_no=number, batch_id=ctx.batch_id, source_row=row.row, **given)
            session.add(lead)
            existing[number] = lead
        elif same(lead, given):
            outcome.duplicates += 1
            continue
        else:
            update(ctx, lead, given, row)
        outcome.accepted += 1
    session.flush()
    return outcome


def write_customer_events(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    """Events by customer, date and kind; a stored one is a duplicate whatever else it says.

    The customers' periods and the owner of each event (the employee it counts for) are then
    derived again with everything else known about them (:mod:`workstation.domain.ownership`):
    lost and transferred end the owner's period on the event day, reassigned ends it and
    starts the new owner's, won starts the new owner's.
    """
    outcome = WriteOutcome()
    session = ctx.session
    stored = {
        (customer, day, kind)
        for customer, day, kind in session.execute(
            select(CustomerEvent.customer_id, CustomerEvent.event_date, CustomerEvent.kind)
        )
    }
    first_row: dict[tuple[int, date, str], int] = {}
    added: list[tuple[ParsedRow, CustomerEvent]] = []
    for row in rows:
        code = str(row.values["customer_code"])
        customer_id = ctx.customer_id(code)
        kind = word(row, "event", CUSTOMER_EVENT_WORDS, "customer event")
        new_owner, previous = row.values.get("new_owner_no"), row.values.get("previous_owner_no")
        name = row.values.get("competitor")
        problem = (
            (
                row.problem("customer_code", f"unknown customer {code}; import customers first")
                if customer_id is None
                else None
            )
            or (kind if isinstance(kind, RowProblem) else None)
            or (
                row.problem("new_owner_no", "required when a customer is reassigned")
                if kind == CustomerEventKind.REASSIGNED and not new_owner
                else None
            )
            or (
                row.problem("competitor", "required for a customer transferred to a competitor")
                if kind == CustomerEventKind.TRANSFERRED and not name
                else None
            )
        )
        if problem is not None or customer_id is None or not isinstance(kind, str):
            if problem is not None:  # otherwise unreachable: both are checked above
                outcome.problems.append(problem)
            continue
        key = (customer_id, row.values["date"], kind)
        if key in stored:
            outcome.duplicates += 1
            continue
        problem = repeated(row, key, first_row, "event", f"{kind} of this customer that day")
        if problem:
            outcome.problems.append(problem)
            continue
        new_owner_id = ctx.employee_id(str(new_owner)) if new_owner else None
        competitor_id = ctx.competitor_id(str(name)) if name else None
        if new_owner and new_owner_id is None:
            _kept(row, "new_owner_no", "employee", new_owner, outcome.warnings)
        if previous and ctx.employee_id(str(previous)) is None:
            _kept(row, "previous_owner_no", "employee", previous, outcome.warnings)
        if name and competitor_id is None:
            _kept(row, "competitor", "competitor", name, outcome.warnings)
        event = CustomerEvent(
            customer_id=customer_id,
            event_date=row.values["date"],
            kind=kind,
            competitor_id=competitor_id,
            competitor_ref=str(name) if name else None,
            new_owner_id=new_owner_id,
            new_owner_no=str(new_owner) if new_owner else None,
            previous_owner_no=str(previous) if previous else None,
            reason=row.values.get("reason"),
            batch_id=ctx.batch_id,
            source_row=row.row,
        )
        session.add(event)
        added.append((row, event))
        outcome.accepted += 1
    session.flush()
    derived = rederive(ctx, {e.customer_id for _, e in added})
    disagreeing = set(derived.disagreements)
    codes = {
        i: code
        for i, code in session.execute(
            select(Customer.id, Customer.code).where(
                Customer.id.in_({e.customer_id for _, e in added if e.id in disagreeing})
            )
        )
    }
    for row, event in added:
        if event.id in disagreeing:
            outcome.warnings.append(
                row.warning(
                    "previous_owner_no",
                    f"the other records do not have {event.previous_owner_no} holding customer "
                    f"{codes.get(event.customer_id, '')} the day before; the event counts for "
                    f"{event.previous_owner_no}",
                )
            )
    return outcome
