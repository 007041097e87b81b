"""Import building blocks: file readers (CSV, XLSX, JSON, GPX) that never touch the database.

Every reader returns plain values (pandas frames of strings, small dataclasses) and raises
:class:`FileRejected` with a one-line reason when a whole file cannot be used.
"""

from workstation.ingest.errors import FileRejected
from workstation.ingest.gpx import GpxTrack, read_gpx
from workstation.ingest.readers import RawTable, iter_csv_chunks, read_json_records, read_table

__all__ = [
    "FileRejected",
    "GpxTrack",
    "RawTable",
    "iter_csv_chunks",
    "read_gpx",
    "read_json_records",
    "read_table",
]
