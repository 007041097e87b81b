"""Stop (dwell) detection on synthetic tracks."""

from __future__ import annotations

import time

import numpy as np
import pytest

from workstation.geo.distance import LocalProjection, haversine_m
from workstation.geo.stops import detect_stops

ORIGIN = LocalProjection(31.2304, 121.4737)
T0 = 1_793_000_000_000  # an arbitrary epoch-ms start
STEP_S = 30


class Track:
    """Builds a track in metres east/north of ORIGIN, one fix every STEP_S seconds."""

    def __init__(self, seed: int = 0) -> None:
        self.t: list[int] = []
        self.x: list[float] = []
        self.y: list[float] = []
        self.pos = (0.0, 0.0)
        self.now = T0
        self.rng = np.random.default_rng(seed)

    def _fix(self, x: float, y: float) -> None:
        self.t.append(self.now)
        self.x.append(x)
        self.y.append(y)
        self.now += STEP_S * 1000

    def stay(self, minutes: float, jitter_m: float = 8.0) -> None:
        for _ in range(int(minutes * 60 / STEP_S)):
            dx, dy = self.rng.normal(0, jitter_m, 2)
            self._fix(self.pos[0] + dx, self.pos[1] + dy)

    def walk(self, to: tuple[float, float], speed_mps: float = 1.4) -> None:
        x0, y0 = self.pos
        dist = float(np.hypot(to[0] - x0, to[1] - y0))
        steps = max(1, int(dist / (speed_mps * STEP_S)))
        for k in range(1, steps + 1):
            self._fix(x0 + (to[0] - x0) * k / steps, y0 + (to[1] - y0) * k / steps)
        self.pos = to

    def silence(self, minutes: float) -> None:
        self.now += int(minutes * 60_000)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lat, lon = ORIGIN.to_latlon(self.x, self.y)
        return np.asarray(self.t, dtype=np.int64), lat, lon


def test_a_fifteen_minute_stay_is_a_stop() -> None:
    track = Track()
    track.walk((0, 1500))
    track.walk((1000, 1500))
    track.stay(15)
    track.walk((2500, 1500))
    stops = detect_stops(*track.arrays())
    assert len(stops) == 1
    stop = stops[0]
    assert stop.minutes == pytest.approx(15, abs=1.5)
    lat, lon = ORIGIN.to_latlon(1000.0, 1500.0)
    assert haversine_m(stop.lat, stop.lon, float(lat), float(lon)) < 15
    assert stop.point_count >= 28 and stop.outliers == 0


def test_a_five_minute_stay_is_not_a_stop() -> None:
    track = Track()
    track.walk((0, 1000))
    track.stay(5)
    track.walk((1500, 1000))
    assert detect_stops(*track.arrays()) == []


def test_passing_by_is_not_a_stop() -> None:
    track = Track()
    track.walk((3000, 0), speed_mps=1.0)  # slow walk, 50 minutes, never staying
    track.walk((3000, 3000), speed_mps=12.0)  # then a drive
    assert detect_stops(*track.arrays()) == []


def test_a_single_outlier_far_away_does_not_split_the_stop() -> None:
    track = Track()
    track.stay(15)
    track._fix(2000.0, -1500.0)  # one bad fix 2.5 km away
    track.stay(15)
    stops = detect_stops(*track.arrays())
    assert len(stops) == 1
    assert stops[0].minutes == pytest.approx(30, abs=1.5)
    assert stops[0].outliers == 1


def test_leaving_for_good_ends_the_stop() -> None:
    track = Track()
    track.stay(12)
    track.walk((800, 0))
    track.stay(12)
    stops = detect_stops(*track.arrays())
    assert len(stops) == 2
    assert stops[0].last_index < stops[1].first_index
    assert haversine_m(stops[0].lat, stops[0].lon, stops[1].lat, stops[1].lon) == pytest.approx(
        800, abs=20
    )


def test_short_silence_at_the_same_place_counts_as_staying() -> None:
    track = Track()
    track.stay(4)
    track.silence(30)  # tracker quiet while stationary
    track.stay(4)
    stops = detect_stops(*track.arrays())
    assert len(stops) == 1 and stops[0].minutes == pytest.approx(38, abs=1.5)


def test_long_silence_splits_and_short_sides_are_dropped() -> None:
    track = Track()
    track.stay(12)
    track.silence(180)
    track.stay(4)
    stops = detect_stops(*track.arrays(), max_gap_minutes=60)
    assert len(stops) == 1 and stops[0].minutes == pytest.approx(12, abs=1.5)


def test_parameters_are_honoured() -> None:
    track = Track()
    track.stay(8, jitter_m=3)
    t, lat, lon = track.arrays()
    assert detect_stops(t, lat, lon) == []
    assert len(detect_stops(t, lat, lon, min_minutes=5)) == 1
    wide = Track(seed=1)
    wide.stay(20, jitter_m=120)
    assert len(detect_stops(*wide.arrays(), radius_m=600)) == 1
    with pytest.raises(ValueError):
        detect_stops(t, lat, lon, radius_m=0)
    with pytest.raises(ValueError):
        detect_stops(t[:-1], lat, lon)


def test_unsorted_input_and_indices_point_into_the_input() -> None:
    track = Track()
    track.walk((0, 1000))
    track.stay(15)
    t, lat, lon = track.arrays()
    perm = np.random.default_rng(9).permutation(t.size)
    stops = detect_stops(t[perm], lat[perm], lon[perm])
    assert len(stops) == 1
    stop = stops[0]
    assert t[perm][stop.first_index] == stop.start_ms
    assert t[perm][stop.last_index] == stop.end_ms


def test_empty_and_single_point() -> None:
    assert detect_stops([], [], []) == []
    assert detect_stops([T0], [31.0], [121.0]) == []


def test_a_day_of_fixes_is_fast() -> None:
    track = Track(seed=4)
    for k in range(12):
        track.walk((k * 700.0, (k % 3) * 500.0), speed_mps=8.0)
        track.stay(40)
    t, lat, lon = track.arrays()
    assert t.size > 900
    started = time.perf_counter()
    stops = detect_stops(t, lat, lon)
    elapsed = time.perf_counter() - started
    assert len(stops) == 12
    assert elapsed < 0.5
