"""The planted scenarios: who plays which part, where the special places are, and the facts
each scenario ends up with (computed from the generated records, for ``scenarios.json``)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from workstation.demo.geom import distance_m, distances_m
from workstation.demo.layout import (
    SITE_CLEARANCE_M,
    in_water,
    near_any_site,
    random_position,
    street_address,
)
from workstation.demo.routes import commute, frame_of
from workstation.demo.world import CompetitorRec, PersonRec, SiteRec, World

#: Claimed customers of faked check-ins lie this far (metres) from where the person really is.
FAKE_MIN_M, FAKE_MAX_M = 2500.0, 9000.0
#: The competitor site on the commute lies this far from the route.
COMMUTE_SITE_OFFSET_M = 35.0


@dataclass
class Cast:
    diverter: PersonRec
    rival: CompetitorRec
    fake: PersonRec
    territory: PersonRec
    colleague: PersonRec
    commuter: PersonRec
    tower_site: SiteRec
    commute_site: SiteRec | None = None
    reorg_day: date | None = None
    #: Normal salespeople who stop once at a competitor (a trade fair): realistic noise.
    occasional: list[PersonRec] = field(default_factory=list)
    #: (person id) → (day, kind) of every stop outside the office planned for that person.
    stops: dict[int, list[tuple[date, str]]] = field(default_factory=dict)

    def plays_a_part(self, person: PersonRec) -> bool:
        return person in (self.diverter, self.fake, self.territory, self.colleague, self.commuter)


def choose_roles(salespeople_per_city: int, rng: np.random.Generator) -> dict[tuple[str, int], str]:
    """(city code, salesperson index) → role, decided before anyone has a name."""
    n = salespeople_per_city
    sh = [int(i) for i in rng.choice(n, size=3, replace=False)]
    return {
        ("SZ", int(rng.integers(0, n))): "diverter",
        ("NJ", int(rng.integers(0, n))): "fake_fieldwork",
        ("SH", sh[0]): "territory_change",
        ("SH", sh[1]): "territory_colleague",
        ("SH", sh[2]): "commute_passes_competitor",
    }


def make_cast(
    world: World, roles: dict[tuple[str, int], str], tower: SiteRec, rng: np.random.Generator
) -> Cast:
    by_role: dict[str, PersonRec] = {}
    for city_code in {code for code, _ in roles}:
        staff = [p for p in world.salespeople if p.city.code == city_code]
        for (code, i), role in roles.items():
            if code == city_code:
                by_role[role] = staff[i]
    cast = Cast(
        diverter=by_role["diverter"],
        rival=world.competitors[0],
        fake=by_role["fake_fieldwork"],
        territory=by_role["territory_change"],
        colleague=by_role["territory_colleague"],
        commuter=by_role["commute_passes_competitor"],
        tower_site=tower,
    )
    normal = [p for p in world.salespeople if not cast.plays_a_part(p)]
    picks = rng.choice(len(normal), size=min(3, len(normal)), replace=False)
    cast.occasional = [normal[int(i)] for i in sorted(picks)]
    return cast


def place_fake_home(world: World, cast: Cast, rng: np.random.Generator) -> None:
    """The faker lives where several of their customers are a few kilometres away."""
    person = cast.fake
    held = world.owned_on(person, world.window_start)
    lats = np.array([c.lat for c in held])
    lons = np.array([c.lon for c in held])
    best: tuple[int, float, float] = (-1, person.home_lat, person.home_lon)
    for _ in range(300):
        _, lat, lon = random_position(person.city, rng)
        if near_any_site(world, lat, lon, SITE_CLEARANCE_M):
            continue
        if distance_m(lat, lon, person.office.lat, person.office.lon) < 3000:
            continue
        d = distances_m(lat, lon, lats, lons)
        fit = int(((d > FAKE_MIN_M) & (d < FAKE_MAX_M)).sum())
        if fit > best[0]:
            best = (fit, lat, lon)
        if fit >= 12:
            break
    person.home_lat, person.home_lon = best[1], best[2]


def place_commute_site(world: World, cast: Cast, rng: np.random.Generator) -> SiteRec:
    """A competitor site 35 m beside the commuter's daily route, away from every customer."""
    person = cast.commuter
    frame = frame_of(person.city)
    path = [frame.to_xy(*p) for p in commute(person)]
    legs = sorted(itertools.pairwise(path), key=lambda lg: -math.dist(*lg))
    lats = np.array([c.lat for c in world.customers])
    lons = np.array([c.lon for c in world.customers])
    home = (person.home_lat, person.home_lon)
    office = (person.office.lat, person.office.lon)
    for (x1, y1), (x2, y2) in legs:
        length = math.dist((x1, y1), (x2, y2))
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        for frac in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            for side in (1.0, -1.0):
                x = x1 + frac * (x2 - x1) + side * COMMUTE_SITE_OFFSET_M * nx
                y = y1 + frac * (y2 - y1) + side * COMMUTE_SITE_OFFSET_M * ny
                lat, lon = frame.to_ll(x, y)
                if min(distance_m(lat, lon, *home), distance_m(lat, lon, *office)) < 1500:
                    continue
                if in_water(lat, lon) or near_any_site(world, lat, lon, 1000):
                    continue
                if (distances_m(lat, lon, lats, lons) < SITE_CLEARANCE_M).any():
                    continue
                competitor = world.competitors[2]
                district = min(
                    person.city.districts, key=lambda d: distance_m(lat, lon, d.lat, d.lon)
                )
                site = SiteRec(
                    0,
                    competitor,
                    f"{competitor.short} {person.city.name}{district.name}仓储中心",
                    person.city,
                    street_address(person.city, district, rng),
                    round(lat, 6),
                    round(lon, 6),
                )
                world.sites.append(site)
                cast.commute_site = site
                return site
    raise RuntimeError("no place for the competitor site on the commute")


def commuter_home_far(world: World, cast: Cast, rng: np.random.Generator) -> None:
    """The commuter lives 7–15 km out, so the daily route is long enough to pass a site."""
    person = cast.commuter
    for _ in range(400):
        _, lat, lon = random_position(person.city, rng)
        d = distance_m(lat, lon, person.office.lat, person.office.lon)
        if 7000 <= d <= 15000 and not near_any_site(world, lat, lon, SITE_CLEARANCE_M):
            person.home_lat, person.home_lon = lat, lon
            return


def reorg_day(world: World, rng: np.random.Generator) -> date:
    day = world.window_start + timedelta(days=int(rng.integers(8, 16)))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
