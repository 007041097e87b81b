"""Importing a CRM customer master in GCJ-02 (``--crs gcj02``), as of a day, with owners.

Full scale: 20,000 customers of 200 salespeople (issue 11: row by row, the China-outline test
of the GCJ-02 conversion cost about 3 ms a row, a minute for such a file); tiny: 300. Measured:
the whole import (converting the coordinate column at once, ownership statements and periods
derived), and for comparison the same column converted row by row as before. Only the rows
imported are asserted. Then the next day's export of the same list (every row a duplicate,
each statement kept).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
from bench_tools import Results, Scale

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import CoordSystem, Role
from workstation.geo.coords import convert
from workstation.ingest.model import ImportOptions

EMPLOYEES = 200


def _master(path: Path, customers: int) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(11)
    lat = (30.6 + rng.normal(0, 0.1, customers)).round(6)
    lon = (104.06 + rng.normal(0, 0.1, customers)).round(6)
    lines = ["客户编号,客户名称,地址,纬度,经度,负责人工号,分配日期,客户状态"]
    for i in range(customers):
        since = f"2023-{1 + i % 12:02d}-15" if i % 3 else ""
        status = "流失" if i % 50 == 0 else "正常"
        lines.append(
            f"K{i:06d},客户{i}有限公司,成都市某路{i}号,{lat[i]},{lon[i]},"
            f"B{i % EMPLOYEES:04d},{since},{status}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")
    return lat.tolist(), lon.tolist()


def test_a_customer_master_in_gcj02(scale: Scale, results: Results, tmp_path: Path) -> None:
    customers = scale.pick(20_000, 300)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "工号,姓名\n" + "".join(f"B{i:04d},员工{i}\n" for i in range(EMPLOYEES)), encoding="utf-8"
    )
    master = tmp_path / "customers.csv"
    lats, lons = _master(master, customers)

    app = open_app(load_settings(tmp_path / "data"))
    try:
        from acting import sign_in_without_user

        sign_in_without_user(app, Role.HR_OFFICER)
        assert app.imports.run(roster, "employees").accepted == EMPLOYEES
        options = ImportOptions(crs=CoordSystem.GCJ02, as_of=date(2024, 5, 19))
        started = time.perf_counter()
        report = app.imports.run(master, "customers", options)
        seconds = time.perf_counter() - started
        # the next day's export, nothing changed: every row a duplicate
        next_day = tmp_path / "customers-next.csv"
        next_day.write_bytes(master.read_bytes() + b"\n")
        started = time.perf_counter()
        again = app.imports.run(next_day, "customers", replace(options, as_of=date(2024, 5, 20)))
        seconds_again = time.perf_counter() - started
    finally:
        app.close()
    assert (report.accepted, report.rejected) == (customers, 0)
    assert (again.accepted, again.duplicates) == (0, customers)

    sample = min(customers, scale.pick(2_000, 300))
    started = time.perf_counter()
    for lat, lon in zip(lats[:sample], lons[:sample], strict=True):
        convert(lat, lon, CoordSystem.GCJ02.value, CoordSystem.WGS84.value)
    per_row = (time.perf_counter() - started) / sample

    results.seconds(
        "import_customers_gcj02",
        "import",
        [seconds],
        customers=customers,
        rows_per_s=customers / seconds,
    )
    results.seconds("import_customers_gcj02", "next_day_unchanged", [seconds_again])
    results.add(
        "import_customers_gcj02",
        "row_by_row_conversion",
        per_row * customers,
        "s",
        customers=customers,
        ms_per_row=per_row * 1000,
        sampled=sample,
    )
