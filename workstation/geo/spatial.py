"""A spatial index of places: "which places lie within r metres of these points", in bulk.

Places and query points become 3-D vectors on the sphere (:func:`to_xyz_m`) and go into a
scipy k-d tree, so a query over many points costs ``O(n log m)`` with no all-pairs loop and no
projection distortion. Distances returned are great-circle metres (haversine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from workstation.geo.distance import (
    FloatArray,
    arc_for_chord_m,
    chord_for_arc_m,
    haversine_m_np,
    to_xyz_m,
)


@dataclass(frozen=True)
class PlaceHit:
    """Place ``index`` (into the index's input order) lies ``distance_m`` from query point."""

    index: int
    distance_m: float


class PlaceIndex:
    """Places at ``lat``/``lon`` (degrees, WGS-84), each with an optional radius in metres."""

    def __init__(
        self,
        lat: ArrayLike,
        lon: ArrayLike,
        radius_m: ArrayLike | None = None,
    ) -> None:
        self.lat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        self.lon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        if self.lat.shape != self.lon.shape:
            raise ValueError("lat and lon must have the same length")
        n = self.lat.size
        if radius_m is None:
            self.radius_m: FloatArray = np.zeros(n)
        else:
            self.radius_m = np.broadcast_to(np.asarray(radius_m, dtype=np.float64), (n,)).copy()
        self._tree = cKDTree(to_xyz_m(self.lat, self.lon)) if n else None

    def __len__(self) -> int:
        return int(self.lat.size)

    def within(self, lat: ArrayLike, lon: ArrayLike, r_m: float) -> list[list[PlaceHit]]:
        """For each query point, the places within ``r_m`` metres, nearest first."""
        qlat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        qlon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        if self._tree is None or qlat.size == 0:
            return [[] for _ in range(qlat.size)]
        # A hair of slack so points exactly on the circle survive the chord/arc round trip.
        candidates = self._tree.query_ball_point(
            to_xyz_m(qlat, qlon), chord_for_arc_m(r_m) * (1 + 1e-9) + 1e-6
        )
        return [self._hits(qlat[i], qlon[i], idx, r_m, None) for i, idx in enumerate(candidates)]

    def covering(
        self, lat: ArrayLike, lon: ArrayLike, extra_m: ArrayLike = 0.0
    ) -> list[list[PlaceHit]]:
        """For each point, the places whose own radius (plus ``extra_m``) reaches it.

        ``extra_m`` may be a scalar or one value per point (for example a fix's accuracy).
        """
        qlat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        qlon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        extra = np.broadcast_to(np.asarray(extra_m, dtype=np.float64), qlat.shape)
        if self._tree is None or qlat.size == 0:
            return [[] for _ in range(qlat.size)]
        reach = float(self.radius_m.max()) + float(extra.max(initial=0.0))
        candidates = self._tree.query_ball_point(
            to_xyz_m(qlat, qlon), chord_for_arc_m(reach) * (1 + 1e-9) + 1e-6
        )
        return [
            self._hits(qlat[i], qlon[i], idx, None, float(extra[i]))
            for i, idx in enumerate(candidates)
        ]

    def nearest(self, lat: ArrayLike, lon: ArrayLike) -> tuple[NDArray[np.intp], FloatArray]:
        """Index of, and great-circle distance to, the nearest place for each point."""
        qlat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        qlon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        if self._tree is None:
            raise ValueError("the index holds no places")
        chord, idx = self._tree.query(to_xyz_m(qlat, qlon))
        return np.asarray(idx, dtype=np.intp), arc_for_chord_m(chord)

    def _hits(
        self,
        lat: float,
        lon: float,
        idx: Sequence[int],
        r_m: float | None,
        extra: float | None,
    ) -> list[PlaceHit]:
        if not idx:
            return []
        ids = np.asarray(idx, dtype=np.intp)
        dist = haversine_m_np(lat, lon, self.lat[ids], self.lon[ids])
        limit = np.full(ids.size, r_m) if r_m is not None else self.radius_m[ids] + (extra or 0.0)
        keep = dist <= limit
        order = np.argsort(dist[keep], kind="stable")
        return [
            PlaceHit(int(i), float(d))
            for i, d in zip(ids[keep][order], dist[keep][order], strict=True)
        ]
