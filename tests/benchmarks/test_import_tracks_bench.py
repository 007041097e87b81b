"""Importing track points from CSV, next to the floor of plain pandas + sqlite3.

The HR officer signed in imports the roster of 200 employees, then their tracks: in the test
process (``app.imports.run``, as the GUI's import does on its worker thread) and as a whole
process (``workstation import FILE --kind tracks --json``, as a person or a scheduled job
does). Full scale: 1,000,000 rows in both, and 5,000,000 as a process (its own peak RSS: the
target is under 1 GB). Tiny: 2,000 rows. Times, ratios and peak RSS are reported; only the
rows imported are asserted.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from acting import TEST_PASSWORD, sign_in_as
from bench_tools import (
    Results,
    Scale,
    new_store,
    peak_rss_mb,
    reset_peak_rss,
    run_process,
    store_env,
    store_kind,
    workstation_command,
)

from workstation.app import open_app
from workstation.domain.enums import Role

EMPLOYEES = 200
WRITE_ROWS = 100_000


def _write_csv(path: Path, rows: int) -> None:
    """Time-ordered fixes of 200 people (``rows / 200`` each, 5 s apart), local times."""
    assert rows % EMPLOYEES == 0
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2026-10-29 08:00:00")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("employee_no,time,lat,lon,accuracy_m,speed_mps\n")
        for first in range(0, rows, WRITE_ROWS):
            count = min(WRITE_ROWS, rows - first)
            index = np.arange(first, first + count)
            step, employee = np.divmod(index, EMPLOYEES)
            times = start + pd.to_timedelta(step * 5, unit="s")
            part = pd.DataFrame(
                {
                    "employee_no": [f"B{e:04d}" for e in employee],
                    "time": times.strftime("%Y-%m-%d %H:%M:%S"),
                    "lat": (31.3 + rng.normal(0, 0.05, count)).round(6),
                    "lon": (120.6 + rng.normal(0, 0.05, count)).round(6),
                    "accuracy_m": rng.integers(3, 60, count),
                    "speed_mps": rng.uniform(0, 15, count).round(2),
                }
            )
            part.to_csv(fh, header=False, index=False)


def _floor(csv: Path, db: Path) -> float:
    """pandas read_csv, then sqlite3 executemany into an indexed table: the least any import
    of this file into SQLite can cost."""
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


class TrackFiles:
    """The roster and the track files of each size, written once; the floor of each, measured
    once (and reported) when first asked for."""

    def __init__(self, folder: Path, results: Results) -> None:
        self.folder = folder
        self.results = results
        self.roster = folder / "roster.csv"
        self.roster.write_text(
            "employee_no,name\n" + "".join(f"B{i:04d},b{i}\n" for i in range(EMPLOYEES)),
            encoding="utf-8",
        )
        self._floors: dict[int, float] = {}

    def csv(self, rows: int) -> Path:
        path = self.folder / f"tracks-{rows}.csv"
        if not path.exists():
            _write_csv(path, rows)
        return path

    def floor(self, rows: int) -> float:
        if rows not in self._floors:
            csv = self.csv(rows)
            db = self.folder / f"floor-{rows}.sqlite3"
            self._floors[rows] = seconds = _floor(csv, db)
            db.unlink()
            self.results.add(
                "import_tracks",
                f"floor_{rows}",
                seconds,
                "s",
                what="pandas read_csv + sqlite3 executemany, indexed",
                csv_mb=csv.stat().st_size / 1e6,
            )
        return self._floors[rows]


@pytest.fixture(scope="module")
def track_files(tmp_path_factory: pytest.TempPathFactory, results: Results) -> TrackFiles:
    return TrackFiles(tmp_path_factory.mktemp("tracks"), results)


def test_import_tracks_in_process(
    scale: Scale, results: Results, track_files: TrackFiles, tmp_path: Path
) -> None:
    rows = scale.pick(1_000_000, 2_000)
    csv = track_files.csv(rows)
    app = open_app(new_store(tmp_path / "data"))
    try:
        sign_in_as(app, Role.HR_OFFICER)
        roster = app.imports.run(track_files.roster, "employees")
        assert (roster.accepted, roster.rejected) == (EMPLOYEES, 0)
        reset_peak_rss()
        rss_before = peak_rss_mb()  # the RSS now
        started = time.perf_counter()
        report = app.imports.run(csv, "tracks")
        seconds = time.perf_counter() - started
        rss_peak = peak_rss_mb()
    finally:
        app.close()
    assert (report.rows_read, report.accepted, report.rejected) == (rows, rows, 0)
    floor = track_files.floor(rows)
    results.add(
        "import_tracks",
        f"in_process_{rows}",
        seconds,
        "s",
        rows_per_s=round(rows / seconds),
        ratio_to_floor=seconds / floor,
        rss_mb_before=rss_before,
        peak_rss_mb=rss_peak,
        store=store_kind(),
    )


def test_import_tracks_as_a_process(
    scale: Scale,
    results: Results,
    track_files: TrackFiles,
    tmp_path: Path,
    process_env: dict[str, str],
) -> None:
    for rows in scale.pick([1_000_000, 5_000_000], [2_000]):
        csv = track_files.csv(rows)
        data = tmp_path / f"data-{rows}"
        app = open_app(new_store(data))
        try:  # the roster first, in this process (only the tracks' import is timed)
            username = sign_in_as(app, Role.HR_OFFICER).username
            assert app.imports.run(track_files.roster, "employees").accepted == EMPLOYEES
        finally:
            app.close()
        env = store_env(
            dict(process_env, WORKSTATION_USER=username, WORKSTATION_PASSWORD=TEST_PASSWORD)
        )
        command = [*workstation_command(), "--data-dir", str(data), "import"]
        done = run_process([*command, str(csv), "--kind", "tracks", "--json"], env=env).check()
        report = json.loads(done.stdout)
        assert (report["rows_read"], report["accepted"], report["rejected"]) == (rows, rows, 0)
        floor = track_files.floor(rows)
        results.add(
            "import_tracks",
            f"process_{rows}",
            done.seconds,
            "s",
            rows_per_s=round(rows / done.seconds),
            ratio_to_floor=done.seconds / floor,
            peak_rss_mb=done.peak_rss_mb,
            store=store_kind(),
        )
