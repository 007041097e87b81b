"""References kept as text until their target arrives, and resolved when it does.

A row that names a record not (yet) in the store keeps the name it gave (``customer_ref``,
``converted_order_ref``, ``new_owner_no``, ``competitor_ref``, an ownership statement's
``owner_no``); the import that brings the record fills in the link. Which rows may keep an
unknown reference, and which are rejected, is for each kind's writer to say (see
:mod:`workstation.ingest.writers.sales`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select

from workstation.ingest.model import ImportWarning
from workstation.ingest.writers.base import WriteContext
from workstation.ingest.writers.periods import CHUNK, rederive
from workstation.store.models import CustomerEvent, Lead, Order, OwnershipStatement


def _note(what: str, count: int) -> list[ImportWarning]:
    if not count:
        return []
    return [ImportWarning(None, None, f"resolved {count} references of earlier imports: {what}")]


def resolve_employees(ctx: WriteContext, numbers: Iterable[str]) -> list[ImportWarning]:
    """Events naming newly imported employees as new owner get the link; customers whose
    statements or events name them are derived again (their periods appear)."""
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
    return _note("new owners of customer events", linked)


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
    session.flush()
    return _note("customers of orders", orders) + _note("customers of leads", leads)


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
