"""GPX files as ``tracks``: one person's track, whose employee number the user gives.

The points become one table with the generic track fields as text (times ISO 8601 in UTC with
``+00:00``), so the tracks writer checks them like any other file: a point without a time is a
rejected row ("point without a time"), and a value the file writes but that cannot be read is
passed on as written ("not a time: 'soon'", "not a number: 'abc'"). Row ``n`` is the ``n``-th
point used (``source_row``).
GPX positions are WGS-84 by definition, whatever the user chose.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workstation.domain.enums import CoordSystem
from workstation.ingest.errors import FileRejected
from workstation.ingest.gpx import read_gpx
from workstation.ingest.model import ImportOptions
from workstation.ingest.profiles import ImportKind
from workstation.ingest.sources import SourceAdapter, SourceData, register
from workstation.ingest.table import RawTable

NAME = "gpx"
COLUMNS = ["employee_no", "time", "lat", "lon", "accuracy_m", "speed_mps"]
NO_EMPLOYEE = "a GPX file does not say whose track it is; give --employee"


def detect(path: Path) -> bool:
    if path.suffix.lower() == ".gpx":
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff").lstrip()
    return text.startswith("<") and "<gpx" in text


def open_gpx(path: Path, kind: ImportKind, options: ImportOptions) -> SourceData:
    employee_no = (options.employee_no or "").strip()
    if not employee_no:
        raise FileRejected(path, NO_EMPLOYEE)
    track = read_gpx(path)
    points, cells = track.points, track.cells
    times = points["time"]
    time_text = times.dt.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00").astype(object)
    time_text[times.isna()] = cells["time"][times.isna()]
    frame = pd.DataFrame(
        {
            "employee_no": [employee_no] * len(points),
            "time": time_text.to_numpy(),
            "lat": _text(points["lat"], cells["lat"]),
            "lon": _text(points["lon"], cells["lon"]),
            "accuracy_m": _text(points["accuracy_m"], cells["hdop"]),
            "speed_mps": _text(points["speed_mps"], cells["speed"]),
        },
        columns=COLUMNS,
    )
    # source_row is 1..n in order, so frame row i is point i + 1.
    table = RawTable(frame, 0, 1, "utf-8", None, "gpx")
    return SourceData(NAME, list(COLUMNS), 0, iter([table]), crs=CoordSystem.WGS84)


def _text(values: pd.Series, written: pd.Series) -> list[str]:
    """Each value as text; where the file's text could not be read, that text (for the
    tracks writer to reject the point naming it)."""
    return [
        written_text if pd.isna(value) else repr(float(value))
        for value, written_text in zip(values, written, strict=True)
    ]


ADAPTER = register(
    SourceAdapter(
        NAME,
        frozenset({"tracks"}),
        detect,
        open_gpx,
        description="GPX track of one person (give the employee number)",
    )
)
