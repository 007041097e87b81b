"""WGS-84 ↔ GCJ-02 ↔ BD-09, in all six directions, scalar and numpy.

- WGS-84 → GCJ-02 is the published "textbook" obfuscation (Krasovsky ellipsoid constants);
  GCJ-02 → BD-09 is Baidu's published offset (with ``x_pi = pi * 3000 / 180``, not ``pi``).
- The inverse directions are solved *exactly* by fixed-point iteration until the forward
  transform of the answer lands within ~1e-6 m of the input (the usual one-step inverse is
  off by up to a few metres).
- Outside China every conversion is the identity. "Inside China" follows what Chinese map
  services do, not the classic rectangle: mainland China (a coarse outline polygon, with Hong
  Kong and Macau inside it), Taiwan, Hainan and the South China Sea islands are shifted;
  Korea, Japan, Mongolia, India, Nepal, South-East Asia and open sea are not. See
  :mod:`workstation.geo.china_region` for the outline.

All functions take and return ``(lat, lon)`` in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from workstation.domain.enums import CoordSystem
from workstation.geo.china_region import in_china, in_china_np
from workstation.geo.distance import FloatArray

__all__ = [
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "convert_np",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "in_china_np",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses it
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0
_BD_DLON = 0.0065
_BD_DLAT = 0.006
#: Iteration stops when the forward transform is this close (degrees; ~1e-6 m).
_TOL_DEG = 1e-11
_MAX_ITER = 50

Pair = tuple[FloatArray, FloatArray]
Transform = Callable[[FloatArray, FloatArray], Pair]


# ---- forward transforms, no region test -------------------------------------------------


def _gcj_delta(lat: FloatArray, lon: FloatArray) -> Pair:
    x = lon - 105.0
    y = lat - 35.0
    pi = math.pi
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * pi)
    return dlat, dlon


def _wgs_to_gcj(lat: FloatArray, lon: FloatArray) -> Pair:
    dlat, dlon = _gcj_delta(lat, lon)
    return lat + dlat, lon + dlon


def _gcj_to_bd(lat: FloatArray, lon: FloatArray) -> Pair:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.sin(theta) + _BD_DLAT, z * np.cos(theta) + _BD_DLON


def _bd_to_gcj_approx(lat: FloatArray, lon: FloatArray) -> Pair:
    x = lon - _BD_DLON
    y = lat - _BD_DLAT
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.sin(theta), z * np.cos(theta)


def _invert(forward: Transform, lat: FloatArray, lon: FloatArray, start: Pair) -> Pair:
    """Solve ``forward(p) == (lat, lon)`` for ``p`` by fixed-point iteration from ``start``."""
    plat, plon = start[0].copy(), start[1].copy()
    for _ in range(_MAX_ITER):
        flat, flon = forward(plat, plon)
        elat, elon = flat - lat, flon - lon
        plat -= elat
        plon -= elon
        if float(np.max(np.abs(elat), initial=0.0)) < _TOL_DEG and (
            float(np.max(np.abs(elon), initial=0.0)) < _TOL_DEG
        ):
            break
    return plat, plon


def _gcj_to_wgs(lat: FloatArray, lon: FloatArray) -> Pair:
    dlat, dlon = _gcj_delta(lat, lon)
    return _invert(_wgs_to_gcj, lat, lon, (lat - dlat, lon - dlon))


def _bd_to_gcj(lat: FloatArray, lon: FloatArray) -> Pair:
    return _invert(_gcj_to_bd, lat, lon, _bd_to_gcj_approx(lat, lon))


_STEPS: dict[tuple[CoordSystem, CoordSystem], tuple[Transform, ...]] = {
    (CoordSystem.WGS84, CoordSystem.GCJ02): (_wgs_to_gcj,),
    (CoordSystem.GCJ02, CoordSystem.WGS84): (_gcj_to_wgs,),
    (CoordSystem.GCJ02, CoordSystem.BD09): (_gcj_to_bd,),
    (CoordSystem.BD09, CoordSystem.GCJ02): (_bd_to_gcj,),
    (CoordSystem.WGS84, CoordSystem.BD09): (_wgs_to_gcj, _gcj_to_bd),
    (CoordSystem.BD09, CoordSystem.WGS84): (_bd_to_gcj, _gcj_to_wgs),
}


# ---- public API ------------------------------------------------------------------------


def convert_np(lat: ArrayLike, lon: ArrayLike, src: str, dst: str) -> Pair:
    """Convert arrays of positions from ``src`` to ``dst`` ("WGS84", "GCJ02", "BD09").

    Positions outside China (judged on the input position) come back unchanged.
    """
    source, target = CoordSystem(src), CoordSystem(dst)
    la = np.array(lat, dtype=np.float64, ndmin=1)
    lo = np.array(lon, dtype=np.float64, ndmin=1)
    if source == target:
        return la, lo
    inside = in_china_np(la, lo)
    if not inside.any():
        return la, lo
    clat, clon = la[inside], lo[inside]
    for step in _STEPS[(source, target)]:
        clat, clon = step(clat, clon)
    la[inside], lo[inside] = clat, clon
    return la, lo


def convert(lat: float, lon: float, src: str, dst: str) -> tuple[float, float]:
    """Convert one position from ``src`` to ``dst``; unchanged outside China."""
    la, lo = convert_np([lat], [lon], src, dst)
    return float(la[0]), float(lo[0])


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    return convert(lat, lon, CoordSystem.WGS84, CoordSystem.GCJ02)


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    return convert(lat, lon, CoordSystem.GCJ02, CoordSystem.WGS84)


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    return convert(lat, lon, CoordSystem.GCJ02, CoordSystem.BD09)


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    return convert(lat, lon, CoordSystem.BD09, CoordSystem.GCJ02)


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    return convert(lat, lon, CoordSystem.WGS84, CoordSystem.BD09)


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    return convert(lat, lon, CoordSystem.BD09, CoordSystem.WGS84)
