"""Small geometry for the generator: a local metric frame and distances.

WGS-84 → GCJ-02 (what Chinese apps report) comes from :mod:`workstation.geo.coords`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from workstation.geo.coords import convert_np

FloatArray = NDArray[np.float64]

__all__ = ["FloatArray", "Frame", "distance_m", "distances_m", "offset", "to_gcj02"]

EARTH_R = 6_371_008.8
M_PER_DEG_LAT = 110_574.0


@dataclass(frozen=True)
class Frame:
    """Equirectangular metres around an origin: good to centimetres over one city."""

    lat0: float
    lon0: float

    @property
    def m_per_deg_lon(self) -> float:
        return 111_320.0 * math.cos(math.radians(self.lat0))

    def to_xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.m_per_deg_lon, (lat - self.lat0) * M_PER_DEG_LAT

    def to_ll(self, x: float, y: float) -> tuple[float, float]:
        return self.lat0 + y / M_PER_DEG_LAT, self.lon0 + x / self.m_per_deg_lon

    def arrays_to_ll(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        return self.lat0 + y / M_PER_DEG_LAT, self.lon0 + x / self.m_per_deg_lon


def offset(lat: float, lon: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point ``east_m``/``north_m`` metres away from ``(lat, lon)``."""
    return Frame(lat, lon).to_ll(east_m, north_m)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(math.sqrt(h))


def distances_m(lat: float, lon: float, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Distances in metres from one point to many (haversine, vectorised)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    h = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_R * np.arcsin(np.sqrt(h)), dtype=np.float64)


def to_gcj02(lats: list[float], lons: list[float]) -> tuple[list[float], list[float]]:
    """GCJ-02 of many WGS-84 points at once (what WeCom and DingTalk would report)."""
    glat, glon = convert_np(lats, lons, "WGS84", "GCJ02")
    return np.round(glat, 6).tolist(), np.round(glon, 6).tolist()
