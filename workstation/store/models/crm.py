"""Customers, who owned them, competitors, leads, orders, tasks and customer events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.store.base import Base
from workstation.store.mixins import PositionColumns, SourceColumns
from workstation.store.models.organisation import Employee


class Customer(PositionColumns, SourceColumns, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    city: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    industry: Mapped[str | None] = mapped_column(String(50))
    radius_m: Mapped[float] = mapped_column(default=500.0)


class CustomerOwnership(SourceColumns, Base):
    """Who held a customer from ``start_date`` (None: since a day no file gives) up to, not
    including, ``end_date`` (None: still holds).

    Derived, never written by hand: :mod:`workstation.domain.ownership` computes a customer's
    periods from its :class:`OwnershipStatement` rows and customer events after every import
    that touches them. ``batch_id``/``source_row`` name the fact that opened the period.
    """

    __tablename__ = "customer_ownerships"
    __table_args__ = (Index("ix_customer_ownerships_employee_period", "employee_id", "start_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    customer: Mapped[Customer] = relationship()


class OwnershipStatement(SourceColumns, Base):
    """What one imported row said about who held a customer: a customer list's owner as of
    a day (``kind`` snapshot: ``as_of``, ``start_date`` = owner since, ``status``) or a row of
    an assignment history (``kind`` assignment: ``start_date``, ``end_date``; empty = open).

    The owner is kept as the employee number the file gave (``owner_no``), known or not yet:
    periods of an employee imported later appear when the employee does.
    """

    __tablename__ = "ownership_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner_no: Mapped[str | None] = mapped_column(String(32), index=True)
    as_of: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(16))

    customer: Mapped[Customer] = relationship()


class Competitor(SourceColumns, Base):
    __tablename__ = "competitors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    sites: Mapped[list[CompetitorSite]] = relationship(back_populates="competitor")


class CompetitorSite(PositionColumns, SourceColumns, Base):
    __tablename__ = "competitor_sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitors.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    radius_m: Mapped[float] = mapped_column(default=200.0)

    competitor: Mapped[Competitor] = relationship(back_populates="sites")


class SalesTask(SourceColumns, Base):
    """A planned customer visit; a field check-in may fulfil it."""

    __tablename__ = "sales_tasks"
    __table_args__ = (Index("ix_sales_tasks_employee_date", "employee_id", "planned_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    planned_date: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))


class Lead(SourceColumns, Base):
    """An inquiry; converted when an order came out of it."""

    __tablename__ = "leads"
    __table_args__ = (Index("ix_leads_employee_created", "employee_id", "created_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_no: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    created_on: Mapped[date] = mapped_column(Date)
    converted_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    #: The customer code and converted order number as the file gave them: kept when the
    #: customer or order is not (yet) in the store, resolved when it arrives.
    customer_ref: Mapped[str | None] = mapped_column(String(32))
    converted_order_ref: Mapped[str | None] = mapped_column(String(32))


class Order(SourceColumns, Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_employee_date", "employee_id", "order_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    #: None while the customer code (``customer_ref``) names no stored customer.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    customer_ref: Mapped[str | None] = mapped_column(String(32))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    order_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    status: Mapped[str] = mapped_column(String(16))
    #: The competitor an order went to, when its status is ``transferred``.
    competitor_id: Mapped[int | None] = mapped_column(ForeignKey("competitors.id"))

    customer: Mapped[Customer | None] = relationship()


class CustomerEvent(SourceColumns, Base):
    """Lost, won, transferred to a competitor, or reassigned to a colleague."""

    __tablename__ = "customer_events"
    __table_args__ = (Index("ix_customer_events_employee_date", "employee_id", "event_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    #: The owner at the time of the event (derived with the ownership periods).
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    competitor_id: Mapped[int | None] = mapped_column(ForeignKey("competitors.id"))
    new_owner_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    #: The previous owner's and new owner's employee numbers and the competitor's name as the
    #: file gave them: kept when not (yet) in the store, resolved when they arrive.
    previous_owner_no: Mapped[str | None] = mapped_column(String(32))
    new_owner_no: Mapped[str | None] = mapped_column(String(32))
    competitor_ref: Mapped[str | None] = mapped_column(String(200))

    customer: Mapped[Customer] = relationship()
    competitor: Mapped[Competitor | None] = relationship()
    new_owner: Mapped[Employee | None] = relationship(foreign_keys=[new_owner_id])
