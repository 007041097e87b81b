"""XLSX sheets (openpyxl, read-only) as tables of strings."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

import openpyxl
import pandas as pd
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from workstation.ingest.errors import FileRejected
from workstation.ingest.table import HeaderName, RawTable, clean_frame, column_names, find_header

_DAMAGED = (
    zipfile.BadZipFile,
    KeyError,
    InvalidFileException,
    OSError,
    ValueError,
    TypeError,
    EOFError,
    ParseError,
    zipfile.LargeZipFile,
)


def cell_text(value: Any) -> str:
    """A cell value as the text a person would read in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_xlsx_table(
    path: Path,
    *,
    header_names: Iterable[HeaderName] = (),
    sheet: str | None = None,
    max_header_scan: int = 10,
) -> RawTable:
    """One sheet (``sheet`` by name, else the first) with its header found by :func:`find_header`.

    Merged cells touching the header row are refused: they hide which column is which.
    """
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _DAMAGED as exc:
        raise _damaged(path, exc) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            found = ", ".join(repr(s) for s in book.sheetnames) or "none"
            raise FileRejected(path, f"no sheet named {sheet!r} (sheets found: {found})")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        try:
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            merged = list(_merged_ranges(ws))
        except _DAMAGED as exc:
            raise _damaged(path, exc) from exc
        title = ws.title
    finally:
        book.close()
    index = find_header(rows, path, header_names, max_header_scan)
    header_row = index + 1
    for ref in merged:
        _, min_row, _, max_row = range_boundaries(ref)
        if min_row is not None and max_row is not None and min_row <= header_row <= max_row:
            raise FileRejected(
                path,
                f"sheet {title!r} has merged cells ({ref}) in its header row "
                f"{header_row}; unmerge them so each column has its own name",
            )
    data = rows[header_row:]
    width = max([len(r) - _trailing_blanks(r) for r in [rows[index], *data]], default=0)
    names = column_names(rows[index], width, path)
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in data], columns=names, dtype=object)
    return RawTable(clean_frame(frame), header_row, header_row + 1, None, title, "xlsx")


def _trailing_blanks(row: list[str]) -> int:
    count = 0
    for cell in reversed(row):
        if cell:
            break
        count += 1
    return count


def _merged_ranges(ws: Any) -> Iterator[str]:
    """Merged ranges of a sheet, streamed from its XML (read-only sheets do not expose them)."""
    ranges = getattr(ws, "merged_cells", None)
    if ranges is not None:
        yield from (str(r) for r in ranges.ranges)
        return
    with ws._get_source() as source:
        for _, element in iterparse(source):
            if re.sub(r"^\{.*\}", "", element.tag) == "mergeCell":
                ref = element.get("ref")
                if ref:
                    yield ref
            element.clear()


def _damaged(path: Path, exc: BaseException) -> FileRejected:
    return FileRejected(path, f"damaged or not an XLSX file ({type(exc).__name__}: {exc})")
