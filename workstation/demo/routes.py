"""Plausible urban routes: legs along the city's street grid instead of straight lines."""

from __future__ import annotations

import itertools
import math

from workstation.demo.geom import Frame
from workstation.demo.places import City
from workstation.demo.world import PersonRec

LatLon = tuple[float, float]

#: Below this, people walk straight there (lunch round the corner).
WALK_M = 700.0


def frame_of(city: City) -> Frame:
    return Frame(city.office.lat, city.office.lon)


def route(a: LatLon, b: LatLon, city: City, frac: float) -> list[LatLon]:
    """A → B in a Z along the grid: ``frac`` of the first axis, all of the second, the rest."""
    frame = frame_of(city)
    ax, ay = frame.to_xy(*a)
    bx, by = frame.to_xy(*b)
    dx, dy = bx - ax, by - ay
    if math.hypot(dx, dy) < WALK_M:
        return [a, b]
    th = math.radians(city.grid_deg)
    ux, uy, vx, vy = math.cos(th), math.sin(th), -math.sin(th), math.cos(th)
    du, dv = dx * ux + dy * uy, dx * vx + dy * vy
    p1 = (ax + frac * du * ux, ay + frac * du * uy)
    p2 = (p1[0] + dv * vx, p1[1] + dv * vy)
    return [a, frame.to_ll(*p1), frame.to_ll(*p2), b]


def length_m(path: list[LatLon], city: City) -> float:
    frame = frame_of(city)
    pts = [frame.to_xy(*p) for p in path]
    return sum(math.dist(p, q) for p, q in itertools.pairwise(pts))


def commute_frac(person: PersonRec) -> float:
    """Everyone drives the same way to work every day."""
    return 0.25 + (person.id * 0.6180339887) % 0.5


def commute(person: PersonRec) -> list[LatLon]:
    home = (person.home_lat, person.home_lon)
    office = (person.office.lat, person.office.lon)
    return route(home, office, person.city, commute_frac(person))
