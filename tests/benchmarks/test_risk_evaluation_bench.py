"""Evaluating the early-warning indicators at scale, next to the floor measured in the same run.

At full scale, 200 salespeople × 90 days × 500 fixes a day (9 million track points) and 2,000
competitor sites in a real SQLite file (tiny: 3 × 4 days × 96 fixes, 50 sites). The HR officer
signed in runs the evaluation a user runs (``app.evaluation.evaluate``: the GUI's Evaluate and
``workstation evaluate``). Timed:

- the **floor**: read every point (per employee, on the ``(employee_id, t_ms)`` index, into
  numpy arrays) and one k-d tree query of all of them against the competitor sites;
- a **full evaluation**: days 1..N-1 from nothing (stops and flags of every employee-day,
  every indicator of every employee on every day, then the alerts);
- an **incremental day**: the next day (day N), as the daily run after its import;
- the same day again, which finds nothing to recompute.

The full size can be changed with ``RISK_BENCH_EMPLOYEES``, ``RISK_BENCH_DAYS`` and
``RISK_BENCH_POINTS`` (fixes per day). Times, ratios and peak RSS are reported; only the work
done (from the audit log's record of each computation) is asserted.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from datetime import time as dtime
from itertools import chain
from pathlib import Path

import numpy as np
from acting import sign_in_as
from bench_tools import (
    Results,
    Scale,
    connect_store,
    new_store,
    peak_rss_mb,
    reset_peak_rss,
    store_kind,
)
from scipy.spatial import cKDTree
from sqlalchemy import insert

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.domain.indicators import Indicator
from workstation.geo.distance import LocalProjection, to_xyz_m
from workstation.risk.indicator_service import COMPUTE_ACTION
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


@dataclass(frozen=True)
class Size:
    employees: int
    days: int
    #: Fixes per employee-day.
    points: int
    sites: int


FULL = Size(
    employees=int(os.environ.get("RISK_BENCH_EMPLOYEES", "200")),
    days=int(os.environ.get("RISK_BENCH_DAYS", "90")),
    points=int(os.environ.get("RISK_BENCH_POINTS", "500")),
    sites=2000,
)
TINY = Size(employees=3, days=4, points=96, sites=50)
CUSTOMERS_PER_EMPLOYEE = 20
CST = timezone(timedelta(hours=8))
FIRST_DAY = date(2026, 8, 1)
CITY = LocalProjection(31.2304, 121.4737)
SPAN_M = 40_000.0


def _ll(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = CITY.to_latlon(x, y)
    return np.asarray(lat), np.asarray(lon)


def _stay_middle(points: int, k: int) -> int:
    """Index of the middle fix of the ``k``-th stay of a day (see :func:`_day_xy`)."""
    move = points // 16
    stay = (points - move * 4) // 5
    return (stay + move) * k + stay // 2


def _day_xy(
    rng: np.random.Generator, points: int, office: np.ndarray, stays: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``points`` positions: office, three places, office; stays jitter, moves are lines."""
    waypoints = np.vstack([office, stays, office])
    n = len(waypoints)
    move = points // (4 * (n - 1))
    stay = (points - move * (n - 1)) // n
    xs, ys = [], []
    for k, (wx, wy) in enumerate(waypoints):
        count = stay if k < n - 1 else points - (stay + move) * (n - 1)
        xs.append(wx + rng.normal(0, 6, count))
        ys.append(wy + rng.normal(0, 6, count))
        if k < n - 1:
            nx, ny = waypoints[k + 1]
            f = np.arange(1, move + 1) / (move + 1)
            xs.append(wx + (nx - wx) * f)
            ys.append(wy + (ny - wy) * f)
    x, y = np.concatenate(xs)[:points], np.concatenate(ys)[:points]
    return x, y


def _build(db: Path, size: Size) -> tuple[list[int], float]:
    """The company: offices, sites, customers, ownerships, orders, leads, check-ins, tracks."""
    rng = np.random.default_rng(11)
    app = open_app(new_store(db.parent))
    started = time.perf_counter()
    site_xy = rng.uniform(-SPAN_M, SPAN_M, (size.sites, 2))
    customer_xy = rng.uniform(-SPAN_M, SPAN_M, (size.employees * CUSTOMERS_PER_EMPLOYEE, 2))
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
                for i in range(size.employees)
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
                for e in range(size.employees)
                for k in range(CUSTOMERS_PER_EMPLOYEE)
            ],
        )
        orders, leads, checkins = [], [], []
        for e in range(size.employees):
            for day in range(0, size.days, 3):
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

    con = connect_store(db)
    con.execute("PRAGMA synchronous=OFF")
    epoch = []
    for day in range(size.days):
        start = datetime.combine(FIRST_DAY + timedelta(days=day), dtime(8, 0), CST)
        epoch.append(int(start.timestamp() * 1000))
    step_ms = int(10.5 * 3_600_000 / size.points)
    for e in range(size.employees):
        office = office_xy[e % 4]
        mine = customer_xy[e * CUSTOMERS_PER_EMPLOYEE : (e + 1) * CUSTOMERS_PER_EMPLOYEE]
        near_site = site_xy[np.argmin(np.hypot(*(site_xy - mine[0]).T))]
        rows = []
        for day in range(size.days):
            chosen = rng.choice(len(mine), 3, replace=False)
            picks = mine[chosen]
            if rng.random() < 0.3:  # now and then a stay at a competitor site
                picks = np.vstack([picks[:2], near_site + 30.0])
            x, y = _day_xy(rng, size.points, office, picks)
            lat, lon = _ll(x, y)
            t = epoch[day] + np.arange(size.points, dtype=np.int64) * step_ms
            acc = rng.uniform(5, 40, size.points).round(1)
            rows.extend(
                zip(
                    [1 + e] * size.points,
                    t.tolist(),
                    lat.tolist(),
                    lon.tolist(),
                    acc.tolist(),
                    strict=True,
                )
            )
            for k in range(3):  # a field check-in in the middle of each stay at a customer
                at = datetime.fromtimestamp(int(t[_stay_middle(size.points, k + 1)]) / 1000, CST)
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
    return list(range(1, size.employees + 1)), time.perf_counter() - started


def _floor(db: Path, employees: list[int]) -> tuple[float, int]:
    """Read every point per employee into arrays, then one k-d tree query of all of them."""
    started = time.perf_counter()
    con = connect_store(db)
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


def _last_computation(db: Path) -> dict[str, int]:
    """What the newest indicator computation did, as the audit log records it."""
    with closing(connect_store(db)) as con:
        row = con.execute(
            "SELECT details_json FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1",
            (COMPUTE_ACTION,),
        ).fetchone()
    assert row is not None, "no indicator computation was recorded"
    details: dict[str, int] = json.loads(row[0])
    return details


def test_evaluate_the_window_at_scale(scale: Scale, results: Results, tmp_path: Path) -> None:
    size = scale.pick(FULL, TINY)
    data = tmp_path / "data"
    data.mkdir()
    db = load_settings(data).sqlite_path
    assert db is not None
    reset_peak_rss()
    employees, build_s = _build(db, size)
    rss_built = peak_rss_mb()

    app = open_app(load_settings(data))
    last = FIRST_DAY + timedelta(days=size.days - 1)
    try:
        sign_in_as(app, Role.HR_OFFICER)
        window = app.policies.in_force(FIRST_DAY).policy.settings.window_days
        reset_peak_rss()
        rss_before = peak_rss_mb()  # the RSS now
        started = time.perf_counter()
        full = app.evaluation.evaluate(FIRST_DAY, last - timedelta(days=1))
        full_s = time.perf_counter() - started
        full_work = _last_computation(db)
        rss_full = peak_rss_mb()
        reset_peak_rss()
        started = time.perf_counter()
        daily = app.evaluation.evaluate(last)
        daily_s = time.perf_counter() - started
        daily_work = _last_computation(db)
        started = time.perf_counter()
        again = app.evaluation.evaluate(last)
        again_s = time.perf_counter() - started
        again_work = _last_computation(db)
        rss_daily = peak_rss_mb()
    finally:
        app.close()
    reset_peak_rss()
    floor_s, points = _floor(db, employees)
    rss_floor = peak_rss_mb()

    n, days = size.employees, size.days
    assert points == n * days * size.points
    assert full.employees_evaluated == n and full.days == days - 1 and full.indicators_computed
    assert full_work["employees"] == n
    assert full_work["stop_days_computed"] == n * (days - 1 + window - 1)
    assert full_work["values_written"] == n * (days - 1) * len(Indicator)
    assert daily.employees_evaluated == n and daily_work["stop_days_computed"] == n
    assert daily_work["values_written"] == n * len(Indicator)
    assert again_work["stop_days_computed"] == 0 and again_work["values_written"] == 0
    assert not again.raised and not again.updated

    bench = "risk_evaluation"
    results.add(
        bench,
        "build",
        build_s,
        "s",
        points=points,
        employees=n,
        days=days,
        points_per_day=size.points,
        sites=size.sites,
        sqlite_mb=db.stat().st_size / 1e6,
        peak_rss_mb=rss_built,
        store=store_kind(),
    )
    results.add(
        bench,
        "floor",
        floor_s,
        "s",
        what="read all points + one k-d tree query",
        peak_rss_mb=rss_floor,
    )
    results.add(
        bench,
        "full_evaluation",
        full_s,
        "s",
        days=days - 1,
        ratio_to_floor=full_s / floor_s,
        stop_days=full_work["stop_days_computed"],
        values=full_work["values_written"],
        alerts_raised=len(full.raised),
        rss_mb_before=rss_before,
        peak_rss_mb=rss_full,
        store=store_kind(),
    )
    results.add(
        bench,
        "incremental_day",
        daily_s,
        "s",
        stop_days=daily_work["stop_days_computed"],
        store=store_kind(),
    )
    results.add(bench, "same_day_again", again_s, "s", peak_rss_mb_daily_runs=rss_daily)
