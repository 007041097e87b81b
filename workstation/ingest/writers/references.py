"""References kept as text until their target arrives, and resolved when it does.

A row that names a record not (yet) in the store keeps the name it gave (``customer_ref`` of
orders, leads and check-ins, ``converted_order_ref``, ``new_owner_no``, ``competitor_ref``, an
ownership statement's ``owner_no``); the import that brings the record fills in the link. Which
rows may keep an unknown reference, and which are rejected, is for each kind's writer to say
(see :mod:`workstation.ingest.writers.sales` and :mod:`workstation.ingest.writers.movement`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select

from workstation.domain.enums import CheckinLink
from workstation.ingest.model import ImportWarning, ParsedRow
from workstation.ingest.writers.base import WriteContext
from workstation.ingest.writers.periods import CHUNK, rederive
from workstation.store.models import (
    Checkin,
    CustomerEvent,
    Employee,
    Lead,
    Order,
    OwnershipStatement,
)

CODE = CheckinLink.CODE.value


def kept(row: ParsedRow, field: str, what: str, key: object) -> ImportWarning:
    """The warning that ``key`` (a reference to a record not in the store) is kept as text."""
    return row.warning(
        field, f"{what} {key} is not in the store yet; kept as text and linked when it is imported"
    )


def _note(what: str, count: int) -> list[ImportWarning]:
    if not count:
        return []
    return [ImportWarning(None, None, f"resolved {count} references of earlier imports: {what}")]


def resolve_employees(ctx: WriteContext, numbers: Iterable[str]) -> list[ImportWarning]:
    """Events naming newly imported employees as new owner get the link; customers whose
    statements or events name them are derived again (their periods appear); employees
    waiting for them as their manager get the link."""
    wanted = sorted(set(numbers))
    if not wanted:
        return []
    session = ctx.session
    customers: set[int] = set()
    linked = 0
    for i in range(0, len(wanted), CHUNK):
        part = wanted[i : i + CHUNK]
        customers.update(
            session.scalars(
                select(OwnershipStatement.customer_id).where(OwnershipStatement.owner_no.in_(part))
            )
        )
        for event in session.scalars(
            select(CustomerEvent).where(
                or_(
                    CustomerEvent.new_owner_no.in_(part),
                    CustomerEvent.previous_owner_no.in_(part),
                )
            )
        ):
            customers.add(event.customer_id)
            if event.new_owner_id is None and event.new_owner_no in part:
                event.new_owner_id = ctx.employee_id(event.new_owner_no)
                linked += event.new_owner_id is not None
    rederive(ctx, customers)
    managers = 0
    for i in range(0, len(wanted), CHUNK):
        part = wanted[i : i + CHUNK]
        for employee in session.scalars(
            select(Employee)
            .where(Employee.manager_id.is_(None), Employee.manager_ref.in_(part))
            .order_by(Employee.id)
        ):
            employee.manager_id = ctx.employee_id(str(employee.manager_ref))
            managers += employee.manager_id is not None
    session.flush()
    return _note("new owners of customer events", linked) + _note("managers of employees", managers)


def resolve_customers(ctx: WriteContext) -> list[ImportWarning]:
    """Orders and leads whose customer code names a customer now stored get the link."""
    session = ctx.session
    orders = 0
    for order in session.scalars(
        select(Order).where(Order.customer_id.is_(None), Order.customer_ref.is_not(None))
    ):
        order.customer_id = ctx.customer_id(str(order.customer_ref))
        orders += order.customer_id is not None
    leads = 0
    for lead in session.scalars(
        select(Lead).where(Lead.customer_id.is_(None), Lead.customer_ref.is_not(None))
    ):
        lead.customer_id = ctx.customer_id(str(lead.customer_ref))
        leads += lead.customer_id is not None
    checkins = _link_checkins(ctx)
    session.flush()
    return (
        _note("customers of orders", orders)
        + _note("customers of leads", leads)
        + _note("customers of check-ins", checkins)
    )


def _link_checkins(ctx: WriteContext) -> int:
    """Check-ins whose customer code names a customer now stored are linked by that code; the
    code comes first, so it replaces a link the remark, title, task or fence found meanwhile
    (the task with it: a code link names none, as on import). The evaluation then checks them
    against that customer's fence as any linked check-in."""
    linked = 0
    for checkin in ctx.session.scalars(
        select(Checkin)
        .where(
            Checkin.customer_ref.is_not(None),
            or_(Checkin.link_method.is_(None), Checkin.link_method != CODE),
        )
        .order_by(Checkin.id)
    ):
        customer_id = ctx.customer_id(str(checkin.customer_ref))
        if customer_id is None:
            continue
        checkin.customer_id, checkin.task_id = customer_id, None
        checkin.link_method, checkin.link_text = CODE, checkin.customer_ref
        linked += 1
    return linked


def resolve_competitors(ctx: WriteContext) -> list[ImportWarning]:
    """Customer events naming a competitor now stored get the link."""
    linked = 0
    for event in ctx.session.scalars(
        select(CustomerEvent).where(
            CustomerEvent.competitor_id.is_(None), CustomerEvent.competitor_ref.is_not(None)
        )
    ):
        event.competitor_id = ctx.competitor_id(str(event.competitor_ref))
        linked += event.competitor_id is not None
    ctx.session.flush()
    return _note("competitors of customer events", linked)


def resolve_orders(ctx: WriteContext, orders: dict[str, int]) -> list[ImportWarning]:
    """Leads whose converted order number names an order now stored get the link."""
    linked = 0
    for lead in ctx.session.scalars(
        select(Lead).where(Lead.converted_order_id.is_(None), Lead.converted_order_ref.is_not(None))
    ):
        lead.converted_order_id = orders.get(str(lead.converted_order_ref))
        linked += lead.converted_order_id is not None
    ctx.session.flush()
    return _note("converted orders of leads", linked)
