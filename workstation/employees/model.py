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
    """A punch: a check-in, or (``missed``) a punch that was due and not made."""

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
    #: How the customer was found (a ``CheckinLink`` value) and the text that matched.
    link_method: str | None = None
    link_text: str | None = None
    #: Where the position comes from (a ``PositionSource`` value; None: no position).
    position_source: str | None = None
    #: The known place the punch's address names, and how far the position is from it when
    #: the track placed the punch.
    address_place: str | None = None
    address_gap_m: float | None = None
    #: Made up afterwards through an approval (DingTalk 补卡审批通过).
    makeup_approved: bool = False
    #: A missed punch (DingTalk 缺卡, WeCom 未打卡): ``checked_at`` is when it was due.
    missed: bool = False
    source_result: str | None = None


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
    #: Punches due and not made (``missed`` rows), newest first.
    missed_punches: list[CheckinRow] = field(default_factory=list)

    @property
    def lost_customers(self) -> list[OwnershipRow]:
        return [o for o in self.ownerships if o.end_kind in ("lost", "transferred")]
