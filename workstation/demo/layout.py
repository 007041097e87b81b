"""Where things are: plausible positions and addresses inside a city, competitor sites."""

from __future__ import annotations

import itertools
import math

import numpy as np

from workstation.demo.geom import Frame, distance_m, distances_m, offset
from workstation.demo.names import COMPETITORS, SITE_KINDS
from workstation.demo.places import CITIES, CITY_BY_CODE, WATER, City, District
from workstation.demo.world import CompetitorRec, OfficeRec, SiteRec, World

#: How many sites each competitor has in each city (the first competitor is the diverter's).
SITE_PLAN: tuple[dict[str, int], ...] = (
    {"SZ": 3, "SH": 2, "HZ": 1},
    {"HZ": 2, "SH": 2, "NJ": 1},  # plus the site in the Hangzhou office tower
    {"SH": 2, "SZ": 1, "NJ": 2},  # plus the site on a Shanghai commute
    {"NJ": 3, "SH": 1, "SZ": 1, "HZ": 1},
    {"SZ": 2, "NJ": 2, "SH": 1, "HZ": 1},
)
#: Nobody's customer, home or lunch place is this close to a competitor site.
SITE_CLEARANCE_M = 450.0


def in_water(lat: float, lon: float) -> bool:
    for water in WATER:
        if len(water.points) == 1:
            wlat, wlon = water.points[0]
            if distance_m(lat, lon, wlat, wlon) < water.radius_m:
                return True
            continue
        frame = Frame(lat, lon)
        pts = [frame.to_xy(a, b) for a, b in water.points]
        for (x1, y1), (x2, y2) in itertools.pairwise(pts):
            dx, dy = x2 - x1, y2 - y1
            t = max(0.0, min(1.0, -(x1 * dx + y1 * dy) / (dx * dx + dy * dy)))
            if math.hypot(x1 + t * dx, y1 + t * dy) < water.radius_m:
                return True
    return False


def pick_district(city: City, rng: np.random.Generator) -> District:
    weights = np.array([d.weight for d in city.districts])
    return city.districts[int(rng.choice(len(weights), p=weights / weights.sum()))]


def random_position(
    city: City,
    rng: np.random.Generator,
    *,
    spread_factor: float = 1.0,
    avoid: list[tuple[float, float, float]] | None = None,
    district: District | None = None,
) -> tuple[District, float, float]:
    """A position in a (weighted) district of ``city``: dry land, clear of ``avoid`` circles."""
    for _ in range(500):
        dist = district or pick_district(city, rng)
        sd = dist.spread_m * spread_factor
        east, north = rng.normal(0.0, sd, 2)
        if math.hypot(east, north) > 2.0 * sd:
            continue
        lat, lon = offset(dist.lat, dist.lon, float(east), float(north))
        if in_water(lat, lon):
            continue
        if avoid and any(distance_m(lat, lon, a, b) < r for a, b, r in avoid):
            continue
        return dist, round(lat, 6), round(lon, 6)
    raise RuntimeError(f"no free position found in {city.name}")


def street_address(city: City, district: District, rng: np.random.Generator) -> str:
    """e.g. ``江苏省苏州市工业园区星湖街 328 号``."""
    road = district.roads[int(rng.integers(0, len(district.roads)))]
    return f"{city.prefix}{district.name}{road} {int(rng.integers(1, 1000))} 号"


def build_offices(world: World) -> None:
    for i, city in enumerate(CITIES, start=1):
        spec = city.office
        world.offices.append(OfficeRec(i, city, spec.name, spec.address, spec.lat, spec.lon))


def build_competitors(world: World, rng: np.random.Generator) -> SiteRec:
    """Five competitors and their sites, including the one in a company office tower."""
    world.competitors = [
        CompetitorRec(i, name, short) for i, (name, short) in enumerate(COMPETITORS, start=1)
    ]
    hz_office = next(o for o in world.offices if o.city.code == "HZ")
    lat, lon = offset(hz_office.lat, hz_office.lon, 16.0, 11.0)
    tower = SiteRec(
        0,
        world.competitors[1],
        f"{world.competitors[1].short} 杭州钱江新城办事处",
        hz_office.city,
        hz_office.address.replace("18 楼", "9 楼"),
        round(lat, 6),
        round(lon, 6),
    )
    world.sites.append(tower)
    taken: list[tuple[float, float, float]] = [(o.lat, o.lon, 1500.0) for o in world.offices]
    for competitor, plan in zip(world.competitors, SITE_PLAN, strict=True):
        for code, count in plan.items():
            city = CITY_BY_CODE[code]
            for _ in range(count):
                dist, lat, lon = random_position(city, rng, spread_factor=0.7, avoid=taken)
                taken.append((lat, lon, 2500.0))
                kind = SITE_KINDS[int(rng.integers(0, len(SITE_KINDS)))]
                world.sites.append(
                    SiteRec(
                        0,
                        competitor,
                        f"{competitor.short} {city.name}{dist.name}{kind}",
                        city,
                        street_address(city, dist, rng),
                        lat,
                        lon,
                    )
                )
    return tower


def number_sites(world: World) -> None:
    world.sites.sort(key=lambda s: (s.competitor.id, s.city.code, s.name))
    for i, site in enumerate(world.sites, start=1):
        site.id = i


def site_avoid(world: World) -> list[tuple[float, float, float]]:
    return [(s.lat, s.lon, SITE_CLEARANCE_M) for s in world.sites]


def near_any_site(world: World, lat: float, lon: float, radius_m: float) -> bool:
    if not world.sites:
        return False
    lats = np.array([s.lat for s in world.sites])
    lons = np.array([s.lon for s in world.sites])
    return bool((distances_m(lat, lon, lats, lons) < radius_m).any())
