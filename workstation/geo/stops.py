"""Stop (dwell) detection: where someone stayed at least ``min_minutes`` within ``radius_m``.

The track is scanned once. A candidate stop grows while each next fix lies within
``radius_m`` of the running centre (the mean of the fixes taken so far, on the sphere). When a
fix falls outside, up to ``max_outliers`` fixes are looked ahead: if the track comes back
inside, the stray fixes are skipped (a lone bad fix kilometres away does not split a stay);
otherwise the candidate ends. It is a stop when its first and last fix are at least
``min_minutes`` apart (after trimming arriving and leaving fixes at its ends, see
:func:`_core`). A silence longer than ``max_gap_minutes`` always ends a candidate:
nobody can say where the person was meanwhile. A shorter silence with the same position
before and after counts as staying (many trackers report less often while stationary).

Work is one pass over plain floats; ~1,000 fixes take about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workstation.geo.distance import from_xyz, to_xyz_m

DEFAULT_MIN_MINUTES = 10.0
DEFAULT_RADIUS_M = 100.0
DEFAULT_MAX_GAP_MINUTES = 60.0
DEFAULT_MAX_OUTLIERS = 2


@dataclass(frozen=True)
class Stop:
    """A stay: ``start_ms``/``end_ms`` are the first and last fix in it (epoch ms, UTC)."""

    start_ms: int
    end_ms: int
    lat: float
    lon: float
    point_count: int
    #: Positions in the input arrays of the first and last fix of the stop.
    first_index: int
    last_index: int
    #: Fixes inside the time span that were skipped as stray (outside the radius).
    outliers: int = 0

    @property
    def minutes(self) -> float:
        return (self.end_ms - self.start_ms) / 60_000.0


def detect_stops(
    t_ms: ArrayLike,
    lat: ArrayLike,
    lon: ArrayLike,
    *,
    min_minutes: float = DEFAULT_MIN_MINUTES,
    radius_m: float = DEFAULT_RADIUS_M,
    max_gap_minutes: float = DEFAULT_MAX_GAP_MINUTES,
    max_outliers: int = DEFAULT_MAX_OUTLIERS,
) -> list[Stop]:
    """Stops in a track given as parallel arrays, sorted by time (sorted here if not)."""
    times = np.asarray(t_ms, dtype=np.int64)
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    if not (times.shape == la.shape == lo.shape) or times.ndim != 1:
        raise ValueError("t_ms, lat and lon must be 1-D arrays of the same length")
    if min_minutes <= 0 or radius_m <= 0:
        raise ValueError("min_minutes and radius_m must be positive")
    n = times.size
    if n == 0:
        return []
    order: NDArray[np.intp] | None = np.argsort(times, kind="stable")
    if order is not None and np.any(order != np.arange(n)):
        times, la, lo = times[order], la[order], lo[order]
    else:
        order = None
    xyz = to_xyz_m(la, lo)
    xs, ys, zs = xyz[:, 0].tolist(), xyz[:, 1].tolist(), xyz[:, 2].tolist()
    ts: list[int] = times.tolist()
    min_ms = min_minutes * 60_000.0
    gap_ms = max_gap_minutes * 60_000.0
    r2 = radius_m * radius_m

    stops: list[Stop] = []
    i = 0
    while i < n:
        # Grow a candidate stay starting at fix i.
        sx, sy, sz, last = xs[i], ys[i], zs[i], i
        members = [i]
        j = i + 1
        while j < n:
            if ts[j] - ts[last] > gap_ms:
                break
            count = len(members)
            cx, cy, cz = sx / count, sy / count, sz / count
            if (xs[j] - cx) ** 2 + (ys[j] - cy) ** 2 + (zs[j] - cz) ** 2 <= r2:
                sx, sy, sz = sx + xs[j], sy + ys[j], sz + zs[j]
                members.append(j)
                last = j
                j += 1
                continue
            back = _comes_back(xs, ys, zs, ts, j, last, (cx, cy, cz), r2, gap_ms, max_outliers)
            if back is None:
                break
            j = back
        # Trimming only shortens a stay, so test the untrimmed span first (cheap).
        if ts[last] - ts[i] >= min_ms:
            kept = _core(xyz, members, radius_m)
            if ts[kept[-1]] - ts[kept[0]] >= min_ms:
                stops.append(_make_stop(xyz, ts, kept, order))
                i = last + 1
                continue
        i += 1
    return stops


def _core(xyz: NDArray[np.float64], members: list[int], radius_m: float) -> list[int]:
    """Drop arriving and leaving fixes at either end that lie well off the stay's centre.

    A fix walking in is within ``radius_m`` of the centre for a minute or two before the
    person has arrived; trimming the ends to ``max(radius / 2, 3 x median spread)`` keeps
    the times of arrival and departure honest without touching the middle of the stay.
    """
    pts = xyz[np.asarray(members)]
    dist = np.linalg.norm(pts - pts.mean(axis=0), axis=1)
    limit = max(0.5 * radius_m, 3.0 * float(np.median(dist)))
    a, b = 0, len(members) - 1
    while a < b and dist[a] > limit:
        a += 1
    while b > a and dist[b] > limit:
        b -= 1
    return members[a : b + 1]


def _make_stop(
    xyz: NDArray[np.float64], ts: list[int], kept: list[int], order: NDArray[np.intp] | None
) -> Stop:
    lat, lon = from_xyz(xyz[np.asarray(kept)].mean(axis=0))
    first, last = kept[0], kept[-1]
    return Stop(
        start_ms=ts[first],
        end_ms=ts[last],
        lat=float(lat[0]),
        lon=float(lon[0]),
        point_count=len(kept),
        first_index=int(order[first]) if order is not None else first,
        last_index=int(order[last]) if order is not None else last,
        outliers=(last - first + 1) - len(kept),
    )


def _comes_back(
    xs: list[float],
    ys: list[float],
    zs: list[float],
    ts: list[int],
    j: int,
    last: int,
    centre: tuple[float, float, float],
    r2: float,
    gap_ms: float,
    max_outliers: int,
) -> int | None:
    """Index of the first fix after stray fix ``j`` back inside the circle, or ``None``."""
    cx, cy, cz = centre
    n = len(xs)
    for k in range(j + 1, min(n, j + 1 + max_outliers)):
        if ts[k] - ts[last] > gap_ms:
            return None
        if (xs[k] - cx) ** 2 + (ys[k] - cy) ** 2 + (zs[k] - cz) ** 2 <= r2:
            return k
    return None
