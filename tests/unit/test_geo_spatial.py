"""The place index answers radius queries for many points at once, like brute force would."""

from __future__ import annotations

import numpy as np
import pytest

from workstation.geo.distance import haversine_m_np
from workstation.geo.spatial import PlaceIndex


def _random_places(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(31.0, 31.4, n), rng.uniform(121.2, 121.7, n)


def test_within_matches_brute_force() -> None:
    plat, plon = _random_places(500, 1)
    qlat, qlon = _random_places(300, 2)
    index = PlaceIndex(plat, plon)
    got = index.within(qlat, qlon, 1500.0)
    for i in range(len(qlat)):
        dist = haversine_m_np(qlat[i], qlon[i], plat, plon)
        expected = set(np.flatnonzero(dist <= 1500.0).tolist())
        assert {h.index for h in got[i]} == expected
        ds = [h.distance_m for h in got[i]]
        assert ds == sorted(ds)
        for h in got[i]:
            assert h.distance_m == pytest.approx(dist[h.index])


def test_covering_uses_each_place_radius_plus_extra() -> None:
    # Three places on a meridian, 1 km apart, with different radii.
    step = 1000 / 111_195.0
    index = PlaceIndex([31.0, 31.0 + step, 31.0 + 2 * step], [121.0] * 3, [100.0, 600.0, 50.0])
    point_lat = 31.0 + 0.5 * step  # 500 m from places 0 and 1
    hits = index.covering([point_lat], [121.0])[0]
    assert [h.index for h in hits] == [1]
    assert hits[0].distance_m == pytest.approx(500.0, abs=1.0)
    # With 450 m of accuracy, place 0 (100 m radius) reaches the point too.
    widened = index.covering([point_lat], [121.0], extra_m=[450.0])[0]
    assert sorted(h.index for h in widened) == [0, 1]


def test_exactly_on_the_circle_counts_as_inside() -> None:
    index = PlaceIndex([31.0], [121.0], [100.0])
    lat = 31.0 + 100.0 / 111_195.08
    d = float(haversine_m_np(31.0, 121.0, lat, 121.0))
    assert [h.index for h in index.within([lat], [121.0], d)[0]] == [0]


def test_nearest_and_empty_index() -> None:
    plat, plon = _random_places(50, 5)
    index = PlaceIndex(plat, plon)
    idx, dist = index.nearest([31.2, 31.3], [121.4, 121.5])
    for k, (la, lo) in enumerate([(31.2, 121.4), (31.3, 121.5)]):
        brute = haversine_m_np(la, lo, plat, plon)
        assert idx[k] == int(np.argmin(brute))
        assert dist[k] == pytest.approx(brute.min(), abs=1e-3)
    empty = PlaceIndex([], [])
    assert len(empty) == 0
    assert empty.within([31.0, 31.1], [121.0, 121.1], 100.0) == [[], []]
    assert empty.covering([31.0], [121.0]) == [[]]
    with pytest.raises(ValueError):
        empty.nearest([31.0], [121.0])


def test_many_points_fast_enough() -> None:
    import time

    plat, plon = _random_places(2000, 7)
    qlat, qlon = _random_places(50_000, 8)
    index = PlaceIndex(plat, plon, 300.0)
    started = time.perf_counter()
    hits = index.covering(qlat, qlon)
    assert len(hits) == 50_000
    assert time.perf_counter() - started < 10.0
