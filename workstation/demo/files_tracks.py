"""GPS tracks as the company's location platform and a GPS logger export them.

* ``轨迹/轨迹_<工号>_<period>.csv``: one file per salesperson, a fix every 30–60 s in working
  hours, WGS-84, local times without an offset (to the second).
* ``轨迹/轨迹_<工号>_<week>.gpx``: the commuter (the look-alike who drives past a competitor)
  carried a GPS logger in the last full week: those days come as GPX 1.1 (UTC times, ``hdop``)
  and are left out of his CSV.

The tracks are drawn from the day plans here, person by person, and written straight away: the
two million fixes never sit in memory all at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from workstation.demo.days import DayPlan
from workstation.demo.file_formats import span
from workstation.demo.generate import Generated, Seeds
from workstation.demo.source_files import SourceFile
from workstation.demo.tracks import TrackArrays, render
from workstation.demo.world import PersonRec, World

FOLDER = "轨迹"
CSV_HEADER = "工号,时间,纬度,经度,精度,速度\n"
GPX_NS = "http://www.topografix.com/GPX/1/1"


def last_full_week(end: date) -> list[date]:
    """Monday to Friday of the last week whose Friday is on or before ``end``."""
    friday = end - timedelta(days=(end.weekday() - 4) % 7)
    return [friday - timedelta(days=4 - i) for i in range(5)]


def person_days(gen: Generated, person: PersonRec) -> list[tuple[date, TrackArrays]]:
    """``person``'s fixes, day by day (deterministic: one random stream per person)."""
    rng = Seeds(gen.world.seed)("tracks", person.id)
    plans: list[DayPlan] = gen.plans[person.id]
    zone = gen.world.zone
    return [(plan.day, render(plan, rng, zone)) for plan in plans]


def _csv_lines(number: str, fixes: TrackArrays, zone: tzinfo) -> str:
    """One day's fixes as CSV lines (local times: the day's offset from UTC added)."""
    seconds = fixes.t_ms // 1000
    local = (seconds + _offset_s(int(seconds[0]), zone)).astype("datetime64[s]")
    stamps = np.datetime_as_string(local, unit="s").tolist()
    return "".join(
        f"{number},{s[:10]} {s[11:]},{la:.6f},{lo:.6f},{acc:.0f},{v:.1f}\n"
        for s, la, lo, acc, v in zip(
            stamps,
            fixes.lat.tolist(),
            fixes.lon.tolist(),
            fixes.accuracy_m.tolist(),
            fixes.speed_mps.tolist(),
            strict=True,
        )
    )


def _offset_s(epoch_s: int, zone: tzinfo) -> int:
    """Seconds ``zone``'s clock is ahead of UTC at ``epoch_s``."""
    moment = datetime.fromtimestamp(epoch_s, UTC).astimezone(zone)
    return int((moment.utcoffset() or timedelta()).total_seconds())


def track_csv(
    folder: Path, person: PersonRec, days: list[tuple[date, TrackArrays]], world: World
) -> SourceFile:
    first, last = world.first_day, world.end_date
    name = f"{FOLDER}/轨迹_{person.employee_no}_{span(first, last)}.csv"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(CSV_HEADER)
        for _, fixes in days:
            if len(fixes):
                handle.write(_csv_lines(person.employee_no, fixes, world.zone))
                count += len(fixes)
    return SourceFile(name, "tracks", count, f"GPS track of {person.employee_no} (WGS-84)")


def track_gpx(folder: Path, person: PersonRec, days: list[tuple[date, TrackArrays]]) -> SourceFile:
    """One track, a segment per day; times in UTC, accuracy as ``hdop`` (metres / 5)."""
    first, last = days[0][0], days[-1][0]
    title = escape(f"{person.employee_no} {person.name} {first.isoformat()}..{last.isoformat()}")
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<gpx xmlns="{GPX_NS}" version="1.1" creator="GT-730FL GPS Logger Export">\n',
        f"  <metadata><name>{title}</name></metadata>\n",
        f"  <trk><name>{title}</name>\n",
    ]
    count = 0
    for _, fixes in days:
        parts.append("    <trkseg>\n")
        utc = (fixes.t_ms // 1000).astype("datetime64[s]")
        stamps = np.datetime_as_string(utc, unit="s").tolist()
        hdop = np.maximum(0.5, fixes.accuracy_m / 5.0).tolist()
        parts += [
            f'      <trkpt lat="{la:.6f}" lon="{lo:.6f}"><time>{s}Z</time><hdop>{h:.1f}</hdop>'
            "</trkpt>\n"
            for s, la, lo, h in zip(
                stamps, fixes.lat.tolist(), fixes.lon.tolist(), hdop, strict=True
            )
        ]
        parts.append("    </trkseg>\n")
        count += len(fixes)
    parts.append("  </trk>\n</gpx>\n")
    name = f"{FOLDER}/轨迹_{person.employee_no}_{span(first, last)}.gpx"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return SourceFile(
        name,
        "tracks",
        count,
        f"GPS logger track of {person.employee_no}, {first.isoformat()}..{last.isoformat()}",
        employee_no=person.employee_no,
    )


def write_person_tracks(
    folder: Path, gen: Generated, person: PersonRec, logger_days: set[date]
) -> list[SourceFile]:
    """``person``'s track CSV, and a GPX of the days in ``logger_days`` (left out of the CSV)."""
    world = gen.world
    days = person_days(gen, person)
    phone = [(d, f) for d, f in days if d not in logger_days]
    logger = [(d, f) for d, f in days if d in logger_days]
    written = [track_csv(folder, person, phone, world)]
    if logger:
        written.append(track_gpx(folder, person, logger))
    return written
