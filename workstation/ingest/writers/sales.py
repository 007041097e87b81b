"""Sales records: orders, leads, and customer events with their effect on ownership.

Every reference (customer, employee, order, competitor) must already be in the store: import
employees, customers and competitors first, then orders, then leads and customer events.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from workstation.domain.enums import CustomerEventKind, OrderStatus
from workstation.ingest.model import ParsedRow, RowProblem
from workstation.ingest.profiles import CUSTOMER_EVENT_WORDS, ORDER_STATUS_WORDS, lookup_word
from workstation.ingest.writers.base import WriteContext, WriteOutcome
from workstation.ingest.writers.places import repeated, same, update
from workstation.store.models import CustomerEvent, CustomerOwnership, Lead, Order

CENT = Decimal("0.01")
#: Numeric(14, 2) holds amounts below this.
AMOUNT_LIMIT = Decimal(10) ** 12


def _reference(
    ctx: WriteContext,
    row: ParsedRow,
    field: str,
    what: str,
    *,
    required: bool,
    why: str = "required value is empty",
) -> tuple[int | None, RowProblem | None]:
    """The id of the customer or employee a row names, or why it cannot be used."""
    key = row.values.get(field)
    if key is None:
        return None, (row.problem(field, why) if required else None)
    found = ctx.customer_id(str(key)) if what == "customer" else ctx.employee_id(str(key))
    if found is None:
        return None, row.problem(field, f"unknown {what} {key}; import {what}s first")
    return found, None


def _word(row: ParsedRow, field: str, words: dict[str, str], what: str) -> str | RowProblem:
    text = str(row.values[field])
    value = lookup_word(words, text)
    if value is None:
        accepted = ", ".join(sorted(set(words.values())))
        return row.problem(field, f"unknown {what} {text!r}; use one of: {accepted}")
    return value


def write_orders(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    existing = {o.order_no: o for o in session.scalars(select(Order))}
    first_row: dict[str, int] = {}
    for row in rows:
        number = str(row.values["order_no"])
        customer_id, problem = _reference(ctx, row, "customer_code", "customer", required=True)
        employee_id, employee_problem = _reference(
            ctx, row, "employee_no", "employee", required=True
        )
        status = _word(row, "status", ORDER_STATUS_WORDS, "order status")
        # the shortest text of the parsed float is the file's number: exact cents
        amount = Decimal(repr(float(row.values["amount"])))
        problem = (
            problem
            or employee_problem
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
        amount = amount.quantize(CENT, ROUND_HALF_UP)
        given: dict[str, Any] = {
            "customer_id": customer_id,
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
        employee_id, problem = _reference(ctx, row, "employee_no", "employee", required=True)
        customer_id, customer_problem = _reference(
            ctx, row, "customer_code", "customer", required=False
        )
        order_no = row.values.get("converted_order_no")
        order_id = orders.get(str(order_no)) if order_no else None
        problem = (
            problem
            or customer_problem
            or (
                row.problem("converted_order_no", f"unknown order {order_no}; import orders first")
                if order_no and order_id is None
                else None
            )
            or repeated(row, number, first_row, "lead_id", f"lead {number}")
        )
        if problem:
            outcome.problems.append(problem)
            continue
        given: dict[str, Any] = {"employee_id": employee_id, "created_on": row.values["created"]}
        if customer_id is not None:
            given["customer_id"] = customer_id
        if order_id is not None:
            given["converted_order_id"] = order_id
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

    The event's employee is the customer's owner on that date (None when unknown). Events
    change ownership, applied in date order: lost/transferred end the owner's period at the
    event date; reassigned ends it and starts the new owner's; won starts the new owner's
    when one is given.
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
    good: list[tuple[ParsedRow, dict[str, Any]]] = []
    for row in rows:
        customer_id, problem = _reference(ctx, row, "customer_code", "customer", required=True)
        kind = _word(row, "event", CUSTOMER_EVENT_WORDS, "customer event")
        owner_id, owner_problem = _reference(
            ctx,
            row,
            "new_owner_no",
            "employee",
            required=kind == CustomerEventKind.REASSIGNED,
            why="required when a customer is reassigned",
        )
        name = row.values.get("competitor")
        competitor_id = ctx.competitor_id(str(name)) if name else None
        problem = (
            problem
            or (kind if isinstance(kind, RowProblem) else None)
            or owner_problem
            or (
                row.problem("competitor", "required for a customer transferred to a competitor")
                if kind == CustomerEventKind.TRANSFERRED and not name
                else None
            )
            or (
                row.problem("competitor", f"unknown competitor {name}; import competitors first")
                if name and competitor_id is None
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
        given = {
            "customer_id": customer_id,
            "event_date": row.values["date"],
            "kind": kind,
            "competitor_id": competitor_id,
            "new_owner_id": owner_id,
            "reason": row.values.get("reason"),
        }
        good.append((row, given))

    periods: dict[int, list[CustomerOwnership]] = {}
    for period in session.scalars(
        select(CustomerOwnership).where(
            CustomerOwnership.customer_id.in_({g["customer_id"] for _, g in good})
        )
    ):
        periods.setdefault(period.customer_id, []).append(period)
    for row, given in sorted(good, key=lambda item: (item[1]["event_date"], item[0].row)):
        history = periods.setdefault(given["customer_id"], [])
        day: date = given["event_date"]
        current = _covering(history, day)
        session.add(
            CustomerEvent(
                employee_id=current.employee_id if current else None,
                batch_id=ctx.batch_id,
                source_row=row.row,
                **given,
            )
        )
        _apply_effect(ctx, row, history, current, given)
        outcome.accepted += 1
    session.flush()
    return outcome


def _covering(history: list[CustomerOwnership], day: date) -> CustomerOwnership | None:
    return next(
        (p for p in history if p.start_date <= day and (p.end_date is None or p.end_date > day)),
        None,
    )


def _apply_effect(
    ctx: WriteContext,
    row: ParsedRow,
    history: list[CustomerOwnership],
    current: CustomerOwnership | None,
    event: dict[str, Any],
) -> None:
    day: date = event["event_date"]
    kind, new_owner = event["kind"], event["new_owner_id"]
    if kind in (CustomerEventKind.LOST, CustomerEventKind.TRANSFERRED):
        if current is not None:
            current.end_date = day
        return
    if new_owner is None or (current is not None and current.employee_id == new_owner):
        return
    until = current.end_date if current is not None else None
    if current is not None:
        current.end_date = day
    else:
        later = [p for p in history if p.start_date > day]
        following = min(later, key=lambda p: p.start_date) if later else None
        if following is not None and following.employee_id == new_owner:
            following.start_date = day
            return
        until = following.start_date if following is not None else None
    period = CustomerOwnership(
        customer_id=event["customer_id"],
        employee_id=new_owner,
        start_date=day,
        end_date=until,
        batch_id=ctx.batch_id,
        source_row=row.row,
    )
    ctx.session.add(period)
    history.append(period)
