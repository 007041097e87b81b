"""Positions for the generator: distances, offsets and WGS-84 → GCJ-02 (written here from the
published formula, independently of ``workstation.geo``)."""

from __future__ import annotations

import math

EARTH_M = 6_371_008.8
_A = 6378245.0
_EE = 0.00669342162296594323

LatLon = tuple[float, float]


def distance_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_M * math.asin(math.sqrt(h))


def offset(point: LatLon, metres: float, bearing_deg: float) -> LatLon:
    """The point ``metres`` away from ``point`` towards ``bearing_deg`` (0 = north)."""
    lat, lon = point
    b = math.radians(bearing_deg)
    dlat = metres * math.cos(b) / EARTH_M
    dlon = metres * math.sin(b) / (EARTH_M * math.cos(math.radians(lat)))
    return lat + math.degrees(dlat), lon + math.degrees(dlon)


def lerp(a: LatLon, b: LatLon, f: float) -> LatLon:
    return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f


def _transform_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _transform_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def to_gcj02(point: LatLon) -> LatLon:
    """WGS-84 → GCJ-02 (Amap, WeCom, DingTalk). Both cities here lie in mainland China."""
    lat, lon = point
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + dlat, lon + dlon
