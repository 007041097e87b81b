"""Customers: where they are, what they are called, and which salesperson's territory they
belong to (balanced, compact territories), with ownership history before the demo period."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from workstation.demo.geom import Frame
from workstation.demo.layout import random_position, site_avoid, street_address
from workstation.demo.names import company_name, contact_name
from workstation.demo.places import CITIES, City
from workstation.demo.world import CustomerRec, EventRec, OwnershipRec, PersonRec, World
from workstation.domain.enums import CustomerEventKind

#: Share of customers that changed hands between colleagues before the demo period.
PRIOR_OWNER_SHARE = 0.10
#: Share of customers won during the demo period.
WON_SHARE = 0.035


def build_customers(world: World, rng: np.random.Generator) -> None:
    taken: set[str] = set()
    avoid = site_avoid(world)
    counts = _city_counts(world.size.customers)
    for city in CITIES:
        for _ in range(counts[city.code]):
            dist, lat, lon = random_position(city, rng, avoid=avoid)
            name, industry = company_name(rng, city.name, taken)
            world.customers.append(
                CustomerRec(
                    id=len(world.customers) + 1,
                    code=f"C{100_000 + len(world.customers) * 7 + int(rng.integers(0, 7))}",
                    name=name,
                    city=city,
                    district=dist.name,
                    address=street_address(city, dist, rng),
                    lat=lat,
                    lon=lon,
                    industry=industry,
                    contact=contact_name(rng),
                )
            )


def _city_counts(total: int) -> dict[str, int]:
    counts = {c.code: round(total * c.share) for c in CITIES}
    counts[CITIES[0].code] += total - sum(counts.values())
    return counts


def territories(world: World, rng: np.random.Generator) -> dict[int, PersonRec]:
    """customer id → salesperson: compact clusters of about equal size in each city."""
    owner: dict[int, PersonRec] = {}
    for city in CITIES:
        staff = [p for p in world.salespeople if p.city is city]
        custs = [c for c in world.customers if c.city is city]
        for cust, person in zip(custs, _balanced_clusters(city, custs, staff, rng), strict=True):
            owner[cust.id] = person
    return owner


def _balanced_clusters(
    city: City, custs: list[CustomerRec], staff: list[PersonRec], rng: np.random.Generator
) -> list[PersonRec]:
    frame = Frame(city.office.lat, city.office.lon)
    xy = np.array([frame.to_xy(c.lat, c.lon) for c in custs])
    k = len(staff)
    centres = xy[rng.choice(len(xy), size=k, replace=False)].copy()
    for _ in range(25):  # plain k-means
        d = ((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        label = d.argmin(axis=1)
        for j in range(k):
            if (label == j).any():
                centres[j] = xy[label == j].mean(axis=0)
    d = np.sqrt(((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    capacity = np.full(k, -(-len(custs) // k) + 1)
    assigned = np.full(len(custs), -1)
    for flat in np.argsort(d, axis=None, kind="stable"):
        i, j = divmod(int(flat), k)
        if assigned[i] < 0 and capacity[j] > 0:
            assigned[i] = j
            capacity[j] -= 1
    return [staff[int(j)] for j in assigned]


def initial_ownership(world: World, owner: dict[int, PersonRec], rng: np.random.Generator) -> None:
    """Who held each customer when the demo period starts; some had another owner before."""
    first = world.first_day
    for cust in world.customers:
        person = owner[cust.id]
        start = max(person.hire_date, first - timedelta(days=int(rng.integers(20, 1500))))
        if start >= first:
            start = first - timedelta(days=1)
        luck = rng.random()
        if luck < WON_SHARE:  # a new customer, won during the demo period
            start = first + timedelta(days=int(rng.integers(1, world.size.days - 1)))
            world.events.append(
                EventRec(cust, start, CustomerEventKind.WON.value, person, reason="新客户签约")
            )
        elif luck < WON_SHARE + PRIOR_OWNER_SHARE:
            colleagues = [p for p in world.salespeople if p.city is cust.city and p is not person]
            prior = colleagues[int(rng.integers(0, len(colleagues)))]
            prior_start = start - timedelta(days=int(rng.integers(90, 900)))
            world.ownerships.append(OwnershipRec(cust, prior, prior_start, start))
            world.events.append(
                EventRec(
                    cust,
                    start,
                    CustomerEventKind.REASSIGNED.value,
                    prior,
                    new_owner=person,
                    reason="区域调整：客户按片区重新分配",
                )
            )
        world.ownerships.append(OwnershipRec(cust, person, start))
