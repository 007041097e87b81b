"""How the demo's source files are written: CSV as Excel and CRMs save it, workbooks with fixed
timestamps, positions as GCJ-02 text, local times without an offset.

Everything here is deterministic: the same records give the same bytes (and so the same
SHA-256 in the evidence store), whatever day the demo is built.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from workstation.demo.geom import to_gcj02

#: Weekday names as Chinese exports write them (Monday first).
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
) -> int:
    """A CSV with ``header`` (UTF-8 with a BOM unless told, as Excel saves it); ``None`` cells
    are empty. Returns the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
            count += 1
    return count


def save_workbook(book: Workbook, path: Path, made: datetime) -> None:
    """Save ``book`` as if made at ``made``: document properties and every zip entry carry that
    time (openpyxl stamps "now" into both), so equal content gives equal bytes."""
    book.properties.created = book.properties.modified = made
    raw = io.BytesIO()
    book.save(raw)
    stamp = (made.year, made.month, made.day, made.hour, made.minute, made.second)
    modified = f"{made:%Y-%m-%dT%H:%M:%S}Z".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + modified, data)
            fixed = zipfile.ZipInfo(entry.filename, stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def gcj02_text(lats: Sequence[float], lons: Sequence[float]) -> list[tuple[str, str]]:
    """GCJ-02 (what Amap, WeCom and most Chinese CRMs give) of WGS-84 points, as 6-decimal
    text pairs."""
    glat, glon = to_gcj02(list(lats), list(lons))
    return [(f"{a:.6f}", f"{b:.6f}") for a, b in zip(glat, glon, strict=True)]


def local_time(moment: datetime, zone: tzinfo) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on the company's clock, no offset (how CSV exports write it)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def day_text(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def span(first: date, last: date) -> str:
    """The period a file name carries: ``20260802-20261030``."""
    return f"{first:%Y%m%d}-{last:%Y%m%d}"
