"""The big table: bulk insert of track points, and one employee-day read three ways.

Full scale: 200 employees × 10 days × 500 fixes (1,000,000 rows); tiny: 5 × 2 × 50. Reads
of one (employee, local day), for 50 employees (tiny: all):

- the floor: one SQLAlchemy Core select on the ``(employee_id, t_ms)`` index;
- ``app.maps.map_data``: what the Map area reads for the signed-in HR officer (the points,
  their stops and places, the audit entry of the read);
- ``app.maps.build_map``: the same, drawn as the map page the user sees.

Times are reported; only the points read are asserted.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from acting import sign_in_as
from bench_tools import Results, Scale
from sqlalchemy import insert, select

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.models import Employee, TrackPoint

CST = timezone(timedelta(hours=8))
FIRST_DAY = date(2026, 10, 1)
READ_DAY = 1  # the second day
DAY_MS = 86_400_000
READS = 50


def _day_start_ms(day: int) -> int:
    """08:00 Beijing time on day ``day`` (the fixes run from there for ten hours)."""
    start = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(), CST)
    return int(start.timestamp() * 1000) + 8 * 3_600_000


def test_bulk_insert_and_employee_day_reads(scale: Scale, results: Results, tmp_path: Path) -> None:
    employees, days, per_day = scale.pick((200, 10, 500), (5, 2, 50))
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "employee_no,name\n" + "".join(f"B{i:04d},b{i}\n" for i in range(employees)),
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "data")
    app = open_app(settings)
    try:
        sign_in_as(app, Role.HR_OFFICER)
        assert app.imports.run(roster, "employees").accepted == employees
        with app.uow() as u:
            ids = list(u.session.scalars(select(Employee.id).order_by(Employee.id)))
        rng = np.random.default_rng(1)
        step_ms = 10 * 3_600_000 // per_day
        started = time.perf_counter()
        total = 0
        with app.engine.begin() as conn:
            for day in range(days):
                rows = []
                for emp in ids:
                    ts = _day_start_ms(day) + np.arange(per_day, dtype=np.int64) * step_ms
                    lat = 31.2 + np.cumsum(rng.normal(0, 0.0002, per_day))
                    lon = 121.5 + np.cumsum(rng.normal(0, 0.0002, per_day))
                    rows.extend(
                        {
                            "employee_id": emp,
                            "t_ms": int(t),
                            "lat": float(a),
                            "lon": float(o),
                            "accuracy_m": 10.0,
                            "speed_mps": 1.0,
                            "coord_code": 0,
                        }
                        for t, a, o in zip(ts, lat, lon, strict=True)
                    )
                conn.execute(insert(TrackPoint), rows)
                total += len(rows)
        insert_s = time.perf_counter() - started
        assert total == employees * days * per_day

        readers = ids[:READS]
        lo = _day_start_ms(READ_DAY) - 8 * 3_600_000
        floor, service, drawn = [], [], []
        with app.engine.connect() as conn:
            for emp in readers:
                started = time.perf_counter()
                got = conn.execute(
                    select(TrackPoint.t_ms, TrackPoint.lat, TrackPoint.lon)
                    .where(TrackPoint.employee_id == emp)
                    .where(TrackPoint.t_ms.between(lo, lo + DAY_MS - 1))
                    .order_by(TrackPoint.t_ms)
                ).all()
                floor.append(time.perf_counter() - started)
                assert len(got) == per_day
        day = FIRST_DAY + timedelta(days=READ_DAY)
        for emp in readers:
            started = time.perf_counter()
            data = app.maps.map_data(emp, day, day)
            service.append(time.perf_counter() - started)
            assert data.point_count == per_day
        for emp in readers:
            started = time.perf_counter()
            page = app.maps.build_map(emp, day, day, locale="zh_CN")
            drawn.append(time.perf_counter() - started)
            assert page.data.point_count == per_day and page.path.is_file()
    finally:
        app.close()
    assert settings.sqlite_path is not None
    size_mb = settings.sqlite_path.stat().st_size / 1e6

    bench = "track_store"
    results.add(
        bench,
        "bulk_insert",
        insert_s,
        "s",
        rows=total,
        rows_per_s=round(total / insert_s),
        sqlite_mb=size_mb,
        bytes_per_row=round(size_mb * 1e6 / total),
    )
    for measure, runs in (("read_floor", floor), ("map_data", service), ("build_map", drawn)):
        results.add(
            bench,
            f"{measure}_median",
            statistics.median(runs) * 1000,
            "ms",
            max_ms=max(runs) * 1000,
            reads=len(runs),
            points=per_day,
        )
