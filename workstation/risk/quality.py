"""Location quality: impossible jumps and repeated identical fixes in a track, the
mock-location markers some sources put on a check-in, and punches whose address and track
disagree.

Findings flag; they never remove a fix or a check-in from anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from workstation.domain.enums import PositionSource
from workstation.geo.distance import haversine_m, haversine_m_np
from workstation.geo.track import MIN_DT_S

IMPOSSIBLE_JUMP = "impossible_jump"
REPEATED_FIX = "repeated_fix"
MOCK_LOCATION = "mock_location"
#: A field check-in outside the geofence of the customer it claims (never refused).
OUTSIDE_GEOFENCE = "outside_geofence"
#: A punch without a fix of its own (DingTalk 原始记录) whose address names a known place far
#: from where the employee's track puts it at that time.
ADDRESS_TRACK_MISMATCH = "address_track_mismatch"


@dataclass(frozen=True)
class Flag:
    kind: str
    #: Epoch milliseconds (UTC) of the fix or check-in flagged.
    at_ms: int
    detail: dict[str, Any] = field(default_factory=dict)


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Half-open ``(start, stop)`` ranges of consecutive True values."""
    if mask.size == 0:
        return []
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def impossible_jumps(
    t_ms: ArrayLike,
    lat: ArrayLike,
    lon: ArrayLike,
    accuracy_m: ArrayLike,
    *,
    max_speed_mps: float,
    max_accuracy_m: float,
) -> list[Flag]:
    """Steps between consecutive usable fixes needing more than ``max_speed_mps``.

    Each fix gets the benefit of its reported accuracy (the step is shortened by both
    accuracies), so jitter of a poor fix is no jump. Fixes reported worse than
    ``max_accuracy_m`` are not used at all. Consecutive impossible steps (out to a spike and
    back) are one finding, at the first fix reached by an impossible step.
    """
    t = np.asarray(t_ms, dtype=np.int64)
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    acc = np.asarray(accuracy_m, dtype=np.float64)
    usable = np.isfinite(la) & np.isfinite(lo) & ~(acc > max_accuracy_m)
    idx = np.flatnonzero(usable)
    if idx.size < 2:
        return []
    a, b = idx[:-1], idx[1:]
    dist = haversine_m_np(la[a], lo[a], la[b], lo[b])
    slack = np.nan_to_num(acc[a], nan=0.0).clip(0) + np.nan_to_num(acc[b], nan=0.0).clip(0)
    seconds = np.maximum((t[b] - t[a]) / 1000.0, MIN_DT_S)
    speed = np.maximum(dist - slack, 0.0) / seconds
    flags = []
    for start, stop in _runs(speed > max_speed_mps):
        i, j = int(a[start]), int(b[start])
        flags.append(
            Flag(
                IMPOSSIBLE_JUMP,
                int(t[j]),
                {
                    "from": [round(float(la[i]), 6), round(float(lo[i]), 6)],
                    "to": [round(float(la[j]), 6), round(float(lo[j]), 6)],
                    "distance_m": round(float(dist[start]), 1),
                    "seconds": round(float(seconds[start]), 1),
                    "speed_kmh": round(float(speed[start]) * 3.6, 1),
                    "steps": stop - start,
                },
            )
        )
    return flags


def repeated_fixes(t_ms: ArrayLike, lat: ArrayLike, lon: ArrayLike, *, min_run: int) -> list[Flag]:
    """Runs of at least ``min_run`` consecutive fixes at exactly the same position."""
    t = np.asarray(t_ms, dtype=np.int64)
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    if t.size < min_run:
        return []
    same = (la[1:] == la[:-1]) & (lo[1:] == lo[:-1])
    flags = []
    for start, stop in _runs(same):
        count = stop - start + 1  # steps start..stop-1 join fixes start..stop
        if count < min_run:
            continue
        flags.append(
            Flag(
                REPEATED_FIX,
                int(t[start]),
                {
                    "count": count,
                    "minutes": round(float(t[stop] - t[start]) / 60_000.0, 1),
                    "lat": round(float(la[start]), 6),
                    "lon": round(float(lo[start]), 6),
                },
            )
        )
    return flags


def mock_marker(texts: tuple[str | None, ...], markers: tuple[str, ...]) -> str | None:
    """The first marker found (case-insensitively) in any of ``texts``, or ``None``."""
    for text in texts:
        if not text:
            continue
        folded = text.casefold()
        for marker in markers:
            if marker.casefold() in folded:
                return marker
    return None


class TrackPlacedPunch(Protocol):
    """A check-in as far as the address–track comparison needs it."""

    @property
    def position_source(self) -> str | None: ...

    @property
    def lat(self) -> float | None: ...

    @property
    def lon(self) -> float | None: ...

    @property
    def address_lat(self) -> float | None: ...

    @property
    def address_lon(self) -> float | None: ...


def track_address_distance(c: TrackPlacedPunch) -> float | None:
    """Metres between the track's fix of a punch and the place its address names; None unless
    the punch was placed by the track and its address matched a known place."""
    if (
        c.position_source != PositionSource.TRACK.value
        or c.lat is None
        or c.lon is None
        or c.address_lat is None
        or c.address_lon is None
    ):
        return None
    return haversine_m(c.lat, c.lon, c.address_lat, c.address_lon)


def address_track_gap(distance_m: float, accuracy_m: float | None, *, max_m: float) -> float | None:
    """``distance_m`` (see ``track_address_distance``) when it is more than ``max_m`` beyond
    the fix's accuracy (the address and the track disagree); else None."""
    slack = accuracy_m if accuracy_m is not None and accuracy_m > 0 else 0.0
    return distance_m if distance_m - slack > max_m else None
