"""Public entry points of the tabular readers: one call per file, whatever its format.

CSV lives in :mod:`readers_text`, JSON in :mod:`readers_json`, XLSX in :mod:`readers_xlsx`;
the shared table shape and header rules in :mod:`table`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from workstation.ingest.errors import FileRejected
from workstation.ingest.file_check import check_readable
from workstation.ingest.readers_json import json_table
from workstation.ingest.readers_json import read_json_records as read_json_records
from workstation.ingest.readers_text import iter_csv_chunks, read_csv_table
from workstation.ingest.readers_xlsx import read_xlsx_table
from workstation.ingest.table import HEADER_SCAN_ROWS, HeaderName, RawTable

__all__ = ["FileRejected", "RawTable", "iter_csv_chunks", "read_json_records", "read_table"]

_CSV = {".csv", ".tsv", ".txt"}
_XLSX = {".xlsx", ".xlsm"}


def read_table(
    path: Path,
    *,
    header_names: Iterable[HeaderName] = (),
    sheet: str | None = None,
    max_header_scan: int = HEADER_SCAN_ROWS,
) -> RawTable:
    """Read a CSV, XLSX or JSON file whole into a :class:`RawTable` of stripped strings.

    The format comes from the suffix, or from the first bytes when the suffix is unknown.
    Raises :class:`FileRejected` for a file that cannot be used at all; an empty CSV is
    refused, a header-only CSV gives a table with 0 rows.
    """
    path = Path(path)
    check_readable(path)
    kind = _kind(path)
    if kind == "xlsx":
        return read_xlsx_table(
            path, header_names=header_names, sheet=sheet, max_header_scan=max_header_scan
        )
    if kind == "json":
        return json_table(path)
    return read_csv_table(path, header_names=header_names, max_header_scan=max_header_scan)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileRejected(path, "old binary .xls files are not read; save it as .xlsx")
    if suffix in _XLSX:
        return "xlsx"
    if suffix == ".json":
        return "json"
    if suffix in _CSV:
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head[:1] in (b"[", b"{"):
        return "json"
    return "csv"
