"""The generated company as plain records, before anything is written to the database.

Ids are given by the generator (1, 2, 3 ... per table) so the same seed gives the same rows,
ids included, on any database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from workstation.demo.places import City


@dataclass(frozen=True)
class DemoSize:
    """How big the demo is. The default is the full demo; tests may ask for less."""

    salespeople_per_city: int = 10
    customers: int = 2000
    days: int = 90

    def __post_init__(self) -> None:
        if self.salespeople_per_city < 4 or self.days < 40 or self.customers < 40 * 4:
            raise ValueError("demo size too small for the planted scenarios")


FULL_SIZE = DemoSize()
#: Days before ``end_date`` (inclusive) in which the planted behaviour happens.
WINDOW_DAYS = 30


@dataclass(slots=True)
class OfficeRec:
    id: int
    city: City
    name: str
    address: str
    lat: float
    lon: float
    radius_m: float = 200.0


@dataclass(slots=True)
class PersonRec:
    id: int
    employee_no: str
    name: str
    pinyin: str
    city: City
    office: OfficeRec
    role: str  # "director", "manager" or "sales"
    title: str
    department: str
    manager_id: int | None
    hire_date: date
    phone: str
    wecom_userid: str
    dingtalk_userid: str | None
    home_lat: float = 0.0
    home_lon: float = 0.0
    home_address: str = ""


@dataclass(slots=True)
class CustomerRec:
    id: int
    code: str
    name: str
    city: City
    district: str
    address: str
    lat: float
    lon: float
    industry: str
    contact: str
    radius_m: float = 500.0


@dataclass(slots=True)
class CompetitorRec:
    id: int
    name: str
    short: str


@dataclass(slots=True)
class SiteRec:
    id: int
    competitor: CompetitorRec
    name: str
    city: City
    address: str
    lat: float
    lon: float
    radius_m: float = 200.0


@dataclass(slots=True)
class OwnershipRec:
    customer: CustomerRec
    employee: PersonRec
    start: date
    end: date | None = None
    id: int = 0


@dataclass(slots=True)
class EventRec:
    customer: CustomerRec
    day: date
    kind: str
    employee: PersonRec | None
    competitor: CompetitorRec | None = None
    new_owner: PersonRec | None = None
    reason: str | None = None
    id: int = 0


@dataclass(slots=True)
class OrderRec:
    customer: CustomerRec
    employee: PersonRec
    day: date
    amount: Decimal
    status: str
    competitor: CompetitorRec | None = None
    id: int = 0
    order_no: str = ""


@dataclass(slots=True)
class LeadRec:
    customer: CustomerRec | None
    employee: PersonRec
    created: date
    order: OrderRec | None = None
    id: int = 0
    lead_no: str = ""


@dataclass(slots=True)
class TaskRec:
    employee: PersonRec
    customer: CustomerRec
    day: date
    purpose: str
    status: str
    id: int = 0


@dataclass(slots=True)
class CheckinRec:
    employee: PersonRec
    at: datetime
    kind: str
    lat: float
    lon: float
    accuracy_m: float
    address: str
    customer: CustomerRec | None = None
    task: TaskRec | None = None
    note: str | None = None
    photo_ref: str | None = None
    source_result: str | None = None
    id: int = 0


@dataclass(slots=True)
class MissedPunchRec:
    """A punch the attendance app expected and never got (DingTalk 缺卡, WeCom 未打卡)."""

    employee: PersonRec
    #: When it was due: the planned on-duty or off-duty time.
    due: datetime
    kind: str


@dataclass(slots=True)
class UserRec:
    id: int
    username: str
    display_name: str
    role: str
    employee: PersonRec | None
    created_at: datetime


@dataclass(slots=True)
class CommRec:
    employee: PersonRec
    at: datetime
    channel: str
    direction: str
    counterpart: str
    content: str | None
    customer: CustomerRec | None = None
    id: int = 0


@dataclass
class World:
    """Everything generated for one (seed, end_date, size)."""

    seed: int
    end_date: date
    size: DemoSize
    #: The company's time zone: the demo's days and hours are its.
    zone: tzinfo
    offices: list[OfficeRec] = field(default_factory=list)
    people: list[PersonRec] = field(default_factory=list)
    customers: list[CustomerRec] = field(default_factory=list)
    competitors: list[CompetitorRec] = field(default_factory=list)
    sites: list[SiteRec] = field(default_factory=list)
    ownerships: list[OwnershipRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    orders: list[OrderRec] = field(default_factory=list)
    leads: list[LeadRec] = field(default_factory=list)
    tasks: list[TaskRec] = field(default_factory=list)
    checkins: list[CheckinRec] = field(default_factory=list)
    missed_punches: list[MissedPunchRec] = field(default_factory=list)
    communications: list[CommRec] = field(default_factory=list)
    users: list[UserRec] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return self.end_date - timedelta(days=self.size.days - 1)

    @property
    def window_start(self) -> date:
        """First day of the last ``WINDOW_DAYS`` days, where the planted behaviour happens."""
        return self.end_date - timedelta(days=WINDOW_DAYS - 1)

    @property
    def salespeople(self) -> list[PersonRec]:
        return [p for p in self.people if p.role == "sales"]

    def owned_on(self, person: PersonRec, day: date) -> list[CustomerRec]:
        """Customers ``person`` held on ``day`` (start ≤ day < end)."""
        return [
            o.customer
            for o in self.ownerships
            if o.employee is person and o.start <= day and (o.end is None or day < o.end)
        ]
