"""Great-circle distances, unit-sphere vectors and the local projection."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workstation.geo.distance import (
    EARTH_RADIUS_M,
    LocalProjection,
    arc_for_chord_m,
    chord_for_arc_m,
    from_xyz,
    haversine_m,
    haversine_m_np,
    step_distances_m,
    to_xyz_m,
)


def test_known_distances() -> None:
    assert haversine_m(0, 0, 0, 0) == 0.0
    # One degree of latitude is pi * R / 180.
    assert haversine_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(math.pi * EARTH_RADIUS_M / 180)
    # Beijing (Tiananmen) to Shanghai (People's Square): about 1,067 km.
    assert haversine_m(39.9087, 116.3975, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.01)
    # Antipodes: half the circumference, no NaN from rounding.
    assert haversine_m(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_M)
    # Across the antimeridian.
    assert haversine_m(0, 179.999, 0, -179.999) == pytest.approx(222.4, abs=0.5)


def test_vectorised_matches_scalar_and_broadcasts() -> None:
    rng = np.random.default_rng(3)
    lat1, lat2 = rng.uniform(-80, 80, 50), rng.uniform(-80, 80, 50)
    lon1, lon2 = rng.uniform(-180, 180, 50), rng.uniform(-180, 180, 50)
    vec = haversine_m_np(lat1, lon1, lat2, lon2)
    for i in range(50):
        assert vec[i] == pytest.approx(haversine_m(lat1[i], lon1[i], lat2[i], lon2[i]))
    one_to_many = haversine_m_np(31.0, 121.0, lat2, lon2)
    assert one_to_many.shape == (50,)
    steps = step_distances_m([31.0, 31.001, 31.002], [121.0, 121.0, 121.0])
    assert steps.shape == (2,) and steps == pytest.approx([111.2, 111.2], abs=0.1)


def test_unit_sphere_round_trip_and_chords() -> None:
    lat = np.array([0.0, 31.2304, -45.0, 89.0])
    lon = np.array([0.0, 121.4737, -170.0, 10.0])
    xyz = to_xyz_m(lat, lon)
    assert np.linalg.norm(xyz, axis=1) == pytest.approx(np.full(4, EARTH_RADIUS_M))
    back_lat, back_lon = from_xyz(xyz)
    assert back_lat == pytest.approx(lat) and back_lon == pytest.approx(lon)
    # Chord between two points 1 km apart is 1 km to within a millimetre.
    a = to_xyz_m(31.0, 121.0)[0]
    b = to_xyz_m(31.0 + 1000 / (math.pi * EARTH_RADIUS_M / 180), 121.0)[0]
    assert float(np.linalg.norm(a - b)) == pytest.approx(1000.0, abs=1e-3)
    assert float(arc_for_chord_m(chord_for_arc_m(5000.0))) == pytest.approx(5000.0)


def test_local_projection_small_area() -> None:
    proj = LocalProjection(31.23, 121.47)
    x, y = proj.to_xy([31.23, 31.24], [121.47, 121.48])
    assert x[0] == pytest.approx(0.0) and y[0] == pytest.approx(0.0)
    assert x[1] > 0 and y[1] > 0
    planar = math.hypot(x[1], y[1])
    assert planar == pytest.approx(haversine_m(31.23, 121.47, 31.24, 121.48), rel=1e-3)
    lat, lon = proj.to_latlon(x, y)
    assert lat == pytest.approx([31.23, 31.24]) and lon == pytest.approx([121.47, 121.48])
    centred = LocalProjection.around([10.0, 20.0], [100.0, 110.0])
    assert (centred.lat0, centred.lon0) == (15.0, 105.0)
    with pytest.raises(ValueError):
        LocalProjection.around([], [])
