"""Sales history of the demo period: churn and reassignments, orders, leads."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from workstation.demo.clock import working_days
from workstation.demo.geom import distance_m
from workstation.demo.names import LOST_REASONS
from workstation.demo.scenarios import Cast
from workstation.demo.world import (
    CustomerRec,
    EventRec,
    LeadRec,
    OrderRec,
    OwnershipRec,
    PersonRec,
    World,
)
from workstation.domain.enums import CustomerEventKind, OrderStatus

DIVERTED_SHARE = 0.25
REASSIGNED_SHARE = 0.30
NORMAL_TRANSFERS = 3


class OwnerIndex:
    """Who held a customer on a day, and what a person held on a day."""

    def __init__(self, world: World) -> None:
        self.by_customer: dict[int, list[OwnershipRec]] = defaultdict(list)
        self.by_person: dict[int, list[OwnershipRec]] = defaultdict(list)
        for o in world.ownerships:
            self.by_customer[o.customer.id].append(o)
            self.by_person[o.employee.id].append(o)

    def owner(self, customer: CustomerRec, day: date) -> PersonRec | None:
        for o in self.by_customer[customer.id]:
            if o.start <= day and (o.end is None or day < o.end):
                return o.employee
        return None

    def held(self, person: PersonRec, day: date) -> list[OwnershipRec]:
        return [
            o
            for o in self.by_person[person.id]
            if o.start <= day and (o.end is None or day < o.end)
        ]


def _random_day(first: date, last: date, rng: np.random.Generator) -> date:
    day = first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))
    while day.weekday() >= 5 and day > first:
        day -= timedelta(days=1)
    return day


def plant_churn(world: World, cast: Cast, rng: np.random.Generator) -> None:
    """Normal churn for everyone, the diverter's transfers, and the territory change."""
    first, last, ws = world.first_day, world.end_date, world.window_start
    index = OwnerIndex(world)
    for person in world.salespeople:
        if person is cast.territory or person is cast.colleague:
            continue
        latest = ws - timedelta(days=1) if person is cast.diverter else last
        open_ = [o for o in index.held(person, first) if o.end is None and o.start < first]
        for k in rng.choice(len(open_), size=int(rng.integers(0, 3)), replace=False):
            o = open_[int(k)]
            o.end = _random_day(first + timedelta(days=1), latest, rng)
            reason = LOST_REASONS[int(rng.integers(0, len(LOST_REASONS)))]
            world.events.append(
                EventRec(o.customer, o.end, CustomerEventKind.LOST.value, person, reason=reason)
            )
    normal = [p for p in world.salespeople if not cast.plays_a_part(p)]
    for k in rng.choice(len(normal), size=min(NORMAL_TRANSFERS, len(normal)), replace=False):
        person = normal[int(k)]
        open_ = [o for o in index.held(person, first) if o.end is None and o.start < first]
        o = open_[int(rng.integers(0, len(open_)))]
        o.end = _random_day(first + timedelta(days=1), last, rng)
        rival = [s.competitor for s in world.sites if s.city is person.city]
        world.events.append(
            EventRec(
                o.customer,
                o.end,
                CustomerEventKind.TRANSFERRED.value,
                person,
                competitor=rival[int(rng.integers(0, len(rival)))],
                reason="客户招标后选择了价格更低的供应商",
            )
        )
    _divert(world, cast, index, rng)
    _reassign(world, cast, index)


def _divert(world: World, cast: Cast, index: OwnerIndex, rng: np.random.Generator) -> None:
    ws, last = world.window_start, world.end_date
    held = [o for o in index.held(cast.diverter, ws) if o.end is None]
    k = round(DIVERTED_SHARE * len(held))
    days = sorted(_random_day(ws + timedelta(days=2), last, rng) for _ in range(k))
    for day, pick in zip(days, rng.choice(len(held), size=k, replace=False), strict=True):
        o = held[int(pick)]
        o.end = day
        world.events.append(
            EventRec(
                o.customer,
                day,
                CustomerEventKind.TRANSFERRED.value,
                cast.diverter,
                competitor=cast.rival,
                reason=f"客户称后续改由{cast.rival.short}供货",
            )
        )


def _reassign(world: World, cast: Cast, index: OwnerIndex) -> None:
    day = cast.reorg_day
    assert day is not None
    held = [o for o in index.held(cast.territory, day) if o.end is None]
    mine = index.held(cast.colleague, day)
    clat = sum(o.customer.lat for o in mine) / len(mine)
    clon = sum(o.customer.lon for o in mine) / len(mine)
    held.sort(key=lambda o: distance_m(o.customer.lat, o.customer.lon, clat, clon))
    for o in held[: round(REASSIGNED_SHARE * len(held))]:
        o.end = day
        world.ownerships.append(OwnershipRec(o.customer, cast.colleague, day))
        world.events.append(
            EventRec(
                o.customer,
                day,
                CustomerEventKind.REASSIGNED.value,
                cast.territory,
                new_owner=cast.colleague,
                reason="区域调整：按新划片方案移交同事",
            )
        )


def _status(day: date, end: date, rng: np.random.Generator) -> str:
    age, x = (end - day).days, rng.random()
    if age > 30:
        return OrderStatus.COMPLETED.value if x < 0.93 else OrderStatus.CANCELLED.value
    if age > 10:
        return (
            OrderStatus.COMPLETED.value
            if x < 0.7
            else OrderStatus.OPEN.value
            if x < 0.95
            else OrderStatus.CANCELLED.value
        )
    return (
        OrderStatus.OPEN.value
        if x < 0.85
        else OrderStatus.COMPLETED.value
        if x < 0.95
        else OrderStatus.CANCELLED.value
    )


def _amount(rng: np.random.Generator) -> Decimal:
    return Decimal(f"{round(float(rng.lognormal(np.log(28_000), 0.8)), -1):.2f}")


def build_orders_and_leads(world: World, cast: Cast, rng: np.random.Generator) -> None:
    index = OwnerIndex(world)
    days = working_days(world.first_day, world.end_date)
    end = world.end_date
    for cust in world.customers:
        rate = float(rng.gamma(2.0, 1 / 60.0))
        for k in sorted(rng.choice(len(days), size=int(rng.poisson(rate * len(days))))):
            day = days[int(k)]
            owner = index.owner(cust, day)
            if owner is not None:
                world.orders.append(
                    OrderRec(cust, owner, day, _amount(rng), _status(day, end, rng))
                )
    _divert_orders(world, cast, rng)
    for person in world.salespeople:
        _leads(world, cast, person, index, days, rng)


def _divert_orders(world: World, cast: Cast, rng: np.random.Generator) -> None:
    for ev in world.events:
        if ev.employee is not cast.diverter or ev.kind != CustomerEventKind.TRANSFERRED.value:
            continue
        mine = [
            o
            for o in world.orders
            if o.customer is ev.customer
            and o.employee is cast.diverter
            and ev.day - timedelta(days=25) <= o.day <= ev.day
        ]
        if not mine:
            day = max(world.first_day, ev.day - timedelta(days=int(rng.integers(3, 13))))
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            mine = [OrderRec(ev.customer, cast.diverter, day, _amount(rng), "")]
            world.orders.append(mine[0])
        for o in mine:
            o.status, o.competitor = OrderStatus.TRANSFERRED.value, cast.rival


def _leads(
    world: World,
    cast: Cast,
    person: PersonRec,
    index: OwnerIndex,
    days: list[date],
    rng: np.random.Generator,
) -> None:
    diverter = person is cast.diverter
    mine: list[LeadRec] = []
    for day in days:
        if rng.random() < (0.95 if diverter else 0.65):
            held = index.held(person, day)
            cust = None
            if held and rng.random() < 0.85:
                cust = held[int(rng.integers(0, len(held)))].customer
            mine.append(LeadRec(cust, person, day))
    world.leads.extend(mine)
    if diverter:
        ws = world.window_start
        groups = [
            ([x for x in mine if x.created < ws], 0.20),
            ([x for x in mine if x.created >= ws], 0.05),
        ]
    else:
        groups = [(mine, float(rng.uniform(0.15, 0.25)))]
    for leads, rate in groups:
        wanted = round(rate * len(leads))
        for k in rng.permutation(len(leads)):
            if wanted == 0:
                break
            lead = leads[int(k)]
            if lead.customer is None:
                continue
            day = min(lead.created + timedelta(days=int(rng.integers(2, 16))), world.end_date)
            if index.owner(lead.customer, day) is not person:
                continue
            lead.order = OrderRec(
                lead.customer, person, day, _amount(rng), _status(day, world.end_date, rng)
            )
            world.orders.append(lead.order)
            wanted -= 1
