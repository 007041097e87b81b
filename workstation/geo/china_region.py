"""Where Chinese map services apply the GCJ-02 offset: a coarse outline, not a rectangle.

The classic rule ``72.004 <= lon <= 137.8347, 0.8293 <= lat <= 55.8271`` wrongly shifts
Seoul, Ulaanbaatar, Kathmandu, Hanoi and much of South-East Asia. The live AMap (Gaode)
convert service leaves Korea, Japan, Mongolia, India, Nepal, South-East Asia and open sea
alone, and shifts mainland China, Taiwan and the South China Sea islands. This module follows
that: a hand-drawn mainland outline (about 20-50 km accuracy along most borders, and drawn
tight where cities face each other across a border river: Dandong/Sinuiju, Hekou/Lào Cai,
Dongxing/Móng Cái, Ruili/Muse, Khorgos), plus boxes for Taiwan, Hainan, the Paracel and
Macclesfield/Scarborough area, and the Spratlys.

Hong Kong and Macau lie inside the outline: Chinese map services (AMap, Baidu, Tencent)
publish them in GCJ-02 too, so data from WeCom/DingTalk there is offset and must be shifted.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: The mainland outline as (lat, lon) vertices, clockwise from the Amur in the far north-east.
MAINLAND_OUTLINE: tuple[tuple[float, float], ...] = (
    # Russia (Amur, Ussuri)
    (53.60, 123.50), (53.10, 125.60), (52.00, 126.70), (50.60, 127.30), (50.25, 127.56),
    (49.60, 128.00), (49.10, 129.90), (48.40, 130.70), (47.75, 132.60), (48.45, 134.70),
    (47.70, 134.80), (46.60, 134.05), (45.30, 133.15), (44.95, 131.95), (44.85, 131.10),
    (43.00, 131.35), (42.45, 130.75),
    # North Korea (Tumen, Yalu)
    (42.30, 130.62), (42.95, 130.10), (42.45, 129.00), (42.00, 128.00), (41.60, 127.10),
    (41.05, 126.05), (40.50, 124.95), (40.20, 124.45), (40.05, 124.375), (39.90, 124.38),
    (39.75, 124.10),
    # Yellow Sea, East China Sea (west of Korea and of the Ryukyus)
    (37.50, 123.60), (35.00, 123.20), (31.50, 123.60), (29.50, 123.40), (27.20, 121.60),
    (25.90, 120.40), (24.40, 119.00), (23.20, 117.70), (22.00, 114.60),
    # South China coast, Gulf of Tonkin
    (21.30, 111.50), (20.60, 111.00), (20.05, 110.60), (20.15, 109.90), (20.90, 109.30),
    (21.42, 108.10), (21.51, 107.93),
    # Vietnam
    (21.62, 107.40), (21.98, 106.68), (22.85, 106.72), (22.95, 105.90), (23.30, 105.30),
    (23.05, 104.80), (22.80, 104.35), (22.62, 104.00), (22.55, 103.90), (22.75, 103.50),
    (22.40, 102.50),
    # Laos, Myanmar
    (21.60, 101.80), (21.15, 101.70), (21.45, 101.15), (21.15, 100.20), (21.75, 99.95),
    (22.10, 99.20), (23.10, 99.50), (23.85, 98.85), (23.95, 98.05), (24.06, 97.70),
    (24.80, 97.55), (25.60, 98.20), (26.50, 98.75), (27.50, 98.70), (28.30, 98.20),
    # India (north-east, de facto line), Bhutan, Sikkim, Nepal
    (28.25, 97.30), (28.80, 96.40), (29.30, 95.40), (29.00, 94.60), (28.60, 93.20),
    (28.05, 92.60), (27.85, 91.60), (28.15, 91.00), (28.05, 89.70), (27.40, 88.90),
    (27.95, 88.75), (28.15, 88.00), (28.25, 86.00), (28.35, 85.00), (29.00, 83.50),
    (29.65, 82.00), (30.30, 81.20), (30.25, 80.00),
    # India (Ladakh, de facto line), Pakistan, Afghanistan, Tajikistan, Kyrgyzstan
    (30.95, 79.00), (32.50, 78.40), (33.00, 79.30), (34.30, 78.70), (35.50, 77.80),
    (35.65, 76.50), (36.05, 75.50), (37.00, 74.60), (38.60, 73.80), (39.40, 73.55),
    (39.90, 73.85), (40.50, 75.70), (40.80, 76.60), (41.50, 78.40), (42.20, 80.20),
    # Kazakhstan
    (43.10, 80.70), (44.00, 80.35), (45.00, 80.10), (45.10, 82.00), (45.55, 82.60),
    (46.00, 82.35), (46.70, 82.72), (47.20, 83.05), (47.00, 85.50), (48.50, 85.70), (49.20, 87.30),
    # Mongolia
    (48.00, 88.00), (47.00, 90.50), (45.20, 90.90), (44.60, 93.50), (42.70, 96.40),
    (42.50, 100.50), (42.60, 101.80), (41.60, 105.00), (42.40, 107.50), (42.50, 109.50),
    (43.35, 111.50), (44.60, 112.50), (45.10, 113.60), (45.40, 114.50), (46.30, 116.00),
    (46.70, 117.40), (46.60, 119.70), (47.60, 119.40), (47.90, 118.60), (48.00, 117.40),
    # Russia (Argun)
    (49.55, 116.70), (49.90, 117.80), (50.30, 119.30), (51.50, 120.00), (52.60, 120.50),
    (53.30, 121.00),
)  # fmt: skip

#: (south, west, north, east) boxes shifted besides the mainland.
EXTRA_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (21.80, 119.20, 25.40, 122.10),  # Taiwan and Penghu
    (17.90, 108.40, 20.25, 111.30),  # Hainan
    (15.00, 110.80, 17.50, 118.00),  # Paracels, Macclesfield Bank, Scarborough Shoal
    (6.50, 109.80, 11.50, 116.30),  # Spratlys (stops short of Borneo and Palawan)
)

_POLY = np.asarray(MAINLAND_OUTLINE, dtype=np.float64)
_LAT_MIN, _LON_MIN = _POLY.min(axis=0)
_LAT_MAX, _LON_MAX = _POLY.max(axis=0)


#: The outline's edges as arrays: from (lat1, lon1) to (lat2, lon2).
_LAT1, _LON1 = _POLY[:, 0], _POLY[:, 1]
_LAT2, _LON2 = np.roll(_LAT1, -1), np.roll(_LON1, -1)
#: Points tested against every edge at once (points × edges booleans per block).
_BLOCK = 4096


def _in_polygon(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Even-odd ray casting (ray towards +lon), vectorised over points and edges (in blocks
    of points, so one position costs a few array operations, not one per edge)."""
    inside = np.zeros(lat.shape, dtype=bool)
    for start in range(0, lat.shape[0], _BLOCK):
        la = lat[start : start + _BLOCK, None]
        lo = lon[start : start + _BLOCK, None]
        crosses = (la < _LAT1) != (la < _LAT2)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = _LON1 + (la - _LAT1) * (_LON2 - _LON1) / (_LAT2 - _LAT1)
        odd = np.count_nonzero(crosses & (lo < x_at), axis=1) % 2 == 1
        inside[start : start + _BLOCK] = odd
    return inside


def in_china_np(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.bool_]:
    """For each position: would a Chinese map service publish it offset (GCJ-02)?"""
    la = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    lo = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    result = np.zeros(la.shape, dtype=bool)
    near = (la >= _LAT_MIN) & (la <= _LAT_MAX) & (lo >= _LON_MIN) & (lo <= _LON_MAX)
    if near.any():
        result[near] = _in_polygon(la[near], lo[near])
    for south, west, north, east in EXTRA_BOXES:
        result |= (la >= south) & (la <= north) & (lo >= west) & (lo <= east)
    return result


def in_china(lat: float, lon: float) -> bool:
    return bool(in_china_np([lat], [lon])[0])
