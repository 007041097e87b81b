"""Stop (dwell) detection on synthetic tracks."""

from __future__ import annotations

import time

import numpy as np
import pytest

from workstation.geo import stops
from workstation.geo.distance import LocalProjection, from_xyz, haversine_m, to_xyz_m
from workstation.geo.stops import Stop, detect_stops

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


# ---- the vectorised scan decides exactly as the plain fix-by-fix scan ---------------------
#
# ``_plain_stops`` is the scan as first written (one Python loop over the fixes, numpy's mean,
# norm and median for the trimming); ``detect_stops`` must give the very same stops.


def _plain_stops(
    t_ms: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    min_minutes: float = 10.0,
    radius_m: float = 100.0,
    max_gap_minutes: float = 60.0,
    max_outliers: int = 2,
) -> list[tuple[int, int, float, float, int, int, int, int]]:
    order = np.argsort(t_ms, kind="stable")
    xyz = to_xyz_m(lat[order], lon[order])
    xs, ys, zs = xyz[:, 0].tolist(), xyz[:, 1].tolist(), xyz[:, 2].tolist()
    ts: list[int] = t_ms[order].tolist()
    n, min_ms, gap_ms = len(ts), min_minutes * 60_000.0, max_gap_minutes * 60_000.0
    r2 = radius_m * radius_m

    def inside(k: int, c: tuple[float, float, float]) -> bool:
        return bool((xs[k] - c[0]) ** 2 + (ys[k] - c[1]) ** 2 + (zs[k] - c[2]) ** 2 <= r2)

    stops, i = [], 0
    while i < n:
        s, last, members, j = [xs[i], ys[i], zs[i]], i, [i], i + 1
        while j < n and ts[j] - ts[last] <= gap_ms:
            c = (s[0] / len(members), s[1] / len(members), s[2] / len(members))
            if inside(j, c):
                s = [s[0] + xs[j], s[1] + ys[j], s[2] + zs[j]]
                members.append(j)
                last, j = j, j + 1
                continue
            back = None
            for k in range(j + 1, min(n, j + 1 + max_outliers)):
                if ts[k] - ts[last] > gap_ms:
                    break
                if inside(k, c):
                    back = k
                    break
            if back is None:
                break
            j = back
        if ts[last] - ts[i] >= min_ms:
            pts = xyz[np.asarray(members)]
            dist = np.linalg.norm(pts - pts.mean(axis=0), axis=1)
            limit = max(0.5 * radius_m, 3.0 * float(np.median(dist)))
            a, b = 0, len(members) - 1
            while a < b and dist[a] > limit:
                a += 1
            while b > a and dist[b] > limit:
                b -= 1
            kept = members[a : b + 1]
            if ts[kept[-1]] - ts[kept[0]] >= min_ms:
                c_lat, c_lon = from_xyz(xyz[np.asarray(kept)].mean(axis=0))
                first, end = kept[0], kept[-1]
                stops.append(
                    (ts[first], ts[end], float(c_lat[0]), float(c_lon[0]), len(kept),
                     int(order[first]), int(order[end]), (end - first + 1) - len(kept))
                )  # fmt: skip
                i = last + 1
                continue
        i += 1
    return stops


def _random_track(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stays, walks, drives, drifts, stray fixes, repeated times and silences, anywhere."""
    origin = LocalProjection(float(rng.choice([31.23, 0.0, 59.9, -33.9, 89.99])),
                             float(rng.choice([121.47, 179.9995, -73.9, 0.0])))  # fmt: skip
    dt_s = float(rng.choice([5, 30, 75.6, 120]))
    t, x, y, now, pos = [], [], [], 0.0, np.zeros(2)
    for _ in range(int(rng.integers(1, 12))):
        kind = rng.choice(["stay", "move", "silence", "strays", "repeat"])
        count = int(rng.integers(1, 150))
        jitter = float(rng.choice([1, 6, 30, 80]))
        heading = rng.uniform(0, 2 * np.pi)
        speed = float(rng.choice([0.05, 0.4, 1.4, 12.0]))
        for _ in range(count if kind in ("stay", "move") else int(rng.integers(1, 5))):
            if kind == "silence":
                now += float(rng.choice([10, 59, 61, 240])) * 60
                pos += rng.normal(0, 200, 2) * (rng.random() < 0.5)
                continue
            step = 0.0 if kind == "repeat" else dt_s * float(rng.uniform(0.5, 1.5))
            now += step
            if kind == "move":
                heading += rng.normal(0, 0.3)
                pos += speed * step * np.array([np.cos(heading), np.sin(heading)])
            spread = float(rng.choice([150, 3000])) if kind == "strays" else jitter
            t.append(now)
            x.append(pos[0] + rng.normal(0, spread))
            y.append(pos[1] + rng.normal(0, spread))
    lat, lon = origin.to_latlon(np.asarray(x), np.asarray(y))
    lat, lon = np.clip(lat, -90, 90), (np.asarray(lon) + 180) % 360 - 180
    if lat.size > 3 and rng.random() < 0.1:
        lat[rng.integers(0, lat.size)] = np.nan
    t_ms = (T0 + np.asarray(t) * 1000).astype(np.int64)
    perm = rng.permutation(t_ms.size) if rng.random() < 0.1 else np.arange(t_ms.size)
    return t_ms[perm], lat[perm], lon[perm]


def _as_tuples(stops: list[Stop]) -> list[tuple[int, int, float, float, int, int, int, int]]:
    return [
        (s.start_ms, s.end_ms, s.lat, s.lon, s.point_count, s.first_index, s.last_index,
         s.outliers)
        for s in stops
    ]  # fmt: skip


def _assert_same(t: np.ndarray, lat: np.ndarray, lon: np.ndarray, **params: float) -> int:
    got = _as_tuples(detect_stops(t, lat, lon, **params))  # type: ignore[arg-type]
    want = _plain_stops(t, lat, lon, **params)  # type: ignore[arg-type]
    assert len(got) == len(want), params
    for g, w in zip(got, want, strict=True):
        assert g[:2] == w[:2] and g[4:] == w[4:], params
        assert g[2:4] == pytest.approx(w[2:4], abs=1e-9, rel=0), params
    return len(want)


def _assert_same_as_plain(seed: int, cases: int) -> int:
    rng = np.random.default_rng(seed)
    found = 0
    for _ in range(cases):
        found += _assert_same(
            *_random_track(rng),
            min_minutes=float(rng.choice([0.5, 5, 10, 30])),
            radius_m=float(rng.choice([5, 50, 100, 300])),
            max_gap_minutes=float(rng.choice([-1, 0, 5, 60, np.inf])),
            max_outliers=int(rng.choice([-1, 0, 1, 2, 3, 20])),
        )
    return found


def test_same_stops_as_the_plain_scan_on_random_tracks() -> None:
    assert _assert_same_as_plain(seed=1, cases=300) > 300


def test_same_stops_with_the_shortcuts_pushed_to_their_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A wide margin sends many decisions to the exact scalar test, tiny blocks and screens
    # make every candidate cross many of them.
    monkeypatch.setattr(stops, "_SLACK", 0.2)
    monkeypatch.setattr(stops, "_FIRST_BLOCK", 1)
    monkeypatch.setattr(stops, "_MAX_BLOCK", 3)
    monkeypatch.setattr(stops, "_SCREEN_STARTS", 2)
    monkeypatch.setattr(stops, "_SCREEN_WIDTH", 3)
    assert _assert_same_as_plain(seed=2, cases=120) > 100


def test_same_stops_on_a_slow_walk_with_short_stays() -> None:
    # Every fix starts a candidate that is no stop: the screened case.
    track = Track(seed=3)
    for k in range(25):
        track.walk((k * 300.0, (k % 5) * 200.0), speed_mps=1.0)
        track.stay(8, jitter_m=15)
    t, lat, lon = track.arrays()
    assert _assert_same(t, lat, lon) > 10
    assert _assert_same(t, lat, lon, radius_m=float("inf")) == 1
    assert detect_stops(t, lat, lon, min_minutes=float("nan")) == []
