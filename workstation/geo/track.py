"""Cleaning a raw GPS track and cutting it into drawable pieces.

- :func:`good_fix_mask` flags fixes a map should not draw: poor accuracy, or an impossible
  excursion (out and back faster than ``max_speed_mps``).
- :func:`split_runs` cuts the kept fixes into runs at silences longer than ``max_gap_ms`` and
  wherever a key (e.g. the local day) changes.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workstation.geo.distance import EARTH_RADIUS_M, haversine_m_np

DEFAULT_MAX_ACCURACY_M = 200.0
DEFAULT_MAX_SPEED_MPS = 60.0
#: Fixes closer in time than this are treated as this far apart when computing speed.
MIN_DT_S = 1.0
SPIKE_PASSES = 3
#: Longest run of consecutive bad fixes recognised as one excursion.
MAX_EXCURSION = 3

BoolArray = NDArray[np.bool_]

#: Metres per degree of a great circle, a hair long: an upper bound that rounding cannot break.
_BOUND_M_PER_DEG = EARTH_RADIUS_M * math.pi / 180.0 * (1.0 + 1e-6)


def good_fix_mask(
    t_ms: ArrayLike,
    lat: ArrayLike,
    lon: ArrayLike,
    accuracy_m: ArrayLike | None = None,
    *,
    max_accuracy_m: float = DEFAULT_MAX_ACCURACY_M,
    max_speed_mps: float = DEFAULT_MAX_SPEED_MPS,
) -> BoolArray:
    """True for each fix worth drawing (input sorted by time).

    A fix is dropped when its accuracy is worse than ``max_accuracy_m`` (unknown accuracy is
    accepted), or when it is an impossible excursion: reaching it from the previous kept fix
    needs more than ``max_speed_mps``, yet the track is back within reach of that previous
    fix (at a feasible speed) one to ``MAX_EXCURSION`` fixes later. A steady fast run (a
    high-speed train) is therefore kept, and so is one fast step after a silence. A fix at
    either end is dropped when its one step is impossible and the next step is not.
    """
    t = np.asarray(t_ms, dtype=np.float64) / 1000.0
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    keep = np.isfinite(la) & np.isfinite(lo) & (np.abs(la) <= 90) & (np.abs(lo) <= 180)
    if accuracy_m is not None:
        acc = np.asarray(accuracy_m, dtype=np.float64)
        keep &= ~(acc > max_accuracy_m)  # NaN (unknown) compares False: kept

    def too_fast(a: NDArray[np.intp], b: NDArray[np.intp]) -> BoolArray:
        dist = haversine_m_np(la[a], lo[a], la[b], lo[b])
        return np.asarray(dist / np.maximum(t[b] - t[a], MIN_DT_S) > max_speed_mps)

    def steps_too_fast(idx: NDArray[np.intp]) -> BoolArray:
        """``too_fast`` of each step from one fix of ``idx`` to the next. The haversine is
        computed only where a cheap upper bound of the distance allows an impossible speed:
        the way along the parallel of the first fix, then along the meridian, is no shorter
        than the great circle, and that parallel is no longer than at the track's lowest
        latitude."""
        la_k, lo_k = la[idx], lo[idx]
        widest = math.cos(math.radians(float(np.abs(la_k).min())))
        bound = (np.abs(np.diff(la_k)) + np.abs(np.diff(lo_k)) * widest) * _BOUND_M_PER_DEG
        reach = np.maximum(np.diff(t[idx]), MIN_DT_S) * max_speed_mps
        # 1 mm more: near a pole the computed haversine can exceed the bound by ~1e-9 m.
        open_ = np.flatnonzero(~(bound + 1e-3 <= reach))
        fast = np.zeros(idx.size - 1, dtype=bool)
        if open_.size:
            fast[open_] = too_fast(idx[open_], idx[open_ + 1])
        return fast

    for _ in range(SPIKE_PASSES):
        idx = np.flatnonzero(keep)
        n = idx.size
        if n < 3:
            break
        step_fast = steps_too_fast(idx)
        if not step_fast.any():
            break  # nothing impossible left (the usual case): no excursion, no bad end
        bad = np.zeros(n, dtype=bool)
        resolved = np.zeros(n - 1, dtype=bool)
        for off in range(2, MAX_EXCURSION + 2):
            if n <= off:
                break
            # Excursions starting with a fast step not yet explained by a shorter one: is the
            # track back within reach ``off`` fixes later? (Only these few are computed.)
            at = np.flatnonzero(step_fast[: n - off] & ~resolved[: n - off])
            at = at[~too_fast(idx[at], idx[at + off])]
            resolved[at] = True
            for m in range(1, off):
                bad[at + m] = True
        if step_fast[0] and not step_fast[1] and not bad[1]:
            bad[0] = True
        if step_fast[-1] and not step_fast[-2] and not bad[-2]:
            bad[-1] = True
        if not bad.any():
            break
        keep[idx[bad]] = False
    return np.asarray(keep)


def split_runs(
    t_ms: ArrayLike,
    max_gap_ms: float,
    keys: ArrayLike | None = None,
) -> list[tuple[int, int]]:
    """Half-open ``(start, stop)`` index ranges of runs with no gap over ``max_gap_ms`` and no
    change of ``keys``. Input sorted by time."""
    t = np.asarray(t_ms, dtype=np.int64)
    if t.size == 0:
        return []
    cut = np.diff(t) > max_gap_ms
    if keys is not None:
        k = np.asarray(keys)
        cut |= k[1:] != k[:-1]
    edges = np.concatenate(([0], np.flatnonzero(cut) + 1, [t.size]))
    return [(int(a), int(b)) for a, b in pairwise(edges.tolist())]
