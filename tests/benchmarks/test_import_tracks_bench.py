"""Importing a million track points from CSV, next to the floor of plain pandas + sqlite3.

Opt-in: ``--run-benchmarks``. Prints times, their ratio and peak memory; asserts only
correctness, never timings.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from workstation.app import open_app
from workstation.config import load_settings
from workstation.store.models import Employee

EMPLOYEES = 200
ROWS = 1_000_000
WRITE_ROWS = 100_000


def _write_csv(path: Path, rows: int = ROWS) -> None:
    """Time-ordered fixes of 200 people (``rows / 200`` each, 5 s apart), local times."""
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2026-10-29 08:00:00")
    per_employee = rows // EMPLOYEES
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("employee_no,time,lat,lon,accuracy_m,speed_mps\n")
        for first in range(0, rows, WRITE_ROWS):
            index = np.arange(first, first + WRITE_ROWS)
            step, employee = np.divmod(index, EMPLOYEES)
            times = start + pd.to_timedelta(step * 5, unit="s")
            part = pd.DataFrame(
                {
                    "employee_no": [f"B{e:04d}" for e in employee],
                    "time": times.strftime("%Y-%m-%d %H:%M:%S"),
                    "lat": (31.3 + rng.normal(0, 0.05, WRITE_ROWS)).round(6),
                    "lon": (120.6 + rng.normal(0, 0.05, WRITE_ROWS)).round(6),
                    "accuracy_m": rng.integers(3, 60, WRITE_ROWS),
                    "speed_mps": rng.uniform(0, 15, WRITE_ROWS).round(2),
                }
            )
            part.to_csv(fh, header=False, index=False)
    assert per_employee * EMPLOYEES == rows


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _floor(csv: Path, db: Path) -> float:
    started = time.perf_counter()
    frame = pd.read_csv(csv, dtype={"employee_no": str, "time": str})
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE points (employee TEXT, t TEXT, lat REAL, lon REAL, acc REAL)")
    con.execute("CREATE INDEX ix_points ON points (employee, t)")
    rows = frame[["employee_no", "time", "lat", "lon", "accuracy_m"]].itertuples(
        index=False, name=None
    )
    con.executemany("INSERT INTO points VALUES (?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return time.perf_counter() - started


def test_import_a_million_track_points(tmp_path: Path) -> None:
    csv = tmp_path / "tracks.csv"
    _write_csv(csv)
    app = open_app(load_settings(tmp_path / "data"))
    try:
        with app.uow() as u:
            u.session.add_all(
                Employee(employee_no=f"B{i:04d}", name=f"b{i}") for i in range(EMPLOYEES)
            )
            u.commit()
        rss_before = _maxrss_mb()
        started = time.perf_counter()
        report = app.imports.run(csv, "tracks")
        ours = time.perf_counter() - started
        rss_after = _maxrss_mb()
    finally:
        app.close()
    assert (report.rows_read, report.accepted, report.rejected) == (ROWS, ROWS, 0)

    floor = _floor(csv, tmp_path / "floor.sqlite3")
    size_mb = csv.stat().st_size / 1e6
    print(
        f"\n{ROWS:,} track points ({size_mb:.0f} MB CSV, {EMPLOYEES} employees)"
        f"\n  floor (pandas read_csv + sqlite3 executemany, indexed): {floor:6.1f} s"
        f"\n  app.imports.run(csv, 'tracks'):                         {ours:6.1f} s"
        f"  ({ROWS / ours:,.0f} rows/s)"
        f"\n  ratio: {ours / floor:.2f}x"
        f"\n  peak RSS: {rss_before:.0f} MB before the import, {rss_after:.0f} MB after"
    )


BIG_ROWS = 5_000_000


def test_import_five_million_track_points_in_bounded_memory(tmp_path: Path) -> None:
    """The whole command-line import of a 5,000,000-row file, in a child process whose peak
    resident memory is measured (the target: under 1 GB)."""
    csv = tmp_path / "tracks-5m.csv"
    _write_csv(csv, BIG_ROWS)
    data = tmp_path / "data"
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "employee_no,name\n" + "".join(f"B{i:04d},b{i}\n" for i in range(EMPLOYEES)),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "workstation", "--data-dir", str(data), "import"]
    subprocess.run([*command, str(roster), "--kind", "employees"], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [*command, str(csv), "--kind", "tracks", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = json.loads(done.stdout)
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (BIG_ROWS, BIG_ROWS, 0)
    print(
        f"\n{BIG_ROWS:,} track points ({csv.stat().st_size / 1e6:.0f} MB CSV): "
        f"{elapsed:.1f} s ({BIG_ROWS / elapsed:,.0f} rows/s) in a fresh process, "
        f"peak RSS {peak_mb:.0f} MB (the children before: {before / 1024:.0f} MB)"
    )
