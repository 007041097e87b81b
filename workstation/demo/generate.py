"""Generate the whole demo company in memory, deterministically from (seed, end date, size)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, tzinfo

import numpy as np

from workstation.demo.comms import build_communications
from workstation.demo.customers import build_customers, initial_ownership, territories
from workstation.demo.days import DayPlan
from workstation.demo.layout import build_competitors, build_offices, number_sites
from workstation.demo.movement import Life
from workstation.demo.people import build_people, build_users, place_homes
from workstation.demo.sales import build_orders_and_leads, plant_churn
from workstation.demo.scenarios import (
    Cast,
    choose_roles,
    commuter_home_far,
    make_cast,
    place_commute_site,
    place_fake_home,
    reorg_day,
)
from workstation.demo.world import DemoSize, World


@dataclass
class Generated:
    world: World
    cast: Cast
    #: person id → that salesperson's day plans (what the tracks are drawn from).
    plans: dict[int, list[DayPlan]]


class Seeds:
    """Independent random streams, one per (purpose, index): changing one part of the
    generator does not shift the random numbers of every other part."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, purpose: str, index: int = 0) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(purpose.encode()), index])


def generate(seed: int, end_date: date, size: DemoSize, zone: tzinfo) -> Generated:
    """The demo company of ``seed`` up to ``end_date``, living on ``zone``'s clock."""
    rng = Seeds(seed)
    world = World(seed, end_date, size, zone)
    build_offices(world)
    tower = build_competitors(world, rng("competitors"))
    roles = choose_roles(size.salespeople_per_city, rng("roles"))
    build_people(world, rng("people"), roles)
    cast = make_cast(world, roles, tower, rng("cast"))
    build_customers(world, rng("customers"))
    initial_ownership(world, territories(world, rng("territories")), rng("ownership"))
    place_homes(world, rng("homes"))
    commuter_home_far(world, cast, rng("commuter"))
    place_fake_home(world, cast, rng("fake"))
    place_commute_site(world, cast, rng("commute-site"))
    number_sites(world)
    cast.reorg_day = reorg_day(world, rng("reorg"))
    plant_churn(world, cast, rng("churn"))
    build_orders_and_leads(world, cast, rng("orders"))
    build_users(world)
    life = Life(world, cast, rng)
    plans = {p.id: life.plan_person(p) for p in world.salespeople}
    for person in world.people:
        if person.role != "sales":
            life.duty_only(person)
    life.future_tasks()
    build_communications(world, cast, rng)
    number_records(world)
    return Generated(world, cast, plans)


def number_records(world: World) -> None:
    """Give every record its id (and order/lead numbers) in a stable order."""
    world.ownerships.sort(key=lambda o: (o.customer.id, o.start))
    world.events.sort(key=lambda e: (e.day, e.customer.id))
    world.orders.sort(key=lambda o: (o.day, o.customer.id, o.employee.id))
    world.leads.sort(key=lambda x: (x.created, x.employee.id))
    world.tasks.sort(key=lambda t: (t.day, t.employee.id))
    world.checkins.sort(key=lambda c: (c.at, c.employee.id))
    world.missed_punches.sort(key=lambda m: (m.due, m.employee.id))
    world.communications.sort(key=lambda c: (c.at, c.employee.id))
    for i, own in enumerate(world.ownerships, start=1):
        own.id = i
    for i, event in enumerate(world.events, start=1):
        event.id = i
    for i, task in enumerate(world.tasks, start=1):
        task.id = i
    for i, checkin in enumerate(world.checkins, start=1):
        checkin.id = i
    for i, comm in enumerate(world.communications, start=1):
        comm.id = i
    seq: dict[date, int] = {}
    for i, order in enumerate(world.orders, start=1):
        seq[order.day] = seq.get(order.day, 0) + 1
        order.id, order.order_no = i, f"SO{order.day:%Y%m%d}{seq[order.day]:03d}"
    seq.clear()
    for i, lead in enumerate(world.leads, start=1):
        seq[lead.created] = seq.get(lead.created, 0) + 1
        lead.id, lead.lead_no = i, f"XS{lead.created:%Y%m%d}{seq[lead.created]:03d}"
