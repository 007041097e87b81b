"""A working day as a plan: where each person stays and moves, hour by hour.

``DayBuilder`` strings stays and moves together in time; ``tracks.render`` later samples the
plan into GPS fixes. Times are seconds after local midnight (the company's time zone).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from workstation.demo.clock import hm
from workstation.demo.geom import offset
from workstation.demo.routes import WALK_M, LatLon, length_m, route
from workstation.demo.world import PersonRec


@dataclass(slots=True)
class Stay:
    lat: float
    lon: float
    t0: float
    t1: float
    indoor: bool = True


@dataclass(slots=True)
class Move:
    path: list[LatLon]
    t0: float
    t1: float
    #: No stops at lights: the commuter who passes a competitor keeps moving.
    smooth: bool = False


Segment = Stay | Move


@dataclass(slots=True)
class DayPlan:
    person: PersonRec
    day: date
    #: When the tracker starts and stops reporting (seconds after local midnight).
    start: float
    end: float
    segments: list[Segment] = field(default_factory=list)
    #: Periods without fixes (phone off, underground car park).
    gaps: list[tuple[float, float]] = field(default_factory=list)


class DayBuilder:
    """Build one day of one person by going places and staying there."""

    def __init__(
        self, person: PersonRec, day: date, rng: np.random.Generator, *, smooth: bool = False
    ) -> None:
        self.person = person
        self.rng = rng
        self.smooth = smooth
        start = hm(8) + float(rng.uniform(-300, 600))
        end = hm(18, 30) + float(rng.uniform(-120, 300))
        self.plan = DayPlan(person, day, start, end)
        self.t = start
        self.pos: LatLon = (person.home_lat, person.home_lon)

    def stay_until(self, t1: float, *, indoor: bool = True) -> None:
        t1 = max(t1, self.t + 60.0)
        self.plan.segments.append(Stay(self.pos[0], self.pos[1], self.t, t1, indoor))
        self.t = t1

    def stay_for(self, seconds: float, *, indoor: bool = True) -> None:
        self.stay_until(self.t + seconds, indoor=indoor)

    def go(self, dest: LatLon, path: list[LatLon] | None = None) -> float:
        """Travel to ``dest`` (along ``path`` if given); returns the arrival time."""
        rng = self.rng
        if path is None:
            path = route(self.pos, dest, self.person.city, float(rng.uniform(0.2, 0.8)))
        length = length_m(path, self.person.city)
        if length < WALK_M:
            speed = float(rng.uniform(1.1, 1.5))
        elif length < 3000:
            speed = float(rng.uniform(5.0, 8.0))
        else:
            speed = float(rng.uniform(7.5, 10.5))
        duration = max(60.0, length / speed)
        self.plan.segments.append(Move(path, self.t, self.t + duration, self.smooth))
        self.t += duration
        self.pos = dest
        return self.t

    def near(self, lat: float, lon: float, lo_m: float, hi_m: float) -> LatLon:
        """A point ``lo_m``–``hi_m`` metres from (lat, lon): a parking spot, a lobby."""
        r = float(self.rng.uniform(lo_m, hi_m))
        a = float(self.rng.uniform(0, 2 * math.pi))
        return offset(lat, lon, r * math.cos(a), r * math.sin(a))

    def maybe_gap(self) -> None:
        """Now and then the phone reports nothing for a while."""
        if self.rng.random() < 0.15:
            t0 = float(self.rng.uniform(self.plan.start + 3600, self.plan.end - 3600))
            self.plan.gaps.append((t0, t0 + float(self.rng.uniform(600, 2400))))

    def finish(self) -> DayPlan:
        """Stay wherever the day ended until the tracker stops."""
        if self.t < self.plan.end:
            self.stay_until(self.plan.end + 60.0)
        return self.plan
