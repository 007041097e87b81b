"""Which fixes a map draws, and where its lines break."""

from __future__ import annotations

import numpy as np

from workstation.geo.distance import LocalProjection
from workstation.geo.track import good_fix_mask, split_runs

ORIGIN = LocalProjection(31.2304, 121.4737)
T0 = 1_793_000_000_000


def _line(n: int, step_m: float = 50.0, dt_s: float = 30.0) -> tuple[np.ndarray, ...]:
    t = T0 + (np.arange(n) * dt_s * 1000).astype(np.int64)
    lat, lon = ORIGIN.to_latlon(np.arange(n) * step_m, np.zeros(n))
    return t, lat, lon


def test_clean_track_is_kept_whole() -> None:
    t, lat, lon = _line(50)
    assert good_fix_mask(t, lat, lon).all()


def test_poor_accuracy_is_dropped_unknown_kept() -> None:
    t, lat, lon = _line(5)
    acc = np.array([10.0, 250.0, np.nan, 200.0, 201.0])
    assert good_fix_mask(t, lat, lon, acc).tolist() == [True, False, True, True, False]


def test_a_spike_and_a_double_spike_are_dropped() -> None:
    t, lat, lon = _line(20)
    far_lat, far_lon = ORIGIN.to_latlon(5000.0, 8000.0)
    lat[5], lon[5] = far_lat, far_lon  # one impossible fix
    lat[12], lon[12] = far_lat, far_lon  # two in a row
    lat[13], lon[13] = far_lat, far_lon
    keep = good_fix_mask(t, lat, lon)
    assert np.flatnonzero(~keep).tolist() == [5, 12, 13]


def test_bad_first_and_last_fix_are_dropped() -> None:
    t, lat, lon = _line(10)
    far_lat, far_lon = ORIGIN.to_latlon(-9000.0, 0.0)
    lat[0], lon[0] = far_lat, far_lon
    lat[-1], lon[-1] = far_lat, far_lon
    keep = good_fix_mask(t, lat, lon)
    assert np.flatnonzero(~keep).tolist() == [0, 9]


def test_fast_but_steady_travel_and_jumps_after_silence_are_kept() -> None:
    # A high-speed train: 80 m/s for ten minutes is not a string of spikes.
    t, lat, lon = _line(20, step_m=80 * 30)
    assert good_fix_mask(t, lat, lon).all()
    # A move of 30 km across a two-hour silence is plausible.
    t2, lat2, lon2 = _line(10)
    t2[5:] += 2 * 3600 * 1000
    shifted = ORIGIN.to_latlon(np.arange(5, 10) * 50.0 + 30_000, np.zeros(5))
    lat2[5:], lon2[5:] = shifted
    assert good_fix_mask(t2, lat2, lon2).all()


def test_invalid_positions_are_dropped() -> None:
    t, lat, lon = _line(4)
    lat[1] = np.nan
    lat[2] = 91.0
    assert good_fix_mask(t, lat, lon).tolist() == [True, False, False, True]


def test_split_runs_at_gaps_and_key_changes() -> None:
    minute = 60_000
    t = np.array([0, 1, 2, 15, 16, 17, 18, 19]) * minute
    days = np.array([1, 1, 1, 1, 1, 2, 2, 2])
    assert split_runs(t, 10 * minute) == [(0, 3), (3, 8)]
    assert split_runs(t, 10 * minute, days) == [(0, 3), (3, 5), (5, 8)]
    assert split_runs(np.array([], dtype=np.int64), 10 * minute) == []
    assert split_runs(np.array([5]), 10 * minute) == [(0, 1)]
