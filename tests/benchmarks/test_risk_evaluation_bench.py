"""Evaluating the early-warning indicators at scale, next to the floor measured in the same run.

200 salespeople × 90 days × 500 fixes a day (9 million track points) and 2,000 competitor
sites in a real SQLite file. Timed:

- the **floor**: read every point (per employee, on the ``(employee_id, t_ms)`` index, into
  numpy arrays) and one k-d tree query of all of them against the competitor sites
  (measured last, so the peak RSS printed before it is the evaluation's own);
- a **full evaluation**: ``IndicatorService.compute`` over days 1..89 from nothing (stops and
  flags of every employee-day, then every indicator of every employee on every day);
- an **incremental day**: the next day (day 90), as the daily run after its import.

Opt-in: ``--run-benchmarks``. The size is set by ``RISK_BENCH_EMPLOYEES``, ``RISK_BENCH_DAYS``
and ``RISK_BENCH_POINTS`` (fixes per day). Prints times, ratios and peak RSS; asserts only
correctness, never timings.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta, timezone
from datetime import time as dtime
from itertools import chain
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from sqlalchemy import insert

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.indicators import Indicator
from workstation.geo.distance import LocalProjection, to_xyz_m
from workstation.risk.indicator_service import IndicatorService
from workstation.store.models import (
    Competitor,
    CompetitorSite,
    Customer,
    CustomerOwnership,
    Employee,
    Lead,
    Office,
    Order,
)

EMPLOYEES = int(os.environ.get("RISK_BENCH_EMPLOYEES", "200"))
DAYS = int(os.environ.get("RISK_BENCH_DAYS", "90"))
POINTS = int(os.environ.get("RISK_BENCH_POINTS", "500"))
SITES = 2000
CUSTOMERS_PER_EMPLOYEE = 20
CST = timezone(timedelta(hours=8))
FIRST_DAY = date(2026, 8, 1)
CITY = LocalProjection(31.2304, 121.4737)
SPAN_M = 40_000.0


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ll(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = CITY.to_latlon(x, y)
    return np.asarray(lat), np.asarray(lon)


def _stay_middle(k: int) -> int:
    """Index of the middle fix of the ``k``-th stay of a day (see :func:`_day_xy`)."""
    move = POINTS // 16
    stay = (POINTS - move * 4) // 5
    return (stay + move) * k + stay // 2


def _day_xy(
    rng: np.random.Generator, office: np.ndarray, stays: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """POINTS positions: office, three places, office; stays jitter, moves are lines."""
    waypoints = np.vstack([office, stays, office])
    n = len(waypoints)
    move = POINTS // (4 * (n - 1))
    stay = (POINTS - move * (n - 1)) // n
    xs, ys = [], []
    for k, (wx, wy) in enumerate(waypoints):
        count = stay if k < n - 1 else POINTS - (stay + move) * (n - 1)
        xs.append(wx + rng.normal(0, 6, count))
        ys.append(wy + rng.normal(0, 6, count))
        if k < n - 1:
            nx, ny = waypoints[k + 1]
            f = np.arange(1, move + 1) / (move + 1)
            xs.append(wx + (nx - wx) * f)
            ys.append(wy + (ny - wy) * f)
    x, y = np.concatenate(xs)[:POINTS], np.concatenate(ys)[:POINTS]
    return x, y


def _build(db: Path) -> tuple[list[int], float]:
    """The company: offices, sites, customers, ownerships, orders, leads, check-ins, tracks."""
    rng = np.random.default_rng(11)
    app = open_app(load_settings(db.parent))
    started = time.perf_counter()
    site_xy = rng.uniform(-SPAN_M, SPAN_M, (SITES, 2))
    customer_xy = rng.uniform(-SPAN_M, SPAN_M, (EMPLOYEES * CUSTOMERS_PER_EMPLOYEE, 2))
    office_xy = np.array([[0.0, 0.0], [15_000, 15_000], [-15_000, 10_000], [10_000, -20_000]])
    with app.uow() as u:
        s = u.session
        lat, lon = _ll(office_xy[:, 0], office_xy[:, 1])
        s.execute(
            insert(Office),
            [
                {"name": f"O{i}", "lat": a, "lon": o}
                for i, (a, o) in enumerate(zip(lat, lon, strict=True))
            ],
        )
        s.execute(insert(Competitor), [{"name": f"竞品{i}"} for i in range(20)])
        lat, lon = _ll(site_xy[:, 0], site_xy[:, 1])
        s.execute(
            insert(CompetitorSite),
            [
                {"competitor_id": 1 + i % 20, "name": f"S{i}", "lat": a, "lon": o}
                for i, (a, o) in enumerate(zip(lat, lon, strict=True))
            ],
        )
        lat, lon = _ll(customer_xy[:, 0], customer_xy[:, 1])
        s.execute(
            insert(Customer),
            [
                {"code": f"C{i:05d}", "name": f"客户{i}", "lat": a, "lon": o}
                for i, (a, o) in enumerate(zip(lat, lon, strict=True))
            ],
        )
        s.execute(
            insert(Employee),
            [
                {"employee_no": f"E{i:04d}", "name": f"员工{i}", "office_id": 1 + i % 4}
                for i in range(EMPLOYEES)
            ],
        )
        s.execute(
            insert(CustomerOwnership),
            [
                {
                    "customer_id": 1 + e * CUSTOMERS_PER_EMPLOYEE + k,
                    "employee_id": 1 + e,
                    "start_date": date(2026, 1, 1),
                }
                for e in range(EMPLOYEES)
                for k in range(CUSTOMERS_PER_EMPLOYEE)
            ],
        )
        orders, leads, checkins = [], [], []
        for e in range(EMPLOYEES):
            for day in range(0, DAYS, 3):
                when = FIRST_DAY + timedelta(days=day)
                status = "transferred" if rng.random() < 0.05 else "completed"
                orders.append(
                    {
                        "order_no": f"O{e}-{day}",
                        "customer_id": 1 + e * CUSTOMERS_PER_EMPLOYEE + day % 20,
                        "employee_id": 1 + e,
                        "order_date": when,
                        "amount": 1000,
                        "status": status,
                    }
                )
                leads.append({"lead_no": f"L{e}-{day}", "employee_id": 1 + e, "created_on": when})
        s.execute(insert(Order), orders)
        s.execute(insert(Lead), leads)
        u.commit()
    app.close()

    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=OFF")
    epoch = []
    for day in range(DAYS):
        start = datetime.combine(FIRST_DAY + timedelta(days=day), dtime(8, 0), CST)
        epoch.append(int(start.timestamp() * 1000))
    step_ms = int(10.5 * 3_600_000 / POINTS)
    for e in range(EMPLOYEES):
        office = office_xy[e % 4]
        mine = customer_xy[e * CUSTOMERS_PER_EMPLOYEE : (e + 1) * CUSTOMERS_PER_EMPLOYEE]
        near_site = site_xy[np.argmin(np.hypot(*(site_xy - mine[0]).T))]
        rows = []
        for day in range(DAYS):
            chosen = rng.choice(len(mine), 3, replace=False)
            picks = mine[chosen]
            if rng.random() < 0.3:  # now and then a stay at a competitor site
                picks = np.vstack([picks[:2], near_site + 30.0])
            x, y = _day_xy(rng, office, picks)
            lat, lon = _ll(x, y)
            t = epoch[day] + np.arange(POINTS, dtype=np.int64) * step_ms
            acc = rng.uniform(5, 40, POINTS).round(1)
            rows.extend(
                zip(
                    [1 + e] * POINTS,
                    t.tolist(),
                    lat.tolist(),
                    lon.tolist(),
                    acc.tolist(),
                    strict=True,
                )
            )
            for k in range(3):  # a field check-in in the middle of each stay at a customer
                at = datetime.fromtimestamp(int(t[_stay_middle(k + 1)]) / 1000, CST)
                cx, cy = picks[k]
                clat, clon = _ll(np.array([cx + 20]), np.array([cy]))
                checkins.append(
                    (1 + e, at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), "field",
                     float(clat[0]), float(clon[0]), 20.0,
                     1 + e * CUSTOMERS_PER_EMPLOYEE + int(chosen[k]), "WGS84")
                )  # fmt: skip
        con.executemany(
            "INSERT INTO track_points (employee_id, t_ms, lat, lon, accuracy_m, coord_code) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            rows,
        )
    con.executemany(
        "INSERT INTO checkins (employee_id, checked_at, kind, lat, lon, accuracy_m, customer_id, "
        "coord_system) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        checkins,
    )
    con.commit()
    con.close()
    return list(range(1, EMPLOYEES + 1)), time.perf_counter() - started


def _floor(db: Path, employees: list[int]) -> tuple[float, int]:
    """Read every point per employee into arrays, then one k-d tree query of all of them."""
    started = time.perf_counter()
    con = sqlite3.connect(db)
    parts = []
    for e in employees:
        rows = con.execute(
            "SELECT t_ms, lat, lon, accuracy_m FROM track_points WHERE employee_id = ? "
            "ORDER BY t_ms",
            (e,),
        ).fetchall()
        flat = np.fromiter(chain.from_iterable(rows), np.float64, 4 * len(rows))
        parts.append(flat.reshape(len(rows), 4))
    sites = np.array(con.execute("SELECT lat, lon FROM competitor_sites").fetchall())
    con.close()
    points = np.concatenate(parts)
    tree = cKDTree(to_xyz_m(sites[:, 0], sites[:, 1]))
    distance, _ = tree.query(to_xyz_m(points[:, 1], points[:, 2]))
    assert distance.size == points.shape[0]
    return time.perf_counter() - started, int(points.shape[0])


def test_evaluate_the_window_at_scale(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "casework.sqlite3"
    employees, build_s = _build(db)
    rss_built = _maxrss_mb()

    app = open_app(load_settings(data))
    service = IndicatorService(app.uow, lambda: "bench", app.clock)
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    try:
        started = time.perf_counter()
        full = service.compute(FIRST_DAY, last - timedelta(days=1))
        full_s = time.perf_counter() - started
        rss_full = _maxrss_mb()
        started = time.perf_counter()
        daily = service.compute(last, last)
        daily_s = time.perf_counter() - started
        started = time.perf_counter()
        again = service.compute(last, last)
        again_s = time.perf_counter() - started
        rss_daily = _maxrss_mb()
    finally:
        app.close()
    # The floor last, so the peak RSS measured above is the evaluation's own.
    floor_s, points = _floor(db, employees)
    rss_floor = _maxrss_mb()

    assert full.employees == EMPLOYEES and full.stop_days_computed == EMPLOYEES * (DAYS - 1 + 29)
    assert full.values_written == EMPLOYEES * (DAYS - 1) * len(Indicator)
    assert daily.stop_days_computed == EMPLOYEES and daily.stops_written > 0
    assert again.stop_days_computed == 0 and again.values_written == 0
    size_mb = db.stat().st_size / 1e6
    print(
        f"\n{points:,} track points ({EMPLOYEES} employees × {DAYS} days × {POINTS}), "
        f"{SITES} competitor sites, SQLite file {size_mb:,.0f} MB (built in {build_s:.0f} s)"
        f"\n  floor (read all points per employee + one k-d tree query): {floor_s:7.1f} s"
        f"\n  full evaluation, days 1..{DAYS - 1} from nothing:            {full_s:7.1f} s"
        f"  ({full_s / floor_s:.2f}x the floor; stops and flags {full.stops_seconds:.1f} s, "
        f"indicators {full.seconds - full.stops_seconds:.1f} s; {full.stops_written:,} stops, "
        f"{full.flags_written:,} flags, {full.values_written:,} values)"
        f"\n  incremental day {DAYS} (stops of one day + indicators):      {daily_s:7.1f} s"
        f"  ({daily.stop_days_computed} employee-days recomputed)"
        f"\n  the same day again (nothing changed):                  {again_s:7.1f} s"
        f"\n  peak RSS: {rss_built:.0f} MB after building, {rss_full:.0f} MB after the full "
        f"evaluation, {rss_daily:.0f} MB after the daily runs, {rss_floor:.0f} MB after the floor"
    )
