"""GPS track points: generic CSV files and GPX tracks through the bulk tracks writer."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from acting import sign_in_without_user
from clocks import pinned
from sqlalchemy import select

import workstation.ingest.sources as sources
from workstation.app import App, open_app
from workstation.cli import main
from workstation.config import load_settings
from workstation.domain.enums import CoordSystem, Role
from workstation.geo.coords import gcj02_to_wgs84
from workstation.ingest.errors import FileRejected
from workstation.ingest.gpx import read_gpx
from workstation.ingest.model import ImportOptions
from workstation.store.models import Employee
from workstation.store.models.movement import TrackPoint

GPX_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "gpx"
needs_gpx = pytest.mark.skipif(not GPX_DIR.is_dir(), reason=f"no GPX samples in {GPX_DIR}")

TRACKS = (
    "employee_no,time,lat,lon,accuracy_m,speed_mps\n"
    "S1,2026-10-29 08:00:00,31.30,120.60,5,1.5\n"
    "S1,2026-10-29T08:00:10+08:00,31.31,120.61,,\n"
    "S2,2026-10-29T00:00:20Z,31.32,120.62,8,0\n"
)


def _ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp() * 1000)


@pytest.fixture
def people(app: App) -> App:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="S1", name="王磊"))
        uow.session.add(Employee(employee_no="S2", name="李娜"))
        uow.commit()
    return app


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _points(app: App) -> list[TrackPoint]:
    with app.uow() as uow:
        points = list(uow.session.scalars(select(TrackPoint).order_by(TrackPoint.source_row)))
        uow.session.expunge_all()
        return points


def _ids(app: App) -> dict[str, int]:
    with app.uow() as uow:
        return dict(uow.session.execute(select(Employee.employee_no, Employee.id)).all())


def test_generic_tracks_csv_is_stored_in_utc(people: App, tmp_path: Path) -> None:
    report = people.imports.run(_file(tmp_path, "t.csv", TRACKS), "tracks")
    assert (report.rows_read, report.accepted, report.rejected, report.duplicates) == (3, 3, 0, 0)
    ids = _ids(people)
    points = _points(people)
    assert [(p.employee_id, p.t_ms, p.source_row) for p in points] == [
        (ids["S1"], _ms(2026, 10, 29, 0, 0, 0), 2),
        (ids["S1"], _ms(2026, 10, 29, 0, 0, 10), 3),
        (ids["S2"], _ms(2026, 10, 29, 0, 0, 20), 4),
    ]
    first, second = points[0], points[1]
    assert (first.lat, first.lon, first.accuracy_m, first.speed_mps) == (31.30, 120.60, 5, 1.5)
    assert (second.accuracy_m, second.speed_mps) == (None, None)
    assert (first.coord_code, first.orig_lat, first.orig_lon) == (0, None, None)
    assert all(p.batch_id == report.batch_id for p in points)


def test_local_times_follow_the_zone_option(people: App, tmp_path: Path) -> None:
    people.imports.run(_file(tmp_path, "t.csv", TRACKS), "tracks", ImportOptions(tz="UTC"))
    assert _points(people)[0].t_ms == _ms(2026, 10, 29, 8, 0, 0)


def test_chinese_headers(people: App, tmp_path: Path) -> None:
    text = "工号,时间,纬度,经度,精度,速度\nS1,2026-10-29 08:00:00,31.3,120.6,5,1.5\n"
    report = people.imports.run(_file(tmp_path, "轨迹.csv", text), "tracks")
    assert report.accepted == 1
    (point,) = _points(people)
    assert (point.t_ms, point.lat, point.accuracy_m) == (_ms(2026, 10, 29, 0, 0, 0), 31.3, 5)


def test_epoch_times_are_accepted(people: App, tmp_path: Path) -> None:
    ms = _ms(2026, 10, 29, 0, 0, 0)
    text = f"employee_no,time,lat,lon\nS1,{ms // 1000},31.3,120.6\nS1,{ms + 1000},31.3,120.6\n"
    assert people.imports.run(_file(tmp_path, "e.csv", text), "tracks").accepted == 2
    assert [p.t_ms for p in _points(people)] == [ms, ms + 1000]


def test_gcj02_is_converted_and_the_original_kept(people: App, tmp_path: Path) -> None:
    text = "employee_no,time,lat,lon\nS1,2026-10-29 08:00:00,31.30,120.60\n"
    options = ImportOptions(crs=CoordSystem.GCJ02)
    assert people.imports.run(_file(tmp_path, "g.csv", text), "tracks", options).accepted == 1
    (point,) = _points(people)
    wlat, wlon = gcj02_to_wgs84(31.30, 120.60)
    assert point.lat == pytest.approx(wlat, abs=1e-9)
    assert point.lon == pytest.approx(wlon, abs=1e-9)
    assert (point.orig_lat, point.orig_lon, point.coord_code) == (31.30, 120.60, 1)


def test_bad_rows_are_rejected_with_their_row_numbers(people: App, tmp_path: Path) -> None:
    text = (
        "employee_no,time,lat,lon,accuracy_m\n"
        "S1,yesterday,31.3,120.6,5\n"
        "S1,2026-10-29 08:00:01,95,120.6,5\n"
        "S9,2026-10-29 08:00:02,31.3,120.6,5\n"
        "\n"
        "S1,2026-10-29 08:00:03,31.3,,5\n"
        "S1,2026-10-29 08:00:04,31.3,120.6,-1\n"
        "S1,2026-10-29 08:00:05,31.3,120.6,\n"
    )
    report = people.imports.run(_file(tmp_path, "bad.csv", text), "tracks")
    assert (report.rows_read, report.accepted, report.rejected) == (6, 1, 5)
    assert [(p.row, p.field) for p in report.problems] == [
        (2, "time"),
        (3, "lat"),
        (4, "employee_no"),
        (6, "lon"),
        (7, "accuracy_m"),
    ]
    assert "unknown employee S9" in report.problems[2].message
    assert report.problems[0].raw["time"] == "yesterday"
    assert _points(people)[0].source_row == 8
    stored = people.imports.rejected_rows(report.batch_id)
    assert [p.row for p in stored] == [2, 3, 4, 6, 7]


def test_overlapping_file_counts_duplicates(people: App, tmp_path: Path) -> None:
    people.imports.run(_file(tmp_path, "a.csv", TRACKS), "tracks")
    again = TRACKS + "S2,2026-10-29T00:00:30Z,31.33,120.63,8,0\nS2,2026-10-29T00:00:30Z,1,1,8,0\n"
    report = people.imports.run(_file(tmp_path, "b.csv", again), "tracks")
    assert (report.rows_read, report.accepted, report.duplicates) == (5, 1, 4)
    assert len(_points(people)) == 4
    assert _points(people)[-1].lat == 31.33


def test_same_file_twice_is_already_imported(people: App, tmp_path: Path) -> None:
    path = _file(tmp_path, "t.csv", TRACKS)
    people.imports.run(path, "tracks")
    report = people.imports.run(path, "tracks")
    assert report.already_imported and report.accepted == 0
    assert len(_points(people)) == 3


def test_row_numbers_hold_across_chunks(
    people: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "CHUNK_ROWS", 1000)
    lines = ["employee_no,time,lat,lon"]
    bad_rows = {500, 1001, 1002, 2999, 3501}
    for i in range(3500):
        row = i + 2
        lat = "95" if row in bad_rows else "31.3"
        lines.append(f"S1,{1_790_000_000 + i},{lat},120.6")
    report = people.imports.run(_file(tmp_path, "big.csv", "\n".join(lines) + "\n"), "tracks")
    assert (report.rows_read, report.accepted, report.rejected) == (3500, 3495, 5)
    assert [p.row for p in report.problems] == sorted(bad_rows)
    rows = np.array([p.source_row for p in _points(people)])
    assert len(rows) == 3495 and not set(rows.tolist()) & bad_rows
    assert rows.max() == 3500


def test_duplicates_across_chunks_of_one_file(
    people: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "CHUNK_ROWS", 2)
    text = TRACKS + TRACKS.split("\n", 1)[1]
    report = people.imports.run(_file(tmp_path, "twice.csv", text), "tracks")
    assert (report.rows_read, report.accepted, report.duplicates) == (6, 3, 3)


@needs_gpx
@pytest.mark.parametrize("name", ["track-with-less-sec-time.gpx", "gpx_subsecond-sample.gpx"])
def test_gpx_points_are_stored_in_utc(people: App, name: str) -> None:
    path = GPX_DIR / name
    expected = read_gpx(path).points
    report = people.imports.run(path, "tracks", ImportOptions(employee_no="S1"))
    assert (report.rows_read, report.accepted, report.rejected) == (len(expected), len(expected), 0)
    points = _points(people)
    times = expected["time"].dt.tz_convert("UTC").dt.tz_localize(None)
    want = times.to_numpy(dtype="datetime64[ms]").astype(np.int64).tolist()
    assert [p.t_ms for p in points] == want
    assert [p.lat for p in points] == expected["lat"].tolist()
    assert [p.source_row for p in points] == expected["source_row"].tolist()
    assert {p.employee_id for p in points} == {_ids(people)["S1"]}
    assert {p.coord_code for p in points} == {0}


@needs_gpx
def test_gpx_crs_is_always_wgs84(people: App) -> None:
    path = GPX_DIR / "track-with-less-sec-time.gpx"
    options = ImportOptions(employee_no="S1", crs=CoordSystem.GCJ02)
    people.imports.run(path, "tracks", options)
    assert {(p.coord_code, p.orig_lat) for p in _points(people)} == {(0, None)}


@needs_gpx
def test_gpx_without_an_employee_is_refused(people: App) -> None:
    with pytest.raises(FileRejected, match="give --employee"):
        people.imports.run(GPX_DIR / "gpx_subsecond-sample.gpx", "tracks")


@needs_gpx
def test_gpx_points_without_times_are_rejected(people: App) -> None:
    path = GPX_DIR / "cerknicko-without-times.gpx"
    track = read_gpx(path)
    report = people.imports.run(path, "tracks", ImportOptions(employee_no="S1"))
    untimed = track.points_without_time
    assert untimed > 0
    assert report.rows_read == len(track.points)
    assert (report.accepted, report.rejected) == (len(track.points) - untimed, untimed)
    assert {p.message for p in report.problems} == {"point without a time"}
    timed_rows = track.points.loc[track.points["time"].notna(), "source_row"].tolist()
    assert [p.source_row for p in _points(people)] == timed_rows


@needs_gpx
def test_cli_imports_a_gpx_track(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "data")
    cli_as(tmp_path / "data", Role.HR_OFFICER)
    roster = _file(tmp_path, "roster.csv", "employee_no,name\nS1,王磊\n")
    assert main(["--data-dir", data, "import", str(roster), "--kind", "employees"]) == 0
    capsys.readouterr()
    gpx = str(GPX_DIR / "gpx_subsecond-sample.gpx")
    args = ["--data-dir", data, "import", gpx, "--kind", "tracks", "--employee", "S1", "--json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    expected = len(read_gpx(GPX_DIR / "gpx_subsecond-sample.gpx").points)
    assert (report["accepted"], report["rejected"]) == (expected, 0)


@needs_gpx
def test_cli_refuses_gpx_without_employee_and_unknown_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "data")
    cli_as(tmp_path / "data", Role.HR_OFFICER)
    gpx = str(GPX_DIR / "gpx_subsecond-sample.gpx")
    assert main(["--data-dir", data, "import", gpx, "--kind", "tracks"]) == 1
    assert "give --employee" in capsys.readouterr().err
    args = ["--data-dir", data, "import", gpx, "--kind", "tracks", "--source", "nope"]
    assert main(args) == 1
    assert "nope" in capsys.readouterr().err


def test_tracks_on_sqlite_and_postgresql(db_url: str, tmp_path: Path) -> None:
    app = open_app(load_settings(tmp_path / "data", db_url), clock=pinned())
    sign_in_without_user(app, Role.HR_OFFICER)
    try:
        with app.uow() as uow:
            uow.session.add_all(
                [Employee(employee_no="S1", name="王磊"), Employee(employee_no="S2", name="李娜")]
            )
            uow.commit()
        options = ImportOptions(crs=CoordSystem.GCJ02)
        first = app.imports.run(_file(tmp_path, "a.csv", TRACKS), "tracks", options)
        assert (first.accepted, first.rejected) == (3, 0)
        again = TRACKS + "S2,2026-10-29T00:00:30Z,31.33,120.63,,\nS3,2026-10-29 08:00:00,1,1,,\n"
        second = app.imports.run(_file(tmp_path, "b.csv", again), "tracks", options)
        assert (second.accepted, second.duplicates, second.rejected) == (1, 3, 1)
        points = _points(app)
        assert len(points) == 4
        assert {(p.coord_code, p.orig_lat is not None) for p in points} == {(1, True)}
        assert points[-1].accuracy_m is None and points[0].t_ms == _ms(2026, 10, 29, 0, 0, 0)
    finally:
        app.close()


def test_track_points_at_implausible_times_are_rejected(app: App, tmp_path: Path) -> None:
    with app.uow() as u:
        u.session.add(Employee(employee_no="P1", name="钱七"))
        u.commit()
    path = tmp_path / "odd.csv"
    path.write_text(
        "employee_no,time,lat,lon\n"
        "P1,1970-01-02 00:00:00,31.2,121.5\n"
        "P1,2099-01-01 00:00:00,31.2,121.5\n"
        "P1,2026-10-29 09:00:00,31.2,121.5\n",
        encoding="utf-8",
    )
    report = app.imports.run(path, "tracks")
    assert report.accepted == 1
    assert [(p.row, p.field) for p in report.problems] == [(2, "time"), (3, "time")]
    assert all("implausible time" in p.message for p in report.problems)


def test_padded_track_cells_read_like_trimmed_ones(app: App, tmp_path: Path) -> None:
    """A generic tracks CSV is read untrimmed for speed: the writer trims what it needs."""
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="P1", name="P"))
        uow.commit()
    path = tmp_path / "padded.csv"
    path.write_text(
        "employee_no,time,lat,lon,accuracy_m,speed_mps\n"
        " P1 , 2026-11-02 09:00:00 , 31.2304 ,121.4737 , 12 ,  \n"
        "P1,2026-11-02 09:01:00,  ,121.4737,,\n"
        "   ,   ,   ,   ,   ,   \n",
        encoding="utf-8",
    )
    report = app.imports.run(path, "tracks")
    assert (report.rows_read, report.accepted, report.rejected) == (2, 1, 1)
    assert [(p.row, p.field, p.message) for p in report.problems] == [
        (3, "lat", "latitude missing")
    ]
    with app.uow() as uow:
        point = uow.session.execute(
            select(TrackPoint.lat, TrackPoint.lon, TrackPoint.accuracy_m, TrackPoint.speed_mps)
        ).one()
    assert tuple(point) == (
        31.2304,
        121.4737,
        12.0,
        None,
    )


def test_track_import_progress_has_an_end(app: App, tmp_path: Path) -> None:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="Q1", name="Q"))
        uow.commit()
    path = tmp_path / "q.csv"
    lines = [f"Q1,2026-11-02 09:{m:02d}:00,31.23,121.47" for m in range(50)]
    path.write_text("工号,时间,纬度,经度\n" + "\n".join(lines) + "\n", encoding="utf-8")
    seen: list[tuple[int, int, str]] = []
    app.imports.run(path, "tracks", progress=lambda d, t, m: seen.append((d, t, m)))
    writing = [(d, t) for d, t, m in seen if m == "Writing track points"]
    assert writing and writing[-1] == (50, 50)


def test_points_less_than_a_second_from_stored_ones_are_duplicates(
    people: App, tmp_path: Path
) -> None:
    """Another source (the demo, a phone API) stored milliseconds; the file has whole seconds,
    cut or rounded: the same fixes, not new ones."""
    stored = [_ms(2026, 10, 29, 0, 0, 0) + 400, _ms(2026, 10, 29, 0, 0, 10) + 999]
    with people.uow() as uow:
        s1 = uow.session.scalars(select(Employee).where(Employee.employee_no == "S1")).one()
        uow.session.add_all(
            TrackPoint(employee_id=s1.id, t_ms=t, lat=31.3, lon=120.6, coord_code=0) for t in stored
        )
        uow.commit()
    path = _file(
        tmp_path,
        "seconds.csv",
        "employee_no,time,lat,lon\n"
        "S1,2026-10-29T00:00:00Z,31.3,120.6\n"  # stored .400 cut to the second
        "S1,2026-10-29T00:00:11Z,31.3,120.6\n"  # stored 10.999 rounded up
        "S1,2026-10-29T00:00:12Z,31.3,120.6\n"  # new
        "S2,2026-10-29T00:00:00Z,31.3,120.6\n"  # another person: new
        "S1,2026-10-29T00:00:12.500Z,31.3,120.6\n",  # half a second after a point of this file
    )
    report = people.imports.run(path, "tracks")
    assert (report.accepted, report.duplicates, report.rejected) == (3, 2, 0)
    again = people.imports.run(
        _file(
            tmp_path,
            "again.csv",
            "employee_no,time,lat,lon\nS1,2026-10-29T00:00:12.3Z,31.3,120.6\n",
        ),
        "tracks",
    )
    assert (again.accepted, again.duplicates) == (0, 1)


def test_the_demo_track_files_reimport_as_nothing_new(demo_app: App) -> None:
    """The demo imported its track files: the same file again is recognised and adds nothing
    (as the wizard would tell a user who picks it twice)."""
    folder = demo_app.settings.demo_files_dir / "轨迹"
    csv = sorted(folder.glob("*.csv"))[0]
    gpx = next(folder.glob("*.gpx"))
    employee = gpx.stem.split("_")[1]
    for path, options in ((csv, None), (gpx, ImportOptions(employee_no=employee))):
        report = demo_app.imports.run(path, "tracks", options)
        assert report.already_imported and report.rows_read > 500, path.name
        assert (report.accepted, report.rejected) == (0, 0), path.name
        assert report.duplicates == report.rows_read, path.name


def test_null_island_and_decimal_commas_are_refused(people: App, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "odd.csv",
        "employee_no,time,lat,lon,accuracy_m\n"
        "S1,2026-10-29T00:00:00Z,0,0,5\n"
        'S1,2026-10-29T00:00:01Z,"31,30",120.6,5\n'
        'S1,2026-10-29T00:00:02Z,31.3,120.6,"1,200"\n'
        'S1,2026-10-29T00:00:03Z,31.3,120.6,"12,5"\n'
        "S1,2026-10-29T00:00:04Z,0,120.6,5\n",
    )
    report = people.imports.run(path, "tracks")
    assert [(p.row, p.field) for p in report.problems] == [
        (2, "lat"),
        (3, "lat"),
        (5, "accuracy_m"),
    ]
    assert report.problems[0].message.startswith("position (0, 0) is not a real place")
    assert report.problems[1].message.startswith("ambiguous comma in number '31,30'")
    assert report.accepted == 2  # the thousands separator of 1,200 is read; lat 0 alone is fine
    assert sorted(p.accuracy_m for p in _points(people)) == [5.0, 1200.0]


GPX_POINTS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="phone" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>\n'
    "{}\n</trkseg></trk></gpx>\n"
)


def test_one_bad_gpx_point_rejects_that_point_not_the_file(people: App, tmp_path: Path) -> None:
    points = [
        '<trkpt lat="31.30" lon="120.60"><time>2026-10-29T00:00:00Z</time></trkpt>',
        '<trkpt lat="abc" lon="120.61"><time>2026-10-29T00:00:05Z</time></trkpt>',
        '<trkpt lat="31.32" lon="120.62"><time>soon</time></trkpt>',
        '<trkpt lat="31.33" lon="120.63"><time>2026-10-29T00:00:15Z</time><hdop>x</hdop></trkpt>',
        '<trkpt lon="120.64"><time>2026-10-29T00:00:20Z</time></trkpt>',
        '<trkpt lat="31.35" lon="120.65"><ele>high</ele><time>2026-10-29T00:00:25Z</time></trkpt>',
        '<trkpt lat="31.36" lon="120.66"><time>2026-10-29T00:00:30Z</time><speed>-</speed></trkpt>',
    ]
    path = _file(tmp_path, "phone.gpx", GPX_POINTS.format("\n".join(points)))
    report = people.imports.run(path, "tracks", ImportOptions(employee_no="S1"))
    assert [(p.row, p.field, p.message) for p in report.problems] == [
        (2, "lat", "not a number: 'abc'"),
        (3, "time", "not a time: 'soon'"),
        (4, "accuracy_m", "not a number: 'x'"),
        (5, "lat", "latitude missing"),
        (7, "speed_mps", "not a number: '-'"),
    ]
    # the point with an unreadable elevation is taken: elevation is not imported
    assert (report.rows_read, report.accepted) == (7, 2)
    assert [p.source_row for p in _points(people)] == [1, 6]
