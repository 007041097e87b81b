"""XLSX sheets as tables of strings, streamed with limits.

A sheet's XML is parsed row by row (openpyxl's own sheet parser, read-only), keeping only
the cells it holds: the size a sheet declares (``A1:XFD1048576``) and the empty rows and
formatted empty cells around the data are not believed or padded out, so a tiny file cannot
make a huge table. Beyond the limits (rows, columns, characters in a cell) the file is refused
with the reason; a damaged workbook, whatever the library finds wrong with it, is refused as
damaged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from workstation.ingest.errors import FileRejected
from workstation.ingest.table import (
    HEADER_SCAN_ROWS,
    HeaderName,
    RawTable,
    clean_frame,
    column_names,
    find_header,
)

#: Rows of a sheet that are read; a bigger table belongs in a CSV file (read in chunks).
MAX_ROWS = 500_000
#: Columns of a sheet that are read (real exports have a few dozen).
MAX_COLUMNS = 500
#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32_767


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
    max_header_scan: int = HEADER_SCAN_ROWS,
) -> RawTable:
    """One sheet (``sheet`` by name, else the first) with its header found by :func:`find_header`.

    Merged cells touching the header row are refused: they hide which column is which.
    """
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged file fails anywhere inside the library
        raise _damaged(path, exc) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            found = ", ".join(repr(s) for s in book.sheetnames) or "none"
            raise FileRejected(path, f"no sheet named {sheet!r} (sheets found: {found})")
        if sheet is None and not book.worksheets:
            raise FileRejected(path, "damaged or not an XLSX file (the workbook has no sheets)")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        title = ws.title
        try:
            rows, merged = _sheet_rows(ws, path)
        except FileRejected:
            raise
        except Exception as exc:
            raise _damaged(path, exc) from None
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
    width = max([len(r) for r in [rows[index], *data]], default=0)
    names = column_names(rows[index], width, path)
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in data], columns=names, dtype=object)
    return RawTable(clean_frame(frame), header_row, header_row + 1, None, title, "xlsx")


def _sheet_rows(ws: Any, path: Path) -> tuple[list[list[str]], list[str]]:
    """The sheet's rows as text (row ``i`` is sheet row ``i + 1``; trailing blank cells and
    rows left out) and its merged ranges, in one pass over its XML."""
    book = ws.parent
    rows: list[list[str]] = []
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            filled = [(c["column"], cell_text(c["value"])) for c in cells]
            filled = [(column, text) for column, text in filled if text]
            if not filled:
                continue
            _check_limits(path, ws.title, number, filled)
            row = [""] * max(column for column, _ in filled)
            for column, text in filled:
                row[column - 1] = text
            if number <= len(rows):
                raise ValueError(f"row {number} comes after row {len(rows)}")
            rows.extend([] for _ in range(number - 1 - len(rows)))
            rows.append(row)
        merged = [str(m.ref) for m in getattr(parser.merged_cells, "mergeCell", [])]
    return rows, merged


def _check_limits(path: Path, title: str, row_number: int, filled: list[tuple[int, str]]) -> None:
    if row_number > MAX_ROWS:
        raise FileRejected(
            path,
            f"sheet {title!r} has data beyond row {MAX_ROWS:,} (on row {row_number:,}); "
            "save it as CSV, or split it",
        )
    for column, text in filled:
        if column > MAX_COLUMNS:
            raise FileRejected(
                path,
                f"sheet {title!r} has data in column {get_column_letter(column)} (row "
                f"{row_number:,}), beyond the {MAX_COLUMNS} columns read",
            )
        if len(text) > MAX_CELL_CHARS:
            raise FileRejected(
                path,
                f"cell {get_column_letter(column)}{row_number} of sheet {title!r} holds "
                f"{len(text):,} characters, more than a cell can ({MAX_CELL_CHARS:,})",
            )


def _damaged(path: Path, exc: BaseException) -> FileRejected:
    if isinstance(exc, MemoryError | RecursionError):
        detail = type(exc).__name__
    else:
        detail = f"{type(exc).__name__}: {exc}"
    return FileRejected(path, f"damaged or not an XLSX file ({detail})")
