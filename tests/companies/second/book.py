"""The CRM side of the company: customers, who held each of them when (the ground truth of
ownership), the customer events, orders and leads.

Ownership periods are ``[start, end)``: an owner holds a customer on day ``d`` when
``start <= d < end``; a customer lost or reassigned on day ``L`` is no longer held on ``L``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from companies.second.cast import (
    CITY_CENTRE,
    NEW_HIRE_DAY,
    OFFICES,
    RIVAL,
    RIVAL_B,
    RIVAL_C,
    Person,
    Site,
)
from companies.second.geo import LatLon, distance_m, offset
from companies.second.names import CompanyName, NamePool
from companies.second.workdays import END, LEADS_START, START, is_workday, workdays_between

#: Every customer's geofence as the CRM gives it (the company's 300 m attendance range).
FENCE_M = 300.0
TERRITORY_DAY = date(2024, 4, 15)
TERRITORY_MOVED = 12
HANDOVER_MOVED = 5
#: Days after START on which the diverter loses a customer (snapped to the next workday).
DIVERTER_LOSS_OFFSETS = (36, 40, 45, 50, 56, 62, 69, 76, 81)
DIVERTER_TRANSFERRED = 7  # of them to the rival; the others just "lost"
CITY_CODE = {"成都": "CD", "重庆": "CQ"}
#: The oldest assignment of a customer still held at the start of the data.
FIRST_ASSIGNED = date(2018, 6, 1)
#: The CRM went live on this day: owners assigned before it have no 分配日期.
CRM_MIGRATION = date(2023, 1, 1)

LOST, TRANSFERRED, REASSIGNED, WON = "lost", "transferred", "reassigned", "won"


@dataclass
class Customer:
    code: str
    name: CompanyName
    city: str
    address: str
    pos: LatLon
    #: False: the CRM has the address but no coordinates (no fence; issue 11 wants a warning).
    has_coords: bool = True
    radius_m: float = FENCE_M


@dataclass
class Holding:
    customer: str
    owner: str
    start: date
    end: date | None = None

    @property
    def shown_since(self) -> date | None:
        """The 分配日期 the CRM shows (unknown before the CRM went live)."""
        return self.start if self.start >= CRM_MIGRATION else None

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Event:
    customer: str
    day: date
    kind: str
    competitor: str | None
    old_owner: str | None
    new_owner: str | None
    reason: str


@dataclass
class Order:
    no: str
    customer: str
    owner: str
    day: date
    amount: float
    status: str = "completed"


@dataclass
class Lead:
    lead_id: str
    customer: str | None
    owner: str
    created: date
    order: Order | None = None


@dataclass
class Book:
    customers: dict[str, Customer] = field(default_factory=dict)
    holdings: list[Holding] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)

    def periods(self, code: str) -> list[Holding]:
        return [h for h in self.holdings if h.customer == code]

    def owner_on(self, code: str, day: date) -> str | None:
        return next((h.owner for h in self.periods(code) if h.holds(day)), None)

    def held_by(self, owner: str, day: date) -> list[str]:
        return sorted(h.customer for h in self.holdings if h.owner == owner and h.holds(day))


def next_workday(day: date) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


class _Placer:
    """Customer positions: around a territory, away from offices, competitors and each other."""

    def __init__(self, rng: random.Random, sites: list[Site]) -> None:
        self.rng = rng
        self.avoid = [(s.pos, 700.0) for s in sites] + [(o.pos, 800.0) for o in OFFICES]
        self.taken: list[LatLon] = []

    def place(self, centre: LatLon, city: str) -> LatLon:
        for _ in range(10_000):
            r = min(abs(self.rng.gauss(0, 2200)), 6000)
            pos = offset(centre, r, self.rng.uniform(0, 360))
            if distance_m(pos, CITY_CENTRE[city]) > 16_000:
                continue
            if any(distance_m(pos, p) < d for p, d in self.avoid):
                continue
            if any(distance_m(pos, p) < 300 for p in self.taken):
                continue
            self.taken.append(pos)
            return pos
        raise RuntimeError("no room for another customer")


def build_book(rng: random.Random, pool: NamePool, people: list[Person], sites: list[Site]) -> Book:
    book = Book()
    placer = _Placer(rng, sites)
    sales = [p for p in people if p.role == "sales"]
    serial = iter(range(1, 10_000))

    def new_customer(owner: Person) -> Customer:
        code = f"KH{CITY_CODE[owner.city]}{next(serial):04d}"
        c = Customer(
            code,
            pool.company(owner.city),
            owner.city,
            pool.address(owner.city),
            placer.place(owner.territory, owner.city),
        )
        book.customers[code] = c
        return c

    for p in sales:
        for _ in range(p.book_size):
            c = new_customer(p)
            since = FIRST_ASSIGNED + timedelta(
                days=rng.randint(0, (START - FIRST_ASSIGNED).days - 7)
            )
            book.holdings.append(Holding(c.code, p.no, since))
    _plant_events(rng, book, sales, new_customer)
    _no_coordinates(rng, book, sales)
    _orders(rng, book)
    _diverted_orders(rng, book)
    _leads(rng, book, sales)
    return book


def _by_part(sales: list[Person], part: str) -> Person:
    return next(p for p in sales if p.part == part)


def _plant_events(
    rng: random.Random, book: Book, sales: list[Person], new_customer: Callable[[Person], Customer]
) -> None:
    events: list[Event] = []
    diverter = _by_part(sales, "diverter")
    mine = book.held_by(diverter.no, START)
    rng.shuffle(mine)
    for i, days in enumerate(DIVERTER_LOSS_OFFSETS):
        day = next_workday(START + timedelta(days=days))
        if i < DIVERTER_TRANSFERRED:
            events.append(
                Event(mine[i], day, TRANSFERRED, RIVAL, diverter.no, None, "客户改从锦城工控采购")
            )
        else:
            events.append(Event(mine[i], day, LOST, None, diverter.no, None, "客户称预算取消"))

    source = _by_part(sales, "territory_from")
    target = _by_part(sales, "territory_to")
    moved = book.held_by(source.no, START)
    rng.shuffle(moved)
    reason = f"片区调整：渝北片区客户划归{target.name}"
    for code in sorted(moved[:TERRITORY_MOVED]):
        events.append(Event(code, TERRITORY_DAY, REASSIGNED, None, source.no, target.no, reason))

    giver = _by_part(sales, "handover_from")
    newbie = _by_part(sales, "new_hire")
    handed = book.held_by(giver.no, START)
    rng.shuffle(handed)
    for code in sorted(handed[:HANDOVER_MOVED]):
        events.append(
            Event(code, NEW_HIRE_DAY, REASSIGNED, None, giver.no, newbie.no, "新员工入职分配客户")
        )

    # ordinary life: a few customers lost by innocent people, at most one per 45 days each
    busy = {e.customer for e in events}
    eligible = [p for p in sales if p.part in ("", "commuter", "fake_fieldwork", "territory_to")]
    losers = rng.sample(eligible, 8)
    days = workdays_between(START + timedelta(days=3), END - timedelta(days=3))
    competitor_losses = {losers[0].no: RIVAL_B, losers[1].no: RIVAL_C}
    for k, p in enumerate(losers):
        first = rng.choice(days[: len(days) - 40] if k < 2 else days)
        when = [first] + (
            [next_workday(first + timedelta(days=rng.randint(45, 60)))] if k < 2 else []
        )
        for day in when:
            if day > END:
                continue
            candidates = [c for c in book.held_by(p.no, day) if c not in busy]
            code = rng.choice(candidates)
            busy.add(code)
            rival = competitor_losses.pop(p.no, None)
            if rival:
                events.append(
                    Event(code, day, TRANSFERRED, rival, p.no, None, "客户转向竞品，价格差异")
                )
            else:
                why = rng.choice(("客户停产", "客户搬迁外地", "采购转集团统一招标", "价格原因"))
                events.append(Event(code, day, LOST, None, p.no, None, why))

    # new customers signed during the period
    winners = [p for p in sales if p.part in ("", "commuter", "territory_to", "handover_from")]
    for p in rng.sample(winners, 8):
        day = rng.choice(days)
        c = new_customer(p)
        events.append(Event(c.code, day, WON, None, None, p.no, "新签客户"))

    for e in sorted(events, key=lambda e: (e.day, e.customer)):
        _apply(book, e)
        book.events.append(e)


def _apply(book: Book, e: Event) -> None:
    current = next((h for h in book.periods(e.customer) if h.holds(e.day)), None)
    if e.kind in (LOST, TRANSFERRED, REASSIGNED):
        assert current is not None and current.owner == e.old_owner, e
        current.end = e.day
    if e.kind in (REASSIGNED, WON):
        assert e.new_owner is not None
        book.holdings.append(Holding(e.customer, e.new_owner, e.day))


def _no_coordinates(rng: random.Random, book: Book, sales: list[Person]) -> None:
    """Four customers of ordinary people whose CRM record has an address but no position."""
    plain = {p.no for p in sales if p.part == ""}
    busy = {e.customer for e in book.events}
    codes = sorted(h.customer for h in book.holdings if h.owner in plain and h.customer not in busy)
    for code in rng.sample(codes, 4):
        book.customers[code].has_coords = False


def _order_status(rng: random.Random, day: date) -> str:
    if rng.random() < 0.04:
        return "cancelled"
    if day > END - timedelta(days=10) and rng.random() < 0.6:
        return "open"
    return "completed"


def _amount(rng: random.Random) -> float:
    return round(math.exp(rng.gauss(10.3, 0.7)), 2)


def _orders(rng: random.Random, book: Book) -> None:
    """Each customer orders every 18-40 days from whoever holds it that day."""
    for code in sorted(book.customers):
        interval = rng.randint(18, 40)
        day = LEADS_START - timedelta(days=rng.randint(0, interval))
        while day <= END:
            when = next_workday(day)
            owner = book.owner_on(code, when)
            if owner is not None and when <= END:
                book.orders.append(
                    Order("", code, owner, when, _amount(rng), _order_status(rng, when))
                )
            day += timedelta(days=rng.randint(interval - 5, interval + 5))


def _diverted_orders(rng: random.Random, book: Book) -> None:
    """The order a customer placed before going over to the rival went with it (转竞品)."""
    for e in book.events:
        if e.kind != TRANSFERRED or e.competitor != RIVAL:
            continue
        before = [
            o for o in book.orders
            if o.customer == e.customer and e.day - timedelta(days=20) <= o.day < e.day
        ]  # fmt: skip
        if before:
            before[-1].status = "transferred"
            continue
        day = next_workday(e.day - timedelta(days=rng.randint(5, 12)))
        if day >= e.day:
            day = next_workday(e.day - timedelta(days=14))
        book.orders.append(
            Order("", e.customer, e.old_owner or "", day, _amount(rng), "transferred")
        )


def _leads(rng: random.Random, book: Book, sales: list[Person]) -> None:
    """Leads from LEADS_START (before the orders export starts); about 40% of those with a
    customer turn into an order 3-21 days later."""
    days = workdays_between(LEADS_START, END)
    for p in sales:
        for day in days:
            if day < p.hire or rng.random() > 0.3:
                continue
            held = book.held_by(p.no, day)
            lead = Lead("", rng.choice(held) if held and rng.random() < 0.8 else None, p.no, day)
            book.leads.append(lead)
            if lead.customer is None or rng.random() > 0.4:
                continue
            when = next_workday(day + timedelta(days=rng.randint(3, 21)))
            if when <= END and book.owner_on(lead.customer, when) == p.no:
                lead.order = Order(
                    "", lead.customer, p.no, when, _amount(rng), _order_status(rng, when)
                )
                book.orders.append(lead.order)
    book.orders.sort(key=lambda o: (o.day, o.customer, o.amount))
    per_day: dict[date, int] = {}
    for o in book.orders:
        per_day[o.day] = per_day.get(o.day, 0) + 1
        o.no = f"SO{o.day:%y%m%d}{per_day[o.day]:03d}"
    book.leads.sort(key=lambda x: (x.created, x.owner))
    for i, lead in enumerate(book.leads, start=1):
        lead.lead_id = f"XS{i:05d}"
