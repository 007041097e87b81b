"""Which fixes a map draws, and where its lines break."""

from __future__ import annotations

import numpy as np

from workstation.geo.distance import LocalProjection, haversine_m_np
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


# ---- the cheaper spike filter drops exactly what the plain one drops ----------------------


def _plain_mask(
    t_ms: np.ndarray, lat: np.ndarray, lon: np.ndarray, acc: np.ndarray | None, max_speed: float
) -> np.ndarray:
    """The filter as first written: every step and every way back through the haversine."""
    t = t_ms / 1000.0
    keep = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if acc is not None:
        keep &= ~(acc > 200.0)

    def too_fast(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        dist = haversine_m_np(lat[a], lon[a], lat[b], lon[b])
        return np.asarray(dist / np.maximum(t[b] - t[a], 1.0) > max_speed)

    for _ in range(3):
        idx = np.flatnonzero(keep)
        n = idx.size
        if n < 3:
            break
        step_fast = too_fast(idx[:-1], idx[1:])
        bad = np.zeros(n, dtype=bool)
        resolved = np.zeros(n - 1, dtype=bool)
        for off in range(2, 5):
            if n <= off:
                break
            back = step_fast[: n - off] & ~too_fast(idx[:-off], idx[off:]) & ~resolved[: n - off]
            resolved[: n - off] |= back
            for m in range(1, off):
                bad[m : m + n - off] |= back
        if step_fast[0] and not step_fast[1] and not bad[1]:
            bad[0] = True
        if step_fast[-1] and not step_fast[-2] and not bad[-2]:
            bad[-1] = True
        if not bad.any():
            break
        keep[idx[bad]] = False
    return keep


def test_same_fixes_dropped_as_the_plain_filter_on_random_tracks() -> None:
    rng = np.random.default_rng(5)
    dropped = 0
    for _ in range(400):
        n = int(rng.integers(0, 300))
        dt = rng.choice(
            [0, 0.5, 1, 5, 30, 60, 600, 7200], n, p=[0.05, 0.05, 0.1, 0.2, 0.3, 0.2, 0.05, 0.05]
        )
        t = T0 + (np.cumsum(dt) * 1000).astype(np.int64)
        lat0, lon0 = (
            float(rng.choice([31.2, 0.0, 70.0, -89.999, 89.9999])),
            float(rng.choice([121.4, 179.999, -179.999])),
        )
        speed = float(rng.choice([1, 10, 50, 70, 300]))
        step = rng.normal(0, 1, (n, 2)) * speed * 30
        xy = np.cumsum(step, axis=0)
        spikes = rng.random(n) < rng.choice([0.0, 0.02, 0.1, 0.4])
        xy[spikes] += rng.normal(0, float(rng.choice([500, 5000, 50000])), (spikes.sum(), 2))
        lat, lon = LocalProjection(lat0, lon0).to_latlon(xy[:, 0], xy[:, 1])
        lat, lon = np.clip(lat, -90, 90), (lon + 180) % 360 - 180
        if n and rng.random() < 0.2:
            lat[rng.integers(0, n)] = rng.choice([np.nan, 95.0])
        acc = (
            rng.choice([5.0, 250.0, np.nan], n, p=[0.9, 0.05, 0.05]) if rng.random() < 0.5 else None
        )
        max_speed = float(rng.choice([20, 60, 100]))
        keep = good_fix_mask(t, lat, lon, acc, max_speed_mps=max_speed)
        assert keep.tolist() == _plain_mask(t, lat, lon, acc, max_speed).tolist()
        dropped += int((~keep).sum())
    assert dropped > 1000


def test_spikes_near_the_pole_and_across_the_date_line() -> None:
    # Longitude steps there say little about distance: the cheap bound must not hide a spike.
    for lat0, lon0 in ((89.9995, 0.0), (-89.9995, 90.0), (0.0, 179.9999)):
        t = T0 + np.arange(12) * 30_000
        lat = np.full(12, lat0) + np.arange(12) * 1e-6 * np.sign(-lat0 or 1)
        lon = np.full(12, lon0)
        lon[4] = lon0 + 150.0 if lat0 else -179.9999  # near the pole: metres; else 22 m away
        lat[8] = lat0 - np.sign(lat0 or 1) * 0.5  # 55 km away in 30 s: a spike
        lon = (lon + 180) % 360 - 180
        keep = good_fix_mask(t, lat, lon)
        assert np.flatnonzero(~keep).tolist() == [8]
        assert keep.tolist() == _plain_mask(t, lat, lon, None, 60.0).tolist()
