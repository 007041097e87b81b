"""Plain values shown by the employee list and the employee file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class EmployeeRow:
    id: int
    employee_no: str
    name: str
    department: str | None
    title: str | None
    office: str | None
    hire_date: date | None
    leave_date: date | None
    customers_held: int


@dataclass(frozen=True)
class EmployeeProfile:
    id: int
    employee_no: str
    name: str
    department: str | None
    title: str | None
    manager_no: str | None
    manager_name: str | None
    office: str | None
    hire_date: date | None
    leave_date: date | None
    phone: str | None


@dataclass(frozen=True)
class OwnershipRow:
    """A customer the employee held from ``start_date`` (None: since a day no record gives)
    to ``end_date`` (None: still holds)."""

    customer_id: int
    customer_code: str
    customer_name: str
    start_date: date | None
    end_date: date | None
    #: How the holding ended: "lost", "transferred", "reassigned" or None.
    end_kind: str | None
    #: The competitor (transferred) or the colleague (reassigned) it went to.
    ended_to: str | None


@dataclass(frozen=True)
class CheckinRow:
    id: int
    checked_at: datetime
    kind: str
    customer_code: str | None
    customer_name: str | None
    address: str | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    distance_m: float | None
    inside_fence: bool | None
    note: str | None


@dataclass(frozen=True)
class OrderRow:
    id: int
    order_no: str
    order_date: date
    customer_code: str
    customer_name: str
    amount: Decimal
    status: str
    competitor: str | None


@dataclass(frozen=True)
class CustomerEventRow:
    id: int
    event_date: date
    kind: str
    customer_code: str
    customer_name: str
    competitor: str | None
    new_owner: str | None
    reason: str | None


@dataclass(frozen=True)
class EmployeeFile:
    profile: EmployeeProfile
    ownerships: list[OwnershipRow] = field(default_factory=list)
    checkins: list[CheckinRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    events: list[CustomerEventRow] = field(default_factory=list)

    @property
    def lost_customers(self) -> list[OwnershipRow]:
        return [o for o in self.ownerships if o.end_kind in ("lost", "transferred")]
