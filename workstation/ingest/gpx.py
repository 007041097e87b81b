"""GPX 1.0/1.1 files (loggers, phone apps) as a frame of WGS-84 fixes.

Rules:

* Points come from the tracks (``<trkpt>``, in file order). A file without track points gives
  its route points (``<rtept>``); a file with neither gives its waypoints that carry a time
  (some loggers store every fix as a ``<wpt>``). Otherwise the file is refused.
* ``time`` is UTC. Offsets such as ``+01:00`` are converted; a time without any zone is read as
  UTC, as the GPX schema requires. Missing times are ``NaT``; ``has_times`` says whether any
  point has one (the importer refuses tracks without times, this reader only reports it).
* ``speed_mps`` is the file's ``<speed>`` (GPX 1.0) when present, else NaN.
* ``accuracy_m`` = ``<hdop>`` × 5 m (a typical consumer-GPS range error, UERE), else NaN.
  It is an estimate, not a measured radius.
* ``segment`` numbers the ``<trkseg>`` elements across the file from 0 (empty segments count,
  so the number matches the file); route ``n`` is segment ``n``; waypoints are segment 0.
* ``source_row`` is the 1-based position of the point in the file among the points used.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import gpxpy
import gpxpy.gpx
import pandas as pd

from workstation.ingest.errors import FileRejected

HDOP_TO_METRES = 5.0
COLUMNS = ["time", "lat", "lon", "elevation_m", "speed_mps", "accuracy_m", "segment", "source_row"]
PointSource = Literal["track", "route", "waypoints"]


@dataclass(frozen=True)
class GpxTrack:
    points: pd.DataFrame
    name: str | None
    creator: str | None
    version: str | None
    source: PointSource
    ignored_waypoints: int  # waypoints present but not used (a track or route was used)

    @property
    def has_times(self) -> bool:
        return bool(self.points["time"].notna().any())

    @property
    def points_without_time(self) -> int:
        return int(self.points["time"].isna().sum())


def read_gpx(path: Path) -> GpxTrack:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRejected(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(path, f"not a UTF-8 GPX file (bad byte at {exc.start})") from exc
    if "<gpx" not in text[:4096]:
        raise FileRejected(path, "not a GPX file (no <gpx> element at the start)")
    try:
        doc = gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise FileRejected(path, f"malformed XML: {_first_line(exc)}") from exc
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise FileRejected(path, f"not a valid GPX file: {_first_line(exc)}") from exc

    rows: list[tuple[Any, int]] = []
    segment = 0
    for track in doc.tracks:
        for seg in track.segments:
            rows += [(p, segment) for p in seg.points]
            segment += 1
    source: PointSource = "track"
    if not rows:
        source = "route"
        rows = [(p, i) for i, route in enumerate(doc.routes) for p in route.points]
    ignored = len(doc.waypoints)
    if not rows:
        source = "waypoints"
        rows = [(p, 0) for p in doc.waypoints if p.time is not None]
        ignored = len(doc.waypoints) - len(rows)
    if not rows:
        raise FileRejected(path, "no track points, route points or timed waypoints")
    frame = pd.DataFrame(
        {
            "time": pd.Series([_utc(p.time) for p, _ in rows], dtype="datetime64[ns, UTC]"),
            "lat": [float(p.latitude) for p, _ in rows],
            "lon": [float(p.longitude) for p, _ in rows],
            "elevation_m": [_num(p.elevation) for p, _ in rows],
            "speed_mps": [_num(getattr(p, "speed", None)) for p, _ in rows],
            "accuracy_m": [_num(p.horizontal_dilution) * HDOP_TO_METRES for p, _ in rows],
            "segment": pd.Series([s for _, s in rows], dtype="int64"),
            "source_row": pd.Series(range(1, len(rows) + 1), dtype="int64"),
        },
        columns=COLUMNS,
    )
    return GpxTrack(
        points=frame,
        name=doc.name or next((t.name for t in doc.tracks if t.name), None),
        creator=doc.creator,
        version=doc.version,
        source=source,
        ignored_waypoints=ignored,
    )


def _utc(value: dt.datetime | None) -> pd.Timestamp:
    if value is None:
        return pd.NaT  # type: ignore[return-value]
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        return stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC")


def _num(value: float | None) -> float:
    if value is None:
        return math.nan
    return float(value)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
