"""Distances on the Earth: haversine (scalar and numpy), unit-sphere vectors, a local projection.

All positions are WGS-84 degrees. The Earth is a sphere of radius ``EARTH_RADIUS_M`` (the
IUGG mean radius); at the scale of a city the error against the ellipsoid is below 0.5 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_M = 6_371_008.8

FloatArray = NDArray[np.float64]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def haversine_m_np(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> FloatArray:
    """Great-circle distances in metres, element-wise with numpy broadcasting."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def step_distances_m(lat: ArrayLike, lon: ArrayLike) -> FloatArray:
    """Distance from each point to the next one (length ``n - 1``)."""
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    return haversine_m_np(la[:-1], lo[:-1], la[1:], lo[1:])


def to_xyz_m(lat: ArrayLike, lon: ArrayLike) -> FloatArray:
    """Points as 3-D vectors on a sphere of radius ``EARTH_RADIUS_M`` (shape ``(n, 3)``).

    Straight-line (chord) distance between two such vectors is the great-circle distance to
    within 1 mm for anything under 10 km, with no projection distortion anywhere on Earth.
    """
    p = np.radians(np.atleast_1d(np.asarray(lat, dtype=np.float64)))
    la = np.radians(np.atleast_1d(np.asarray(lon, dtype=np.float64)))
    cos_p = np.cos(p)
    return np.column_stack((cos_p * np.cos(la), cos_p * np.sin(la), np.sin(p))) * EARTH_RADIUS_M


def from_xyz(xyz: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Latitudes and longitudes (degrees) of 3-D vectors of any length (normalised first)."""
    v = np.atleast_2d(np.asarray(xyz, dtype=np.float64))
    lat = np.degrees(np.arctan2(v[:, 2], np.hypot(v[:, 0], v[:, 1])))
    lon = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    return lat, lon


def chord_for_arc_m(arc_m: float) -> float:
    """The straight-line distance between two points ``arc_m`` apart along the sphere."""
    arc = min(max(arc_m, 0.0), math.pi * EARTH_RADIUS_M)
    return 2.0 * EARTH_RADIUS_M * math.sin(arc / (2.0 * EARTH_RADIUS_M))


def arc_for_chord_m(chord: ArrayLike) -> FloatArray:
    """Great-circle distance for chord lengths (inverse of :func:`chord_for_arc_m`)."""
    c = np.clip(np.asarray(chord, dtype=np.float64) / (2.0 * EARTH_RADIUS_M), 0.0, 1.0)
    return np.asarray(2.0 * EARTH_RADIUS_M * np.arcsin(c))


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular projection to metres around ``(lat0, lon0)``, for small areas.

    ``x`` points east and ``y`` north. Within 20 km of the origin distances are right to
    about 0.1 %; do not use it across hundreds of kilometres (use :func:`to_xyz_m`).
    """

    lat0: float
    lon0: float

    @property
    def _kx(self) -> float:
        return EARTH_RADIUS_M * math.cos(math.radians(self.lat0)) * math.pi / 180.0

    @property
    def _ky(self) -> float:
        return EARTH_RADIUS_M * math.pi / 180.0

    @classmethod
    def around(cls, lat: ArrayLike, lon: ArrayLike) -> LocalProjection:
        """A projection centred on the mean of the given points."""
        la = np.asarray(lat, dtype=np.float64)
        lo = np.asarray(lon, dtype=np.float64)
        if la.size == 0:
            raise ValueError("cannot centre a projection on no points")
        return cls(float(la.mean()), float(lo.mean()))

    def to_xy(self, lat: ArrayLike, lon: ArrayLike) -> tuple[FloatArray, FloatArray]:
        la = np.asarray(lat, dtype=np.float64)
        lo = np.asarray(lon, dtype=np.float64)
        dlon = (lo - self.lon0 + 180.0) % 360.0 - 180.0
        return np.asarray(dlon * self._kx), np.asarray((la - self.lat0) * self._ky)

    def to_latlon(self, x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
        xs = np.asarray(x, dtype=np.float64)
        ys = np.asarray(y, dtype=np.float64)
        return np.asarray(self.lat0 + ys / self._ky), np.asarray(self.lon0 + xs / self._kx)
