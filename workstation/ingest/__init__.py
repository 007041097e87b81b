"""Import building blocks: file readers (CSV, XLSX, JSON, GPX) that never touch the database.

Every reader returns plain values (pandas frames of strings, small dataclasses) and raises
:class:`FileRejected` with a one-line reason when a whole file cannot be used.

The readers (and pandas with them) load when first used, so that opening the workstation for
something else does not pay for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from workstation.ingest.errors import FileRejected

if TYPE_CHECKING:
    from workstation.ingest.gpx import GpxTrack, read_gpx
    from workstation.ingest.readers import (
        RawTable,
        iter_csv_chunks,
        read_json_records,
        read_table,
    )

_LAZY = {
    "GpxTrack": "workstation.ingest.gpx",
    "read_gpx": "workstation.ingest.gpx",
    "RawTable": "workstation.ingest.readers",
    "iter_csv_chunks": "workstation.ingest.readers",
    "read_json_records": "workstation.ingest.readers",
    "read_table": "workstation.ingest.readers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FileRejected",
    "GpxTrack",
    "RawTable",
    "iter_csv_chunks",
    "read_gpx",
    "read_json_records",
    "read_table",
]
