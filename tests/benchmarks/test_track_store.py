"""Scale of the big table: bulk insert of track points and (employee, day) reads.

Opt-in: ``make benchmarks``. Prints numbers; asserts only correctness, never timings.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from clocks import pinned
from sqlalchemy import insert, select

from workstation.store.engine import make_engine, make_session_factory
from workstation.store.migrate import upgrade
from workstation.store.models import Employee, TrackPoint
from workstation.store.uow import UnitOfWorkFactory

EMPLOYEES = 200
POINTS_PER_DAY = 500
DAYS = 10  # 1,000,000 rows


def test_bulk_insert_and_range_read_of_a_million_points(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    uow = UnitOfWorkFactory(make_session_factory(engine), pinned())
    with uow() as u:
        u.session.add_all(Employee(employee_no=f"B{i:04d}", name=f"b{i}") for i in range(EMPLOYEES))
        u.commit()
        ids = list(u.session.scalars(select(Employee.id)))
    rng = np.random.default_rng(1)
    day_ms = 86_400_000
    start = time.perf_counter()
    total = 0
    with engine.begin() as conn:
        for day in range(DAYS):
            rows = []
            t0 = 1_760_000_000_000 + day * day_ms
            for emp in ids:
                ts = t0 + np.sort(rng.integers(0, 10 * 3_600_000, POINTS_PER_DAY))
                lat = 31.2 + rng.normal(0, 0.02, POINTS_PER_DAY)
                lon = 121.5 + rng.normal(0, 0.02, POINTS_PER_DAY)
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
    insert_s = time.perf_counter() - start

    reads = []
    with engine.connect() as conn:
        for emp in ids[:50]:
            t = time.perf_counter()
            got = conn.execute(
                select(TrackPoint.t_ms, TrackPoint.lat, TrackPoint.lon)
                .where(TrackPoint.employee_id == emp)
                .where(
                    TrackPoint.t_ms.between(
                        1_760_000_000_000 + 3 * day_ms, 1_760_000_000_000 + 4 * day_ms - 1
                    )
                )
                .order_by(TrackPoint.t_ms)
            ).all()
            reads.append(time.perf_counter() - t)
            assert len(got) == POINTS_PER_DAY
    engine.dispose()
    size_mb = path.stat().st_size / 1e6
    print(
        f"\ntrack_points: inserted {total:,} rows in {insert_s:.1f} s "
        f"({total / insert_s:,.0f} rows/s); file {size_mb:.0f} MB "
        f"({size_mb * 1e6 / total:.0f} B/row); one employee-day read: "
        f"median {np.median(reads) * 1000:.1f} ms, max {max(reads) * 1000:.1f} ms"
    )
    assert total == EMPLOYEES * POINTS_PER_DAY * DAYS
