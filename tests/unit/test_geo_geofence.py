"""The geofence rule: outside only when distance - accuracy > radius."""

from __future__ import annotations

import math

import pytest

from workstation.geo.distance import haversine_m
from workstation.geo.geofence import check_geofence

CENTRE = (31.2304, 121.4737)
M_PER_DEG_LAT = 111_195.08


def _at(metres_north: float) -> tuple[float, float]:
    return CENTRE[0] + metres_north / M_PER_DEG_LAT, CENTRE[1]


def test_inside_and_outside_without_accuracy() -> None:
    near = check_geofence(*_at(300), None, *CENTRE, 500)
    assert near.inside and not near.outside
    assert near.distance_m == pytest.approx(300, abs=0.5) and near.accuracy_m == 0.0
    far = check_geofence(*_at(800), None, *CENTRE, 500)
    assert far.outside and far.margin_m == pytest.approx(300, abs=0.5)


def test_accuracy_gives_the_benefit_of_the_doubt() -> None:
    lat, lon = _at(600)
    assert check_geofence(lat, lon, 150.0, *CENTRE, 500).inside  # 600 - 150 <= 500
    assert check_geofence(lat, lon, 50.0, *CENTRE, 500).outside  # 600 - 50 > 500
    assert check_geofence(lat, lon, None, *CENTRE, 500).outside


def test_exactly_on_the_edge_is_inside() -> None:
    lat, lon = _at(600)
    d = haversine_m(lat, lon, *CENTRE)
    edge = check_geofence(lat, lon, d - 500.0, *CENTRE, 500)
    assert edge.margin_m == pytest.approx(0.0, abs=1e-9) and edge.inside
    assert check_geofence(lat, lon, None, *CENTRE, d).inside
    assert check_geofence(*CENTRE, None, *CENTRE, 0.0).inside  # zero radius, same spot


def test_meaningless_accuracy_counts_as_zero() -> None:
    lat, lon = _at(600)
    for acc in (math.nan, math.inf, -40.0):
        result = check_geofence(lat, lon, acc, *CENTRE, 500)
        assert result.accuracy_m == 0.0 and result.outside


def test_invalid_radius_is_rejected() -> None:
    with pytest.raises(ValueError):
        check_geofence(*CENTRE, None, *CENTRE, -1.0)
    with pytest.raises(ValueError):
        check_geofence(*CENTRE, None, *CENTRE, math.nan)
