"""GPX 1.0/1.1 files (loggers, phone apps) as a frame of WGS-84 fixes, point by point.

Rules:

* Points come from the tracks (``<trkpt>``, in file order). A file without track points gives
  its route points (``<rtept>``); a file with neither gives its waypoints that carry a time
  (some loggers store every fix as a ``<wpt>``). Otherwise the file is refused.
* ``time`` is UTC. Offsets such as ``+01:00`` are converted; a time without any zone is read as
  UTC, as the GPX schema requires. Missing or unreadable times are ``NaT``; ``has_times`` says
  whether any point has one (the importer refuses tracks without times, this reader only
  reports it).
* ``speed_mps`` is the file's ``<speed>`` (GPX 1.0) when present, else NaN.
* ``accuracy_m`` = ``<hdop>`` × 5 m (a typical consumer-GPS range error, UERE), else NaN.
  It is an estimate, not a measured radius.
* ``segment`` numbers the ``<trkseg>`` elements across the file from 0 (empty segments count,
  so the number matches the file); route ``n`` is segment ``n``; waypoints are segment 0.
* ``source_row`` is the 1-based position of the point in the file among the points used.

One bad point does not spoil the file: a latitude, time, hdop or speed that cannot be read
is NaN/NaT in ``points`` and kept as written in ``cells``, so the importer rejects that point
naming what is wrong, and takes the others. Only a file that is not well-formed XML, not UTF-8
or not GPX is refused as a whole. The XML is read as a stream (bounded memory).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element, ParseError, iterparse

import pandas as pd

from workstation.ingest.encoding import line_of
from workstation.ingest.errors import FileRejected

HDOP_TO_METRES = 5.0
COLUMNS = ["time", "lat", "lon", "elevation_m", "speed_mps", "accuracy_m", "segment", "source_row"]
#: What the file says for each point, as text ("" when it says nothing).
CELL_COLUMNS = ["time", "lat", "lon", "hdop", "speed"]
PointSource = Literal["track", "route", "waypoints"]
_POINT_TAGS: dict[str, PointSource] = {"trkpt": "track", "rtept": "route", "wpt": "waypoints"}
#: One point as written: (time, lat, lon, elevation, speed, hdop) texts and its segment.
_Point = tuple[tuple[str, str, str, str, str, str], int]


@dataclass(frozen=True)
class GpxTrack:
    points: pd.DataFrame
    #: The same points' cells as the file writes them (``CELL_COLUMNS``), row for row.
    cells: pd.DataFrame
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
        raise FileRejected(
            path, f"not a UTF-8 GPX file (bad byte at {exc.start}, line {line_of(data, exc.start)})"
        ) from exc
    if "<gpx" not in text[:4096]:
        raise FileRejected(path, "not a GPX file (no <gpx> element at the start)")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        found = _parse(body, path)
    except ParseError as exc:
        raise FileRejected(path, f"malformed XML: {_first_line(exc)}") from exc

    source: PointSource = "track"
    rows = found.points["track"]
    ignored = len(found.points["waypoints"])
    if not rows:
        rows, source = found.points["route"], "route"
    if not rows:
        rows = [p for p in found.points["waypoints"] if p[0][0]]
        source, ignored = "waypoints", ignored - len(rows)
    if not rows:
        raise FileRejected(path, "no track points, route points or timed waypoints")
    return GpxTrack(
        points=_typed(rows),
        cells=pd.DataFrame(
            [(t, lat, lon, hdop, speed) for (t, lat, lon, _, speed, hdop), _ in rows],
            columns=CELL_COLUMNS,
            dtype=object,
        ),
        name=found.name or found.track_name,
        creator=found.creator,
        version=found.version,
        source=source,
        ignored_waypoints=ignored,
    )


@dataclass
class _Found:
    points: dict[PointSource, list[_Point]]
    name: str | None = None
    track_name: str | None = None
    creator: str | None = None
    version: str | None = None


def _parse(body: bytes, path: Path) -> _Found:
    found = _Found({"track": [], "route": [], "waypoints": []})
    stack: list[str] = []
    segment = route = -1
    for event, element in iterparse(io.BytesIO(body), events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if not stack:
                if tag != "gpx":
                    raise FileRejected(path, f"not a GPX file (its root element is <{tag}>)")
                found.creator, found.version = element.get("creator"), element.get("version")
            segment += tag == "trkseg"
            route += tag == "rte"
            stack.append(tag)
            continue
        stack.pop()
        parent = stack[-1] if stack else None
        if tag in _POINT_TAGS:
            kind = _POINT_TAGS[tag]
            number = segment if kind == "track" else route if kind == "route" else 0
            found.points[kind].append((_point_cells(element), number))
            element.clear()
        elif tag == "name" and parent in ("gpx", "metadata") and found.name is None:
            found.name = (element.text or "").strip() or None
        elif tag == "name" and parent == "trk" and found.track_name is None:
            found.track_name = (element.text or "").strip() or None
        elif tag in ("trkseg", "rte", "trk"):
            element.clear()
    return found


def _point_cells(element: Element) -> tuple[str, str, str, str, str, str]:
    children: dict[str, str] = {}
    for child in element:
        children.setdefault(_local(child.tag), (child.text or "").strip())
    return (
        children.get("time", ""),
        (element.get("lat") or "").strip(),
        (element.get("lon") or "").strip(),
        children.get("ele", ""),
        children.get("speed", ""),
        children.get("hdop", ""),
    )


def _typed(rows: list[_Point]) -> pd.DataFrame:
    times = pd.to_datetime(
        pd.Series([t for (t, *_), _ in rows], dtype=object).replace("", None),
        format="ISO8601",
        utc=True,
        errors="coerce",
    )
    return pd.DataFrame(
        {
            "time": times.astype("datetime64[ns, UTC]"),
            "lat": [_num(lat) for (_, lat, *_), _ in rows],
            "lon": [_num(lon) for (_, _, lon, *_), _ in rows],
            "elevation_m": [_num(cells[3]) for cells, _ in rows],
            "speed_mps": [_num(cells[4]) for cells, _ in rows],
            "accuracy_m": [_num(cells[5]) * HDOP_TO_METRES for cells, _ in rows],
            "segment": pd.Series([s for _, s in rows], dtype="int64"),
            "source_row": pd.Series(range(1, len(rows) + 1), dtype="int64"),
        },
        columns=COLUMNS,
    )


def _num(text: str) -> float:
    """The number ``text`` says, NaN when it says none (or one that is not finite)."""
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
