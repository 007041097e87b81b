"""GPS fixes sampled from a day's dwells and drives: one fix a minute (phone tracking apps) or
every two minutes (battery-saving GPX loggers), ±3 s, from leaving home to coming back, with a
few metres of noise, WGS-84 as a logger records it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from companies.second.field import Day
from companies.second.geo import distance_m

M_PER_DEG = 111_195.0


@dataclass(frozen=True)
class Fixes:
    t_ms: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    accuracy_m: np.ndarray
    speed_mps: np.ndarray


def sample_day(day: Day, rng: np.random.Generator, every_s: float = 60.0) -> Fixes:
    dwells = day.dwells
    first = dwells[0].start.timestamp()
    last = dwells[-1].end.timestamp()
    t = np.arange(first, last, every_s)
    t = t + rng.uniform(-3, 3, size=t.size)
    t = np.clip(t, first, last)
    lat = np.empty(t.size)
    lon = np.empty(t.size)
    acc = np.empty(t.size)
    speed = np.empty(t.size)
    moving = np.zeros(t.size, dtype=bool)
    for i, d in enumerate(dwells):
        a, b = d.start.timestamp(), d.end.timestamp()
        inside = (t >= a) & (t <= b)
        lat[inside], lon[inside] = d.pos
        acc[inside] = rng.uniform(8, 25, inside.sum())
        speed[inside] = rng.uniform(0, 0.4, inside.sum())
        if i + 1 < len(dwells):
            nxt = dwells[i + 1]
            c = nxt.start.timestamp()
            way = (t > b) & (t < c)
            f = (t[way] - b) / (c - b)
            lat[way] = d.pos[0] + (nxt.pos[0] - d.pos[0]) * f
            lon[way] = d.pos[1] + (nxt.pos[1] - d.pos[1]) * f
            acc[way] = rng.uniform(5, 15, way.sum())
            speed[way] = distance_m(d.pos, nxt.pos) / max(c - b, 1.0)
            moving |= way
    sigma = np.where(moving, 8.0, 6.0)
    lat += rng.normal(0, 1, t.size) * sigma / M_PER_DEG
    lon += rng.normal(0, 1, t.size) * sigma / (M_PER_DEG * np.cos(np.radians(lat)))
    t_ms = np.round(t * 1000).astype(np.int64)
    return Fixes(t_ms, lat, lon, np.round(acc), np.round(speed, 1))


def concat(parts: list[Fixes]) -> Fixes:
    return Fixes(
        *(np.concatenate([getattr(p, n) for p in parts]) for n in Fixes.__dataclass_fields__)
    )
