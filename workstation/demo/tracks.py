"""Sample a day plan into GPS fixes, vectorised with numpy.

One fix every 30–60 s while the tracker runs (about 08:00–18:30 local). Stays jitter around
their spot with indoor accuracy; moves follow the route with a speed that varies minute by
minute and drops to a crawl at traffic lights. A few fixes are bad: a jump of kilometres with
an accuracy of hundreds of metres, as phones produce when they fall back to cell towers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

import numpy as np
from numpy.typing import NDArray

from workstation.demo.clock import day_epoch_s
from workstation.demo.days import DayPlan, Move, Stay
from workstation.demo.geom import FloatArray, Frame
from workstation.demo.routes import frame_of

BAD_FIX_RATE = 0.0015


@dataclass(frozen=True)
class TrackArrays:
    t_ms: NDArray[np.int64]
    lat: FloatArray
    lon: FloatArray
    accuracy_m: FloatArray
    speed_mps: FloatArray

    def __len__(self) -> int:
        return int(self.t_ms.shape[0])

    @staticmethod
    def concat(parts: list[TrackArrays]) -> TrackArrays:
        return TrackArrays(
            np.concatenate([p.t_ms for p in parts]),
            np.concatenate([p.lat for p in parts]),
            np.concatenate([p.lon for p in parts]),
            np.concatenate([p.accuracy_m for p in parts]),
            np.concatenate([p.speed_mps for p in parts]),
        )


def sample_times(plan: DayPlan, rng: np.random.Generator) -> FloatArray:
    steps = rng.integers(30, 61, int((plan.end - plan.start) / 30) + 2).astype(np.float64)
    t = plan.start + np.concatenate([[0.0], np.cumsum(steps)])
    t = t[t <= plan.end]
    for g0, g1 in plan.gaps:
        t = t[(t < g0) | (t >= g1)]
    return t


def _stay(seg: Stay, n: int, frame: Frame, rng: np.random.Generator) -> tuple[FloatArray, ...]:
    bx, by = frame.to_xy(seg.lat, seg.lon)
    acc = rng.uniform(8.0, 30.0, n) if seg.indoor else rng.uniform(4.0, 12.0, n)
    poor = rng.random(n) < 0.05
    acc[poor] = rng.uniform(35.0, 65.0, int(poor.sum()))
    x = bx + rng.normal(0.0, 1.0, n) * acc * 0.45
    y = by + rng.normal(0.0, 1.0, n) * acc * 0.45
    return x, y, acc, np.abs(rng.normal(0.0, 0.25, n))


def _move(
    seg: Move, tt: FloatArray, frame: Frame, rng: np.random.Generator
) -> tuple[FloatArray, ...]:
    n = tt.shape[0]
    pts = np.array([frame.to_xy(*p) for p in seg.path])
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
    length = float(cum[-1])
    knots = np.append(np.arange(seg.t0, seg.t1, 60.0), seg.t1)
    if knots.shape[0] < 2:
        knots = np.array([seg.t0, seg.t0 + 1.0])
    dt = np.diff(knots)
    w = np.clip(rng.gamma(6.0, 1 / 6.0, dt.shape[0]), 0.4, 1.8)
    if not seg.smooth:
        w[rng.random(dt.shape[0]) < 0.12] = 0.03  # lights and jams
    work = np.concatenate([[0.0], np.cumsum(w * dt)])
    s = np.interp(tt, knots, work / work[-1]) * length
    x = np.interp(s, cum, pts[:, 0])
    y = np.interp(s, cum, pts[:, 1])
    k = np.clip(np.searchsorted(knots, tt, side="right") - 1, 0, w.shape[0] - 1)
    speed = np.maximum(0.0, w[k] * length / work[-1] + rng.normal(0.0, 0.4, n))
    acc = np.asarray(rng.uniform(4.0, 12.0, n), dtype=np.float64)
    x = x + rng.normal(0.0, 1.0, n) * acc * 0.45
    y = y + rng.normal(0.0, 1.0, n) * acc * 0.45
    return x, y, acc, speed


def render(plan: DayPlan, rng: np.random.Generator, zone: tzinfo) -> TrackArrays:
    """The fixes a phone logs along ``plan`` (its times seconds after ``zone``'s midnight)."""
    frame = frame_of(plan.person.city)
    t = sample_times(plan, rng)
    n = t.shape[0]
    x, y, acc, speed = (np.zeros(n) for _ in range(4))
    starts = np.array([seg.t0 for seg in plan.segments])
    which = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(plan.segments) - 1)
    for k, seg in enumerate(plan.segments):
        mask = which == k
        count = int(mask.sum())
        if count == 0:
            continue
        if isinstance(seg, Stay):
            parts = _stay(seg, count, frame, rng)
        else:
            parts = _move(seg, t[mask], frame, rng)
        x[mask], y[mask], acc[mask], speed[mask] = parts
    bad = np.asarray(rng.random(n) < BAD_FIX_RATE)
    nb = int(bad.sum())
    if nb:
        angle = rng.uniform(0.0, 2 * np.pi, nb)
        jump = rng.uniform(1500.0, 6000.0, nb)
        x[bad] += jump * np.cos(angle)
        y[bad] += jump * np.sin(angle)
        acc[bad] = rng.uniform(300.0, 1500.0, nb)
        speed[bad] = 0.0
    lat, lon = frame.arrays_to_ll(x, y)
    t_ms = (day_epoch_s(plan.day, zone) * 1000 + np.round(t * 1000.0)).astype(np.int64)
    return TrackArrays(
        t_ms, np.round(lat, 7), np.round(lon, 7), np.round(acc, 0), np.round(speed, 1)
    )
