"""Stop (dwell) detection: where someone stayed at least ``min_minutes`` within ``radius_m``.

The track is scanned once. A candidate stop grows while each next fix lies within
``radius_m`` of the running centre (the mean of the fixes taken so far, on the sphere). When a
fix falls outside, up to ``max_outliers`` fixes are looked ahead: if the track comes back
inside, the stray fixes are skipped (a lone bad fix kilometres away does not split a stay);
otherwise the candidate ends. It is a stop when its first and last fix are at least
``min_minutes`` apart (after trimming arriving and leaving fixes at its ends, see
:meth:`_Scan.core`). A silence longer than ``max_gap_minutes`` always ends a candidate:
nobody can say where the person was meanwhile. A shorter silence with the same position
before and after counts as staying (many trackers report less often while stationary). The
next candidate starts after a stop, or at the fix after the start of one that was none.

The work is vectorised without changing a single decision of that scan. Fixes that cannot
start a stop (none of the next ``max_outliers + 1`` fixes lies within ``radius_m`` of them)
are found for the whole track at once and skipped. A candidate grows a block of fixes at a
time: running sums of the 3-D positions give the centre before each fix, so the first fix
outside is found with a few numpy operations; only there (and for the look-ahead) is it fix
by fix. After a candidate that is no stop, the next starts are screened together for
candidates that surely end too soon (slow movement makes many). Distances are decided as
the plain loop decides them (Python's ``x ** 2``, which can differ from numpy's ``x * x`` in
the last bit, and numpy's mean and median): numpy only settles what is clearly so.
A day of ~500 fixes takes about 0.15 ms.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workstation.geo.distance import from_xyz, to_xyz_m

DEFAULT_MIN_MINUTES = 10.0
DEFAULT_RADIUS_M = 100.0
DEFAULT_MAX_GAP_MINUTES = 60.0
DEFAULT_MAX_OUTLIERS = 2

#: Fixes tested in one go when a candidate starts growing; each further block is 4x larger.
_FIRST_BLOCK = 128
_MAX_BLOCK = 8192
#: Relative margin around a limit within which numpy's rounding does not decide a comparison.
_SLACK = 1e-9
#: Beyond this look-ahead every fix is tried as a start, and grown fix by fix.
_MAX_REACH = 16
#: After a candidate that is no stop, the next this many starts are screened together, each
#: over its first ``_SCREEN_WIDTH`` fixes at most (see :meth:`_Scan.too_short`).
_SCREEN_STARTS = 128
_SCREEN_WIDTH = 24

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]


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
    order: IndexArray | None = None
    steps = np.diff(times)
    if bool(np.any(steps < 0)):
        order = np.argsort(times, kind="stable")
        times, la, lo = times[order], la[order], lo[order]
        steps = np.diff(times)
    gap_ms = max_gap_minutes * 60_000.0
    scan = _Scan(times, to_xyz_m(la, lo), steps > gap_ms, radius_m, gap_ms, max_outliers)
    min_ms = min_minutes * 60_000.0

    found: list[tuple[int, int, int, FloatArray]] = []  # first, last, count, centre
    starts = scan.possible_starts()
    no_stop: set[int] = set()  # starts whose candidate is known to be too short
    screened = 0  # starts[:screened] have been screened or passed
    at = 0
    while at < len(starts):
        i = starts[at]
        if i in no_stop:
            at += 1
            continue
        last, strays = scan.grow(i)
        # Trimming only shortens a stay, so test the untrimmed span first (cheap).
        if times.item(last) - times.item(i) >= min_ms:
            kept = scan.core(i, last, strays, min_ms)
            if kept is not None:
                found.append(kept)
                at = bisect_left(starts, last + 1, at)  # the next start after the stop
                continue
        if screened <= at:  # no stop: more short candidates are likely to follow
            screened = at + 1 + _SCREEN_STARTS
            no_stop.update(scan.too_short(starts[at + 1 : screened], min_ms))
        at += 1
    if not found:
        return []
    lats, lons = from_xyz(np.array([f[3] for f in found]))
    return [
        Stop(
            start_ms=times.item(first),
            end_ms=times.item(last),
            lat=s_lat,
            lon=s_lon,
            point_count=count,
            first_index=first if order is None else int(order[first]),
            last_index=last if order is None else int(order[last]),
            outliers=(last - first + 1) - count,
        )
        for (first, last, count, _), s_lat, s_lon in zip(
            found, lats.tolist(), lons.tolist(), strict=True
        )
    ]


class _Scan:
    """One track (sorted by time) as 3-D points, and the steps of the scan over it."""

    def __init__(
        self,
        times: NDArray[np.int64],
        xyz: FloatArray,
        long_steps: NDArray[np.bool_],
        radius_m: float,
        gap_ms: float,
        max_outliers: int,
    ) -> None:
        self.times = times
        self.xyz = xyz
        self.n = times.size
        self.radius_m = radius_m
        self.r2 = radius_m * radius_m
        self.gap_ms = gap_ms
        self.max_outliers = max_outliers
        #: Fixes after a silence longer than ``gap_ms``: no candidate reaches across one.
        self.gaps: list[int] = (np.flatnonzero(long_steps) + 1).tolist()
        self.counts = np.arange(1, self.n + _SCREEN_WIDTH + 1, dtype=np.float64)[:, None]
        self.padded: FloatArray | None = None
        self.width = _SCREEN_WIDTH

    def possible_starts(self) -> list[int]:
        """Fixes that may start a candidate: a superset of those with one of the next
        ``max_outliers + 1`` fixes within the radius (any other candidate is the lone fix)."""
        reach = max(self.max_outliers, 0) + 1
        if reach > _MAX_REACH:
            return list(range(self.n))
        near = np.zeros(self.n, dtype=bool)
        limit = self.r2 * (1.0 + _SLACK)
        for step in range(1, min(reach, self.n - 1) + 1):
            near[:-step] |= _sq_dist(self.xyz[step:], self.xyz[:-step]) <= limit
        return np.flatnonzero(near).tolist()

    def too_short(self, starts: list[int], min_ms: float) -> list[int]:
        """Those of ``starts`` whose candidate surely ends less than ``min_ms`` after it
        starts, found for all at once: the fixes of each are taken as :meth:`grow` takes
        them as long as they are clearly inside; then one is clearly outside, and so is every
        fix of the look-ahead. (A silence would only end it sooner.) Others are left to
        :meth:`grow`, as is every candidate still growing after ``_SCREEN_WIDTH`` fixes."""
        ahead = max(self.max_outliers, 0) + 1  # the fix outside and the look-ahead
        if not starts or ahead > _MAX_REACH:
            return []
        if self.padded is None:
            # NaN past the end: never inside, like no fix at all.
            pad = np.full((_SCREEN_WIDTH + ahead, 3), np.nan)
            self.padded = np.concatenate((self.xyz, pad))
            # Fixes worth a look: up to the first one ``min_ms`` after the start.
            if min_ms < 2.0**52:
                due = np.searchsorted(self.times, self.times + math.ceil(min_ms))
                self.width = min(self.width, int((due - np.arange(self.n)).max()) + 1)
        first = np.asarray(starts)
        # Window offset first: each numpy step below runs over all starts at once.
        pts = self.padded[first + np.arange(self.width)[:, None]]
        sums = np.add.accumulate(pts, axis=0)  # the running sums of :meth:`grow`, exactly
        centres = sums[:-1] / self.counts[: self.width - 1, :, None]
        inside = _sq_dist(pts[1:], centres) < self.r2 * (1.0 - _SLACK)
        f = inside.argmin(axis=0)  # the first fix not clearly inside is ``f + 1`` after
        away = self.padded[first + f + np.arange(1, ahead + 1)[:, None]]
        near = _sq_dist(away, centres[f, np.arange(first.size)]) <= self.r2 * (1.0 + _SLACK)
        ends = ~near.any(axis=0)  # (if every fix was inside, the first one is ``near``)
        last = np.minimum(first + f, self.n - 1)
        ends &= self.times[last] - self.times[first] < min_ms
        return first[ends].tolist()

    def grow(self, i: int) -> tuple[int, list[int]]:
        """The last fix of the candidate starting at fix ``i``, and the stray fixes skipped."""
        xyz, n, gaps = self.xyz, self.n, self.gaps
        total = xyz[i : i + 1]  # running sum of the members' positions
        count, last, j = 1, i, i + 1
        strays: list[int] = []
        size = _FIRST_BLOCK
        sure = self.r2 * (1.0 - _SLACK)
        while j < n:
            # ``last`` is ``j - 1`` here unless ``j`` came back from strays within the gap.
            g = bisect_left(gaps, j)
            end = gaps[g] if g < len(gaps) else n
            if end == j:
                break
            end = min(end, j + size)
            m = end - j
            block = xyz[j:end]
            sums = np.add.accumulate(np.concatenate((total, block)), axis=0)
            centres = sums[:m] / self.counts[count - 1 : count - 1 + m]
            inside = _sq_dist(block, centres) < sure
            f = int(inside.argmin())
            if inside[f]:
                total, count, last, j = sums[m:], count + m, end - 1, end
                size = min(4 * size, _MAX_BLOCK)
                continue
            k = j + f
            if f:
                total, count, last = sums[f : f + 1], count + f, k - 1
            centre = centres[f].tolist()
            if self._inside(k, centre):
                total, count, last, j = sums[f + 1 : f + 2], count + 1, k, k + 1
                continue
            back = self._comes_back(k, last, centre)
            if back is None:
                break
            strays.extend(range(k, back))
            j = back
        return last, strays

    def _inside(self, k: int, centre: list[float]) -> bool:
        """The plain loop's test, bit for bit: fix ``k`` within the radius of ``centre``."""
        x, y, z = self.xyz[k].tolist()
        cx, cy, cz = centre
        return bool((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2 <= self.r2)

    def _comes_back(self, j: int, last: int, centre: list[float]) -> int | None:
        """Index of the first fix after stray fix ``j`` back inside the circle, or ``None``."""
        t_last = self.times.item(last)
        for k in range(j + 1, min(self.n, j + 1 + self.max_outliers)):
            if self.times.item(k) - t_last > self.gap_ms:
                return None
            if self._inside(k, centre):
                return k
        return None

    def core(
        self, i: int, last: int, strays: list[int], min_ms: float
    ) -> tuple[int, int, int, FloatArray] | None:
        """The stop in a candidate: its first and last fix, how many fixes it has and its
        centre, or ``None`` when what is left after trimming is shorter than ``min_ms``.

        Arriving and leaving fixes at either end that lie well off the stay's centre are
        dropped. A fix walking in is within ``radius_m`` of the centre for a minute or two
        before the person has arrived; trimming the ends to ``max(radius / 2, 3 x median
        spread)`` keeps the times of arrival and departure honest without touching the middle
        of the stay.
        """
        if strays:
            members = np.delete(np.arange(i, last + 1), np.asarray(strays) - i)
            pts = self.xyz[members]
        else:
            members = None
            pts = self.xyz[i : last + 1]
        count = len(pts)
        centre = np.add.reduce(pts, axis=0) / count  # what ``pts.mean(axis=0)`` does
        half = 0.5 * self.radius_m
        if _within(pts[0], centre, half) and _within(pts[-1], centre, half):
            return i, last, count, centre  # both ends within radius / 2: nothing to trim
        d = pts - centre
        dist = np.sqrt(np.add.reduce(d * d, axis=1))  # what ``np.linalg.norm`` does
        limit = max(half, 3.0 * _median(dist))
        a, b = 0, count - 1
        while a < b and dist[a] > limit:
            a += 1
        while b > a and dist[b] > limit:
            b -= 1
        if a == 0 and b == count - 1:
            return i, last, count, centre
        kept = np.arange(i, last + 1)[a : b + 1] if members is None else members[a : b + 1]
        first, last = int(kept[0]), int(kept[-1])
        if not self.times.item(last) - self.times.item(first) >= min_ms:
            return None
        return first, last, len(kept), np.add.reduce(self.xyz[kept], axis=0) / len(kept)


def _median(values: FloatArray) -> float:
    """``float(np.median(values))`` of a 1-D array, bit for bit, without its overhead."""
    ordered = np.sort(values)
    half = ordered.size // 2
    if np.isnan(ordered[-1]):
        return math.nan
    if ordered.size % 2:
        return float(ordered[half])
    return (float(ordered[half - 1]) + float(ordered[half])) / 2


def _within(point: FloatArray, centre: FloatArray, limit: float) -> bool:
    """Clearly (beyond rounding) no farther than ``limit`` from ``centre``."""
    x, y, z = point.tolist()
    cx, cy, cz = centre.tolist()
    d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz)
    return d2 <= limit * limit * (1.0 - _SLACK)


def _sq_dist(a: FloatArray, b: FloatArray) -> FloatArray:
    """Squared distances between points along the last axis (numpy rounding)."""
    d = a - b
    d *= d
    d2: FloatArray = d[..., 0] + d[..., 1]
    d2 += d[..., 2]
    return d2
